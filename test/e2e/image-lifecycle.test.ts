// Life cycle of outscale_image through the real terraform, for each documented example (examples/resources/
// outscale_image/*/main.tf as shipped, ids passed as variables): create → no changes → in-place update of description
// and tags → no changes → state rm + import → at most an in-place adoption of the create-only arguments → no changes →
// destroy. Also the `import {}` block form and the quickstart example.
// Runs against the local sandbox, or against a real account with TF_ACC=1 (see fixtures/target.ts and the README).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, type TerraformWorkspace } from './harness/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import {
  changeOf,
  changedAttributes,
  exampleConfig,
  expectConverged,
  imageWorkspace,
  quickstartConfig,
  sandboxImage,
  stateTagRecord,
  tagRecord,
  type ExampleName,
} from './fixtures/image-e2e.js';
import { realAccountRequested, startTarget, type E2eTarget } from './fixtures/target.js';

const ADDRESS = 'outscale_image.example';
// a real OMI takes minutes to become available
const TEST_TIMEOUT_MS = realAccountRequested() ? 90 * 60_000 : 240_000;
/** What a plan right after an import may change in place: create-only inputs the API never returns. */
const ADOPTABLE_AFTER_IMPORT = ['no_reboot', 'source_image_id', 'source_region_name', 'timeouts', 'vm_id'];

interface Scenario {
  example: ExampleName;
  imageName: string;
  /** undefined: the target has no id to start from (a real account without the OSC_TEST_* variable). */
  vars: (target: E2eTarget) => Record<string, unknown> | undefined;
  /** Variables changing only description and tags. */
  changed: Record<string, unknown>;
  tagsBefore: Record<string, string>;
  tagsAfter: Record<string, string>;
}

const given = (id: string | undefined, vars: (id: string) => Record<string, unknown>) => (id ? vars(id) : undefined);

const scenarios: Scenario[] = [
  {
    example: 'from-vm',
    imageName: 'lifecycle-from-vm',
    vars: (t) => given(t.ids.vmId, (id) => ({ vm_id: id, description: 'first description', tags: { name: 'from-vm', env: 'dev' } })),
    changed: { description: 'second description', tags: { name: 'from-vm', team: 'platform' } },
    tagsBefore: { name: 'from-vm', env: 'dev' },
    tagsAfter: { name: 'from-vm', team: 'platform' },
  },
  {
    example: 'from-manifest',
    imageName: 'lifecycle-from-manifest',
    vars: (t) => given(t.ids.manifestUrl, (id) => ({ file_location: id, description: 'registered', tags: { name: 'manifest' } })),
    changed: { description: 'registered, then described again', tags: { name: 'manifest-renamed', owner: 'e2e' } },
    tagsBefore: { name: 'manifest' },
    tagsAfter: { name: 'manifest-renamed', owner: 'e2e' },
  },
  {
    example: 'copy',
    imageName: 'lifecycle-copy',
    vars: (t) =>
      given(t.ids.sourceImageId, (id) => ({
        source_image_id: id,
        source_region_name: t.region,
        description: 'copy of ubuntu',
        tags: { name: 'copy' },
      })),
    changed: { description: 'copy of ubuntu (updated)', tags: {} },
    tagsBefore: { name: 'copy' },
    tagsAfter: {},
  },
  {
    example: 'from-snapshot',
    imageName: 'lifecycle-from-snapshot',
    vars: (t) => given(t.ids.snapshotId, (id) => ({ snapshot_id: id, description: 'registered from a snapshot' })),
    changed: { description: 'registered from a snapshot (updated)', tag_value: 'changed-value' },
    tagsBefore: { Key: 'value-tags', 'Key-2': 'value-tags-2' },
    tagsAfter: { Key: 'changed-value', 'Key-2': 'value-tags-2' },
  },
];

function expectOneCreateImage(target: E2eTarget, name: string): void {
  const calls = target.createImageCalls(name);
  if (calls !== undefined) expect(calls).toBe(1);
}

/** apply, then the checks every example shares; returns the image id. */
async function applyAndCheckCreated(tf: TerraformWorkspace, target: E2eTarget, imageName: string, scenario: Scenario, description: string): Promise<string> {
  await tf.apply();
  const values = await tf.resource(ADDRESS);
  const id = values.id as string;
  expect(id).toMatch(/^ami-[0-9a-f]{8}$/);
  expect(values).toMatchObject({ image_id: id, image_name: imageName, state: 'available', description });
  expect(stateTagRecord(values)).toEqual(scenario.tagsBefore);
  const image = await target.image(id);
  expect(image?.State).toBe('available');
  expect(image?.Description).toBe(description);
  expect(tagRecord(image!)).toEqual(scenario.tagsBefore);
  const outputs = await tf.outputs();
  expect(outputs.id).toBe(id);
  expect(outputs.state).toBe('available');
  expect(Array.isArray(outputs.block_device_mappings) && outputs.block_device_mappings.length).toBeGreaterThan(0);
  return id;
}

/** Plans after an import: no-op or an in-place update touching only create-only inputs; applies it. */
async function expectImportAdoption(tf: TerraformWorkspace, id: string, importing: boolean): Promise<void> {
  const plan = await tf.planJson();
  const change = changeOf(plan, ADDRESS);
  expect(change.change.actions).not.toContain('delete');
  expect(change.change.actions).not.toContain('create');
  expect(['no-op', 'update']).toContain(change.change.actions.join(','));
  if (importing) expect(change.change.importing?.id).toBe(id);
  const changed = changedAttributes(change);
  expect(changed.filter((name) => !ADOPTABLE_AFTER_IMPORT.includes(name))).toEqual([]);
  await tf.apply({ args: ['tfplan'] });
}

describeE2e(
  'outscale_image life cycle of the documented examples',
  () => {
    let target: E2eTarget;
    beforeAll(async () => {
      target = await startTarget({ imagePendingMs: 300 });
    });
    afterAll(() => target?.close());

    for (const scenario of scenarios) {
      it(
        `${scenario.example}: create, update in place, import, destroy`,
        async (ctx) => {
          const start = scenario.vars(target);
          if (!start) {
            console.warn(`[e2e] skipping ${scenario.example} on the real account: its OSC_TEST_* id variable is not set`);
            return ctx.skip();
          }
          const imageName = target.name(scenario.imageName);
          const tf = await imageWorkspace({ env: target.env, config: exampleConfig(scenario.example) });
          const vars: Record<string, unknown> = { ...start, image_name: imageName };
          await tf.writeVars(vars);

          const id = await applyAndCheckCreated(tf, target, imageName, scenario, vars.description as string);
          await expectConverged(tf);

          // description and tags: one in-place update, same OMI
          const newVars = { ...vars, ...scenario.changed };
          await tf.writeVars(newVars);
          const update = changeOf(await tf.planJson(), ADDRESS);
          expect(update.change.actions).toEqual(['update']);
          expect(update.change.replace_paths ?? []).toEqual([]);
          expect(changedAttributes(update)).toEqual(['description', 'tags']);
          await tf.apply({ args: ['tfplan'] });
          const updated = await tf.resource(ADDRESS);
          expect(updated.id).toBe(id);
          expect(updated.description).toBe(newVars.description);
          expect(stateTagRecord(updated)).toEqual(scenario.tagsAfter);
          const image = await target.image(id);
          expect(image?.Description).toBe(newVars.description);
          expect(tagRecord(image!)).toEqual(scenario.tagsAfter);
          expect((await target.imagesNamed(imageName)).map((i) => i.ImageId)).toEqual([id]);
          await expectConverged(tf);

          // forget it, then import it back into the emptied state
          await tf.run(['state', 'rm', '-no-color', ADDRESS]);
          expect(await tf.stateList()).toEqual([]);
          await tf.import(ADDRESS, id);
          const imported = await tf.resource(ADDRESS);
          expect(imported).toMatchObject({ id, image_id: id, image_name: imageName, description: newVars.description });
          expect(stateTagRecord(imported)).toEqual(scenario.tagsAfter);
          await expectImportAdoption(tf, id, false);
          expect((await tf.resource(ADDRESS)).id).toBe(id);
          await expectConverged(tf);
          expectOneCreateImage(target, imageName);

          await tf.destroy();
          expect(await target.image(id)).toBeUndefined();
          expect(await target.imagesNamed(imageName)).toEqual([]);
          expect(await tf.stateList()).toEqual([]);
        },
        TEST_TIMEOUT_MS,
      );
    }

    it(
      'from-vm: an import {} block adopts an existing OMI',
      async (ctx) => {
        if (!target.ids.vmId) return ctx.skip();
        const tf = await imageWorkspace({ env: target.env, config: exampleConfig('from-vm') });
        const imageName = target.name('lifecycle-import-block');
        await tf.writeVars({ vm_id: target.ids.vmId, image_name: imageName, tags: { name: 'imported' } });
        await tf.apply();
        const id = (await tf.resource(ADDRESS)).id as string;
        await tf.run(['state', 'rm', '-no-color', ADDRESS]);

        await tf.writeConfig(`import {\n  to = ${ADDRESS}\n  id = "${id}"\n}\n`, 'import.tf');
        await expectImportAdoption(tf, id, true);
        const values = await tf.resource(ADDRESS);
        expect(values).toMatchObject({ id, image_name: imageName, vm_id: target.ids.vmId, no_reboot: true, state: 'available' });
        await expectConverged(tf);
        expectOneCreateImage(target, imageName);

        await tf.destroy();
        expect(await target.image(id)).toBeUndefined();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'quickstart: applies with its defaults, reads API-filled outputs, re-plans empty and destroys',
      async (ctx) => {
        // the quickstart's defaults are the sandbox's seeded ids
        if (!target.sandbox) return ctx.skip();
        const sandbox: Sandbox = target.sandbox;
        const tf = await imageWorkspace({ env: target.env, config: quickstartConfig() });
        await tf.apply();
        const outputs = (await tf.outputs()) as Record<string, Record<string, unknown>>;
        const copy = sandboxImage(sandbox, outputs.ubuntu_copy!.id as string);
        const fromVm = sandboxImage(sandbox, outputs.from_vm!.id as string);
        expect(copy).toMatchObject({ ImageName: 'quickstart-ubuntu-copy', State: 'available', BootModes: ['legacy', 'uefi'] });
        expect(fromVm).toMatchObject({ ImageName: 'quickstart-from-vm', State: 'available', RootDeviceName: '/dev/sda1' });
        expect(outputs.ubuntu_copy).toMatchObject({
          state: 'available',
          root_snapshot: copy!.BlockDeviceMappings[0]!.Bsu!.SnapshotId,
        });
        expect(outputs.from_vm).toMatchObject({
          state: 'available',
          root_device_name: '/dev/sda1',
          root_volume_size: fromVm!.BlockDeviceMappings[0]!.Bsu!.VolumeSize,
        });
        expect(tagRecord(fromVm!)).toEqual({ Name: 'quickstart-from-vm', env: 'quickstart' });
        await expectConverged(tf);
        await tf.destroy();
        expect(sandboxImage(sandbox, copy!.ImageId)).toBeUndefined();
        expect(sandboxImage(sandbox, fromVm!.ImageId)).toBeUndefined();
      },
      TEST_TIMEOUT_MS,
    );
  },
  { needsProvider: true },
);
