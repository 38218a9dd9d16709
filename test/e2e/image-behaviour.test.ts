// outscale_image behaviour through the real terraform against the sandbox: replacements, config validation,
// drift, failed and timed-out creations (tainted), name conflicts, states written by the official Go provider and
// values the API fills in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeE2e, providerBlock, sandboxEnv, type TerraformWorkspace } from './harness/index.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import {
  accountImages,
  changeOf,
  expectConverged,
  flat,
  goProviderState,
  imagesNamed,
  imageWorkspace,
  instanceStatus,
  sandboxImage,
} from './fixtures/image-e2e.js';

const TEST_TIMEOUT_MS = 180_000;

/** provider block + one outscale_image "x" with the given body (+ extra HCL after it). */
function imageConfig(body: string, extra = ''): string {
  return `${providerBlock()}\nresource "outscale_image" "x" {\n${body}\n}\n${extra}`;
}

function fromVm(name: string, more = ''): string {
  return `  image_name = "${name}"\n  vm_id      = "${SEEDED.vmId}"\n  no_reboot  = true\n${more}`;
}

const snapshotMapping = (bsu: string, device = '/dev/sda1') =>
  `  root_device_name = "/dev/sda1"\n  block_device_mappings {\n    device_name = "${device}"\n    bsu {\n      snapshot_id = "${SEEDED.snapshotIds[0]}"\n${bsu}\n    }\n  }`;

async function imageId(tf: TerraformWorkspace): Promise<string> {
  return (await tf.resource('outscale_image.x')).id as string;
}

interface InvalidCase {
  name: string;
  body: string;
  /** Every string must appear in the failing command's stderr. */
  expected: string[];
}

const invalidCases: InvalidCase[] = [
  { name: 'no creation mode', body: '  image_name = "no-mode"', expected: ['No creation mode', 'vm_id', 'file_location', 'source_image_id'] },
  {
    name: 'two creation modes',
    body: `${fromVm('two-modes')}  file_location = "https://example.com/image.manifest.xml"`,
    expected: ['Conflicting creation modes', '"file_location" cannot be combined with "vm_id"'],
  },
  {
    name: 'copy without source_region_name',
    body: `  image_name = "copy-no-region"\n  source_image_id = "${SEEDED.publicImageIds[0]}"`,
    expected: ['Missing required argument', '"source_region_name" is required with "source_image_id"'],
  },
  { name: 'image_name too short', body: fromVm('ab'), expected: ['image_name', 'Must be between 3 and 128 characters, got 2'] },
  { name: 'image_name too long', body: fromVm('n'.repeat(129)), expected: ['image_name', 'Must be between 3 and 128 characters, got 129'] },
  { name: 'image_name with bad characters', body: fromVm('bad*name!'), expected: ['image_name', 'got "bad*name!"'] },
  {
    name: 'architecture not in the enum',
    body: `  image_name = "arch"\n  architecture = "arm64"\n${snapshotMapping('      volume_type = "standard"')}`,
    expected: ['architecture', 'Expected one of "i386", "x86_64", got "arm64"'],
  },
  { name: 'boot_modes not in the enum', body: fromVm('boot-modes', '  boot_modes = ["bios"]'), expected: ['boot_modes', 'Expected one of "uefi", "legacy", got "bios"'] },
  {
    name: 'iops with a gp2 volume',
    body: `  image_name = "iops-gp2"\n${snapshotMapping('      volume_type = "gp2"\n      volume_size = 20\n      iops = 100')}`,
    expected: ['Invalid iops', '"iops" is only allowed with volume_type "io1" (here "gp2")'],
  },
  {
    name: 'iops above 13000',
    body: `  image_name = "iops-max"\n${snapshotMapping('      volume_type = "io1"\n      volume_size = 100\n      iops = 14000')}`,
    expected: ['Invalid iops', '"iops" must be a whole number between 1 and 13000, got 14000'],
  },
  {
    name: 'iops above 300 per GiB',
    body: `  image_name = "iops-ratio"\n${snapshotMapping('      volume_type = "io1"\n      volume_size = 10\n      iops = 5000')}`,
    expected: ['Invalid iops', 'At most 300 IOPS per GiB', 'the volume has 10'],
  },
  {
    name: 'bad device name',
    body: `  image_name = "device"\n${snapshotMapping('      volume_type = "standard"', '/dev/hda')}`,
    expected: ['Invalid device name', '"/dev/hda" is not a valid device name'],
  },
  {
    name: 'invalid volume_type',
    body: `  image_name = "vtype"\n${snapshotMapping('      volume_type = "ssd"')}`,
    expected: ['Invalid volume type', 'got "ssd"'],
  },
  {
    name: 'empty tag key',
    body: fromVm('tag-key', '  tags {\n    key   = ""\n    value = "v"\n  }'),
    // the tag key must be named: Terraform points this diagnostic at the resource line, not at the tags block
    expected: ['Must be between 1 and 255 characters, got 0', 'tags'],
  },
  {
    name: 'duplicate tag key',
    body: fromVm('tag-dup', '  tags {\n    key   = "k"\n    value = "a"\n  }\n  tags {\n    key   = "k"\n    value = "b"\n  }'),
    expected: ['Duplicate tag key', 'The tag key "k" is set more than once'],
  },
  { name: 'read-only attribute set', body: fromVm('read-only', '  state = "available"'), expected: ['state', 'read-only'] },
  {
    name: 'bad timeout duration',
    body: fromVm('timeouts', '  timeouts {\n    create = "soon"\n  }'),
    expected: ['Invalid duration', 'got "soon"', 'create'],
  },
];

describeE2e(
  'outscale_image behaviour',
  () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 300 });
    });
    afterAll(() => sandbox?.close());
    const workspace = (config: string) => imageWorkspace({ env: sandboxEnv(sandbox), config });

    it(
      'plans a replacement when image_name or boot_modes change',
      async () => {
        const tf = await workspace(imageConfig(fromVm('e2e-replace', '  boot_modes = ["legacy"]')));
        await tf.apply();
        const id = await imageId(tf);

        await tf.writeConfig(imageConfig(fromVm('e2e-replace-renamed', '  boot_modes = ["legacy"]')));
        const renamed = changeOf(await tf.planJson(), 'outscale_image.x');
        expect(renamed.change.actions).toEqual(['delete', 'create']);
        expect(renamed.change.replace_paths).toContainEqual(['image_name']);

        await tf.writeConfig(imageConfig(fromVm('e2e-replace', '  boot_modes = ["legacy", "uefi"]')));
        const rebooted = changeOf(await tf.planJson(), 'outscale_image.x');
        expect(rebooted.change.actions).toEqual(['delete', 'create']);
        expect(rebooted.change.replace_paths).toContainEqual(['boot_modes']);

        // apply the replacement: a new OMI, the old one deleted
        await tf.apply({ args: ['tfplan'] });
        const newId = await imageId(tf);
        expect(newId).not.toBe(id);
        expect(sandboxImage(sandbox, id)).toBeUndefined();
        expect(sandboxImage(sandbox, newId)?.BootModes.sort()).toEqual(['legacy', 'uefi']);
        await expectConverged(tf);
        await tf.destroy();
        expect(sandboxImage(sandbox, newId)).toBeUndefined();
      },
      TEST_TIMEOUT_MS,
    );

    describe('rejects invalid configurations before any API call', () => {
      for (const invalid of invalidCases) {
        it(
          invalid.name,
          async () => {
            const tf = await workspace(imageConfig(invalid.body));
            const callsBefore = sandbox.calls.length;
            const validated = await tf.validate({ allowFailure: true });
            const failed = validated.code !== 0 ? validated : await tf.plan({ allowFailure: true });
            expect(failed.code, `neither validate nor plan failed:\n${failed.stdout}`).toBe(1);
            for (const text of invalid.expected) expect(flat(failed.stderr)).toContain(text);
            expect(failed.stderr).toContain('outscale_image.x');
            expect(sandbox.calls.slice(callsBefore).filter((c) => c.action === 'CreateImage')).toEqual([]);
          },
          60_000,
        );
      }
    });

    it(
      'proposes to create the OMI again when it was deleted outside Terraform',
      async () => {
        const tf = await workspace(imageConfig(fromVm('e2e-drift')));
        await tf.apply();
        const id = await imageId(tf);
        expect(sandbox.state.images.delete(id)).toBe(true);

        const plan = await tf.planJson();
        expect(changeOf(plan, 'outscale_image.x').change.actions).toEqual(['create']);
        expect((plan.resource_drift ?? []).map((d) => [d.address, d.change.actions])).toEqual([['outscale_image.x', ['delete']]]);

        await tf.apply({ args: ['tfplan'] });
        const recreated = await imageId(tf);
        expect(recreated).not.toBe(id);
        expect(imagesNamed(sandbox, 'e2e-drift').map((i) => i.ImageId)).toEqual([recreated]);
        await tf.destroy();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'records an OMI that ends failed as tainted, with its state comment in the error, and replaces it next time',
      async () => {
        const name = 'e2e-doomed-image';
        const message = 'Snapshot copy failed on the storage side';
        sandbox.faults.failImages({ nameMatches: '^e2e-doomed', stateComment: { StateCode: 'Server.InternalError', StateMessage: message } });
        try {
          const tf = await workspace(imageConfig(fromVm(name)));
          const failed = await tf.apply({ allowFailure: true });
          expect(failed.code).toBe(1);
          expect(flat(failed.stderr)).toContain(message);
          expect(flat(failed.stderr)).toContain('Server.InternalError');
          const [failedImage] = imagesNamed(sandbox, name);
          expect(failedImage?.State).toBe('failed');
          expect(failed.stderr).toContain(failedImage!.ImageId);

          expect(await tf.stateList()).toEqual(['outscale_image.x']);
          expect(instanceStatus(await tf.state(), 'outscale_image', 'x')).toBe('tainted');
          const shown = await tf.resource('outscale_image.x');
          expect(shown).toMatchObject({ id: failedImage!.ImageId, state: 'failed' });
          expect(shown.state_comment).toEqual([{ state_code: 'Server.InternalError', state_message: message }]);
          const replan = changeOf(await tf.planJson(), 'outscale_image.x');
          expect(replan.change.actions).toEqual(['delete', 'create']);
          expect(replan.action_reason).toBe('replace_because_tainted');

          sandbox.faults.clear();
          await tf.apply({ args: ['tfplan'] });
          const replacement = await imageId(tf);
          expect(replacement).not.toBe(failedImage!.ImageId);
          expect(imagesNamed(sandbox, name).map((i) => [i.ImageId, i.State])).toEqual([[replacement, 'available']]);
          expect(instanceStatus(await tf.state(), 'outscale_image', 'x')).toBeUndefined();
          await expectConverged(tf);
          await tf.destroy();
        } finally {
          sandbox.faults.clear();
        }
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'refuses to create an OMI whose name is taken, naming the existing OMI and the import command',
      async () => {
        const name = 'e2e-name-conflict';
        // an OMI created outside this configuration's state
        const outside = await workspace(imageConfig(fromVm(name)));
        await outside.apply();
        const existingId = await imageId(outside);
        await outside.run(['state', 'rm', '-no-color', 'outscale_image.x']);

        const tf = await workspace(imageConfig(fromVm(name)));
        const failed = await tf.apply({ allowFailure: true });
        expect(failed.code).toBe(1);
        expect(flat(failed.stderr)).toContain('OMI name already in use');
        expect(failed.stderr).toContain(existingId);
        expect(failed.stderr).toContain(`terraform import outscale_image.`);
        expect(failed.stderr).toMatch(new RegExp(`terraform import outscale_image\\.\\S+ ${existingId}`));
        expect(imagesNamed(sandbox, name).map((i) => i.ImageId)).toEqual([existingId]);
        expect(await tf.stateList()).toEqual([]);

        // following the hint works
        await tf.import('outscale_image.x', existingId);
        await tf.apply();
        await expectConverged(tf);
        await tf.destroy();
        expect(imagesNamed(sandbox, name)).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'plans no changes on a state written by the official Go provider',
      async () => {
        const name = 'e2e-go-provider-state';
        const body = fromVm(name, '  description = "made by the Go provider"\n  tags {\n    key   = "Name"\n    value = "legacy"\n  }');
        const creator = await workspace(imageConfig(body));
        await creator.apply();
        const id = await imageId(creator);
        await creator.run(['state', 'rm', '-no-color', 'outscale_image.x']);
        const image = sandboxImage(sandbox, id)!;
        expect(image.Tags).toEqual([{ Key: 'Name', Value: 'legacy' }]);

        const tf = await workspace(imageConfig(body));
        await tf.writeFile('terraform.tfstate', goProviderState(image, { resourceName: 'x', vmId: SEEDED.vmId, requestId: '5f7c1e2a-8d4b-4a51-9e3b-0c6d2f1a7b88' }));
        const plan = await tf.plan({ detailedExitCode: true });
        expect(plan.hasChanges, plan.stdout).toBe(false);
        expect(plan.code).toBe(0);
        await expectConverged(tf); // -refresh-only too: the upgraded state is what a read gives
        const values = await tf.resource('outscale_image.x');
        expect(values).toMatchObject({ id, image_id: id, vm_id: SEEDED.vmId, no_reboot: true, request_id: '5f7c1e2a-8d4b-4a51-9e3b-0c6d2f1a7b88' });

        await tf.destroy();
        expect(sandboxImage(sandbox, id)).toBeUndefined();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'lets `plan -refresh-only -detailed-exitcode` exit 0 right after apply (drift-detection pipelines)',
      async () => {
        const tf = await workspace(imageConfig(fromVm('e2e-refresh-exit-code')));
        await tf.apply();
        // the harness's strict check: both plans must EXIT 0, not only print "No changes"
        await tf.expectNoChanges();
        await tf.destroy();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'exposes API-filled block_device_mappings to expressions after create',
      async () => {
        const output = 'output "root_volume_size" {\n  value = outscale_image.x.block_device_mappings[0].bsu[0].volume_size\n}\n' +
          'output "root_snapshot_id" {\n  value = outscale_image.x.block_device_mappings[0].bsu[0].snapshot_id\n}\n';
        const tf = await workspace(imageConfig(fromVm('e2e-api-filled'), output));
        await tf.apply();
        const image = sandboxImage(sandbox, await imageId(tf))!;
        const outputs = await tf.outputs();
        expect(outputs.root_volume_size).toBe(image.BlockDeviceMappings[0]!.Bsu!.VolumeSize);
        expect(outputs.root_volume_size).toBe(10);
        expect(outputs.root_snapshot_id).toBe(image.BlockDeviceMappings[0]!.Bsu!.SnapshotId);
        await expectConverged(tf);
        await tf.destroy();
      },
      TEST_TIMEOUT_MS,
    );
  },
  { needsProvider: true },
);

describeE2e(
  'outscale_image create timeout',
  () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 5000 });
    });
    afterAll(() => sandbox?.close());

    it(
      'keeps a timed-out OMI in state (tainted), then a normal apply converges without orphans',
      async () => {
        const name = 'e2e-slow-image';
        const tf = await imageWorkspace({
          env: sandboxEnv(sandbox),
          config: imageConfig(fromVm(name, '  timeouts {\n    create = "1s"\n  }')),
        });
        const failed = await tf.apply({ allowFailure: true });
        expect(failed.code).toBe(1);
        expect(flat(failed.stderr)).toContain('Timed out waiting for the OMI');
        const [pending] = imagesNamed(sandbox, name);
        expect(pending?.State).toBe('pending');
        expect(failed.stderr).toContain(pending!.ImageId);
        expect(await tf.stateList()).toEqual(['outscale_image.x']);
        expect((await tf.resource('outscale_image.x')).id).toBe(pending!.ImageId);
        expect(instanceStatus(await tf.state(), 'outscale_image', 'x')).toBe('tainted');

        await tf.writeConfig(imageConfig(fromVm(name)));
        await tf.apply();
        const id = await imageId(tf);
        expect(id).not.toBe(pending!.ImageId);
        expect(sandboxImage(sandbox, pending!.ImageId)).toBeUndefined();
        expect(accountImages(sandbox).map((i) => [i.ImageId, i.ImageName, i.State])).toEqual([[id, name, 'available']]);
        await expectConverged(tf);
        await tf.destroy();
        expect(accountImages(sandbox)).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );
  },
  { needsProvider: true },
);
