// An OMI registered from a snapshot with a minimal mapping (`bsu { snapshot_id = … }`): the plan keeps the config's
// nulls (delete_on_vm_deletion, volume_size, volume_type left to the API), and state must keep them too — after the
// create and after every refresh — or `plan -refresh-only -detailed-exitcode` reports drift right after apply.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, providerBlock, sandboxEnv } from './harness/index.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { imageWorkspace, sandboxImage } from './fixtures/image-e2e.js';

const TEST_TIMEOUT_MS = 180_000;

function config(name: string, bsu: string): string {
  return `${providerBlock()}
resource "outscale_image" "x" {
  image_name       = "${name}"
  root_device_name = "/dev/sda1"
  block_device_mappings {
    device_name = "/dev/sda1"
    bsu {
      snapshot_id = "${SEEDED.snapshotIds[0]}"
${bsu}
    }
  }
}
`;
}

describeE2e(
  'outscale_image registered from snapshot mappings',
  () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 200 });
    });
    afterAll(() => sandbox?.close());
    const workspace = (hcl: string) => imageWorkspace({ env: sandboxEnv(sandbox), config: hcl });

    const cases = [
      { name: 'snapshot-id-only', bsu: '' },
      { name: 'snapshot-and-size', bsu: '      volume_size = 20' },
      { name: 'snapshot-type-delete', bsu: '      volume_type = "standard"\n      delete_on_vm_deletion = false' },
    ];
    for (const c of cases) {
      it(
        `${c.name}: state keeps the configured nulls, both plans are empty right after apply and after a refresh`,
        async () => {
          const tf = await workspace(config(`e2e-bdm-${c.name}`, c.bsu));
          await tf.apply();
          const values = await tf.resource('outscale_image.x');
          const image = sandboxImage(sandbox, values.id as string)!;
          expect(image.BlockDeviceMappings[0]!.Bsu).toMatchObject({ SnapshotId: SEEDED.snapshotIds[0], VolumeType: expect.any(String) });
          const bsu = (values.block_device_mappings as Array<{ bsu: Array<Record<string, unknown>> }>)[0]!.bsu[0]!;
          expect(bsu.snapshot_id).toBe(SEEDED.snapshotIds[0]);
          if (c.bsu === '') expect(bsu).toMatchObject({ delete_on_vm_deletion: null, volume_size: null, volume_type: null, iops: null });
          await tf.expectNoChanges();
          await tf.refresh();
          await tf.expectNoChanges();
          await tf.destroy();
        },
        TEST_TIMEOUT_MS,
      );
    }

    it(
      'a mapping the API contradicts after apply is the API\'s after a refresh (replacement planned)',
      async () => {
        const tf = await workspace(config('e2e-bdm-contradicted', '      volume_size = 20'));
        await tf.apply();
        const id = (await tf.resource('outscale_image.x')).id as string;
        sandboxImage(sandbox, id)!.BlockDeviceMappings[0]!.Bsu!.VolumeSize = 30; // behind Terraform's back
        const refreshOnly = await tf.plan({ detailedExitCode: true, args: ['-refresh-only'] });
        expect(refreshOnly.code, refreshOnly.stdout).toBe(2);
        expect(refreshOnly.stdout).toMatch(/volume_size\s+= 20 -> 30/);
        const plan = await tf.plan({ detailedExitCode: true });
        expect(plan.stdout).toContain('must be replaced');
        await tf.destroy();
      },
      TEST_TIMEOUT_MS,
    );
  },
  { needsProvider: true },
);
