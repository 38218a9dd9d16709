// Life cycle of outscale_image through the real terraform, for each documented example (examples/resources/
// outscale_image/*/main.tf as shipped, ids passed as variables pointing at sandbox resources): create → no changes →
// in-place update of description and tags → no changes → state rm + import → at most an in-place adoption of the
// create-only arguments → no changes → destroy. Also the `import {}` block form and the quickstart example.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, sandboxEnv, type TerraformWorkspace } from './harness/index.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import {
  changeOf,
  changedAttributes,
  exampleConfig,
  expectConverged,
  imageWorkspace,
  imagesNamed,
  quickstartConfig,
  sandboxImage,
  stateTagRecord,
  tagRecord,
  type ExampleName,
} from './fixtures/image-e2e.js';

const ADDRESS = 'outscale_image.example';
const TEST_TIMEOUT_MS = 240_000;
/** What a plan right after an import may change in place: create-only inputs the API never returns. */
const ADOPTABLE_AFTER_IMPORT = ['no_reboot', 'source_image_id', 'source_region_name', 'timeouts', 'vm_id'];
const MANIFEST_URL = 'https://osu.eu-west-2.outscale.com/exports/terraform-e2e/image.manifest.xml';

interface Scenario {
  example: ExampleName;
  imageName: string;
  vars: (sandbox: Sandbox) => Record<string, unknown>;
  /** Variables changing only description and tags. */
  changed: Record<string, unknown>;
  tagsBefore: Record<string, string>;
  tagsAfter: Record<string, string>;
}

const scenarios: Scenario[] = [
  {
    example: 'from-vm',
    imageName: 'e2e-lifecycle-from-vm',
    vars: () => ({ vm_id: SEEDED.vmId, description: 'first description', tags: { name: 'from-vm', env: 'dev' } }),
    changed: { description: 'second description', tags: { name: 'from-vm', team: 'platform' } },
    tagsBefore: { name: 'from-vm', env: 'dev' },
    tagsAfter: { name: 'from-vm', team: 'platform' },
  },
  {
    example: 'from-manifest',
    imageName: 'e2e-lifecycle-from-manifest',
    vars: () => ({ file_location: MANIFEST_URL, description: 'registered', tags: { name: 'manifest' } }),
    changed: { description: 'registered, then described again', tags: { name: 'manifest-renamed', owner: 'e2e' } },
    tagsBefore: { name: 'manifest' },
    tagsAfter: { name: 'manifest-renamed', owner: 'e2e' },
  },
  {
    example: 'copy',
    imageName: 'e2e-lifecycle-copy',
    vars: (sandbox) => ({
      source_image_id: SEEDED.publicImageIds[0],
      source_region_name: sandbox.region,
      description: 'copy of ubuntu',
      tags: { name: 'copy' },
    }),
    changed: { description: 'copy of ubuntu (updated)', tags: {} },
    tagsBefore: { name: 'copy' },
    tagsAfter: {},
  },
  {
    example: 'from-snapshot',
    imageName: 'e2e-lifecycle-from-snapshot',
    vars: () => ({ snapshot_id: SEEDED.snapshotIds[0], description: 'registered from a snapshot' }),
    changed: { description: 'registered from a snapshot (updated)', tag_value: 'changed-value' },
    tagsBefore: { Key: 'value-tags', 'Key-2': 'value-tags-2' },
    tagsAfter: { Key: 'changed-value', 'Key-2': 'value-tags-2' },
  },
];

function createImageCalls(sandbox: Sandbox, name: string): number {
  return sandbox.calls.filter(
    (c) => c.action === 'CreateImage' && c.executed && (c.request as { ImageName?: string } | undefined)?.ImageName === name,
  ).length;
}

/** apply, then the checks every example shares; returns the image id. */
async function applyAndCheckCreated(tf: TerraformWorkspace, sandbox: Sandbox, scenario: Scenario, description: string): Promise<string> {
  await tf.apply();
  const values = await tf.resource(ADDRESS);
  const id = values.id as string;
  expect(id).toMatch(/^ami-[0-9a-f]{8}$/);
  expect(values).toMatchObject({ image_id: id, image_name: scenario.imageName, state: 'available', description });
  expect(stateTagRecord(values)).toEqual(scenario.tagsBefore);
  const image = sandboxImage(sandbox, id);
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
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 300 });
    });
    afterAll(() => sandbox?.close());

    for (const scenario of scenarios) {
      it(
        `${scenario.example}: create, update in place, import, destroy`,
        async () => {
          const tf = await imageWorkspace({ env: sandboxEnv(sandbox), config: exampleConfig(scenario.example) });
          const vars: Record<string, unknown> = { ...scenario.vars(sandbox), image_name: scenario.imageName };
          await tf.writeVars(vars);

          const id = await applyAndCheckCreated(tf, sandbox, scenario, vars.description as string);
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
          const image = sandboxImage(sandbox, id);
          expect(image?.Description).toBe(newVars.description);
          expect(tagRecord(image!)).toEqual(scenario.tagsAfter);
          expect(imagesNamed(sandbox, scenario.imageName).map((i) => i.ImageId)).toEqual([id]);
          await expectConverged(tf);

          // forget it, then import it back into the emptied state
          await tf.run(['state', 'rm', '-no-color', ADDRESS]);
          expect(await tf.stateList()).toEqual([]);
          await tf.import(ADDRESS, id);
          const imported = await tf.resource(ADDRESS);
          expect(imported).toMatchObject({ id, image_id: id, image_name: scenario.imageName, description: newVars.description });
          expect(stateTagRecord(imported)).toEqual(scenario.tagsAfter);
          await expectImportAdoption(tf, id, false);
          expect((await tf.resource(ADDRESS)).id).toBe(id);
          await expectConverged(tf);
          expect(createImageCalls(sandbox, scenario.imageName)).toBe(1);

          await tf.destroy();
          expect(sandboxImage(sandbox, id)).toBeUndefined();
          expect(imagesNamed(sandbox, scenario.imageName)).toEqual([]);
          expect(await tf.stateList()).toEqual([]);
        },
        TEST_TIMEOUT_MS,
      );
    }

    it(
      'from-vm: an import {} block adopts an existing OMI',
      async () => {
        const tf = await imageWorkspace({ env: sandboxEnv(sandbox), config: exampleConfig('from-vm') });
        const imageName = 'e2e-lifecycle-import-block';
        await tf.writeVars({ vm_id: SEEDED.vmId, image_name: imageName, tags: { name: 'imported' } });
        await tf.apply();
        const id = (await tf.resource(ADDRESS)).id as string;
        await tf.run(['state', 'rm', '-no-color', ADDRESS]);

        await tf.writeConfig(`import {\n  to = ${ADDRESS}\n  id = "${id}"\n}\n`, 'import.tf');
        await expectImportAdoption(tf, id, true);
        const values = await tf.resource(ADDRESS);
        expect(values).toMatchObject({ id, image_name: imageName, vm_id: SEEDED.vmId, no_reboot: true, state: 'available' });
        await expectConverged(tf);
        expect(createImageCalls(sandbox, imageName)).toBe(1);

        await tf.destroy();
        expect(sandboxImage(sandbox, id)).toBeUndefined();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'quickstart: applies with its defaults, reads API-filled outputs, re-plans empty and destroys',
      async () => {
        const tf = await imageWorkspace({ env: sandboxEnv(sandbox), config: quickstartConfig() });
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
