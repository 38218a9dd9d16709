// Adopting existing OMIs the standard way: an `import {}` block and `terraform plan -generate-config-out`. Terraform
// writes every optional argument the imported state holds — file_location, block_device_mappings and
// root_device_name for every OMI, whatever its creation mode — so the generated file must validate, import with no
// change and no replacement, and then plan nothing. The creation-mode rule only applies to a creation.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, providerBlock, sandboxEnv } from './harness/index.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ok } from '../sandbox/helpers.js';
import { changeOf, imageWorkspace } from './fixtures/image-e2e.js';

const TEST_TIMEOUT_MS = 180_000;

/** CreateImage bodies, one per creation mode (names made unique by the caller). */
const MODES: Record<string, (name: string) => Record<string, unknown>> = {
  'from-vm': (name) => ({ ImageName: name, VmId: SEEDED.vmId, NoReboot: true, Description: 'from a VM' }),
  copy: (name) => ({ ImageName: name, SourceImageId: SEEDED.publicImageIds[0], SourceRegionName: 'eu-west-2', BootModes: ['uefi'] }),
  'snapshot-mappings': (name) => ({
    ImageName: name,
    RootDeviceName: '/dev/sda1',
    BlockDeviceMappings: [
      { DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[0] } },
      { DeviceName: '/dev/sdb', Bsu: { SnapshotId: SEEDED.snapshotIds[1], VolumeSize: 30, VolumeType: 'io1', Iops: 300 } },
    ],
  }),
  'file-location': (name) => ({ ImageName: name, FileLocation: 'https://osu.eu-west-2.outscale.com/exports/e2e/image.manifest.xml' }),
};

describeE2e(
  'outscale_image import with generated configuration',
  () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 0 });
    });
    afterAll(() => sandbox?.close());

    for (const [mode, body] of Object.entries(MODES)) {
      it(
        `${mode}: the generated file validates, imports with no change and then plans nothing`,
        async () => {
          const created = await ok(sandbox, 'CreateImage', body(`e2e-generated-${mode}`));
          const createCallsBefore = sandbox.calls.filter((c) => c.action === 'CreateImage' && c.executed).length;
          const id = created.Image.ImageId as string;
          await ok(sandbox, 'CreateTags', { ResourceIds: [id], Tags: [{ Key: 'origin', Value: mode }] });
          const tf = await imageWorkspace({
            env: sandboxEnv(sandbox),
            config: `${providerBlock()}\nimport {\n  to = outscale_image.adopted\n  id = "${id}"\n}\n`,
          });
          await tf.plan({ args: ['-generate-config-out=generated.tf'] });
          const generated = await readFile(tf.path('generated.tf'), 'utf8');
          // what made the old validation fail: the API's view of every creation mode at once
          expect(generated).toMatch(/file_location\s*=/);
          expect(generated).toMatch(/root_device_name\s*=/);
          await tf.validate();

          const plan = await tf.planJson();
          const change = changeOf(plan, 'outscale_image.adopted');
          expect(change.change.actions).toEqual(['no-op']);
          expect(change.change.importing).toMatchObject({ id });
          await tf.apply({ args: ['tfplan'] });
          expect(await tf.resource('outscale_image.adopted')).toMatchObject({ id, image_id: id, state: 'available' });
          await tf.expectNoChanges();

          // a replacement creates a new OMI: there the generated arguments conflict, and the plan says so
          await tf.writeConfig(generated.replace(`"e2e-generated-${mode}"`, `"e2e-generated-${mode}-renamed"`), 'generated.tf');
          const replacing = await tf.plan({ allowFailure: true });
          expect(replacing.code, replacing.stdout).toBe(1);
          expect(replacing.stderr).toContain('Conflicting creation modes');
          expect(sandbox.calls.filter((c) => c.action === 'CreateImage' && c.executed)).toHaveLength(createCallsBefore);
        },
        TEST_TIMEOUT_MS,
      );
    }
  },
  { needsProvider: true },
);
