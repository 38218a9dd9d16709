// States written by the official Go provider's own acceptance tests (../shared/go-provider-states): the sandbox is
// set up like the remote objects of that test step, the placeholders are filled with their ids, and with a
// configuration of the step both `plan -detailed-exitcode` and `plan -refresh-only -detailed-exitcode` exit 0 —
// migrating to this provider shows no change. Missing fixtures skip on a developer machine and fail under CI.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, providerBlock, sandboxEnv } from './harness/index.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ok } from '../sandbox/helpers.js';
import { imageWorkspace, sandboxImage } from './fixtures/image-e2e.js';
import { filledGoState, GO_STATE_FILES, goStatesGate } from './fixtures/go-states.js';

const TEST_TIMEOUT_MS = 180_000;

async function createImage(sandbox: Sandbox, body: Record<string, unknown>): Promise<string> {
  return (await ok(sandbox, 'CreateImage', body)).Image.ImageId as string;
}

/** The values the fixture hides behind `########`, as the API gives them for one OMI. */
function hidden(sandbox: Sandbox, id: string): Record<string, string> {
  const image = sandboxImage(sandbox, id)!;
  return { image_name: image.ImageName, file_location: image.FileLocation, creation_date: image.CreationDate, request_id: randomUUID() };
}

const rootSnapshot = (sandbox: Sandbox, id: string) => sandboxImage(sandbox, id)!.BlockDeviceMappings[0]!.Bsu!.SnapshotId!;

describeE2e(
  'states written by the official Go provider',
  () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 0, region: 'eu-west-2' });
    });
    afterAll(() => sandbox?.close());

    it(
      'TF-67 (an OMI from a VM with two tags, and a copy of it): no change with and without -refresh-only',
      async () => {
        // the step's VM boots in UEFI; its OMI and a copy with both boot modes
        const vmId = (await ok(sandbox, 'CreateVms', { ImageId: SEEDED.publicImageIds[0], BootMode: 'uefi' })).Vms[0].VmId as string;
        const fromVm = await createImage(sandbox, { ImageName: 'terraform-image-2', VmId: vmId, NoReboot: true });
        await ok(sandbox, 'CreateTags', { ResourceIds: [fromVm], Tags: [{ Key: 'Key', Value: 'value-tags' }, { Key: 'Key-2', Value: 'value-tags-2' }] });
        const copy = await createImage(sandbox, {
          ImageName: 'terraform-copy-image',
          SourceImageId: fromVm,
          SourceRegionName: 'eu-west-2',
          Description: 'Test-copy-image',
          BootModes: ['uefi', 'legacy'],
        });
        const state = filledGoState(GO_STATE_FILES.tf67, {
          ids: { 0: sandbox.accountId, 1: rootSnapshot(sandbox, fromVm), 2: fromVm, 3: vmId, 4: rootSnapshot(sandbox, copy), 5: copy },
          values: { outscale_image: hidden(sandbox, fromVm), outscale_image_2: hidden(sandbox, copy) },
        });
        const config = `${providerBlock()}
resource "outscale_image" "outscale_image" {
  image_name = "terraform-image-2"
  vm_id      = "${vmId}"
  no_reboot  = "true"
  tags {
    key   = "Key"
    value = "value-tags"
  }
  tags {
    key   = "Key-2"
    value = "value-tags-2"
  }
}

resource "outscale_image" "outscale_image_2" {
  description        = "Test-copy-image"
  image_name         = "terraform-copy-image"
  source_image_id    = outscale_image.outscale_image.image_id
  source_region_name = "eu-west-2"
  boot_modes         = ["uefi", "legacy"]
}
`;
        const tf = await imageWorkspace({ env: sandboxEnv(sandbox), config });
        await tf.writeFile('terraform.tfstate', state);
        await tf.expectNoChanges();
        await tf.refresh(); // writes the upgraded, refreshed state, as the first apply after the migration would
        expect(await tf.resource('outscale_image.outscale_image')).toMatchObject({ id: fromVm, vm_id: vmId, no_reboot: true, is_public: false, secure_boot: false });
        expect(await tf.resource('outscale_image.outscale_image_2')).toMatchObject({ id: copy, source_image_id: fromVm, description: 'Test-copy-image' });
        const mappings = (await tf.resource('outscale_image.outscale_image')).block_device_mappings as Array<Record<string, unknown>>;
        expect(mappings).toEqual([
          {
            device_name: '/dev/sda1',
            virtual_device_name: null,
            bsu: [{ delete_on_vm_deletion: true, iops: null, snapshot_id: rootSnapshot(sandbox, fromVm), volume_size: 10, volume_type: 'standard' }],
          },
        ]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'TF-210 (a tpm_mandatory copy of a UEFI OMI, shared publicly): no change with and without -refresh-only',
      async () => {
        // the CI's UEFI + TPM source OMI (50 GiB gp2, product code 0002), then the step's copy of it
        const source = await createImage(sandbox, {
          ImageName: 'terraform-ci-uefi-tpm',
          Description: 'Copy OMI for Terraform CI (Do not delete)',
          RootDeviceName: '/dev/sda1',
          BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[0], VolumeSize: 50, VolumeType: 'gp2' } }],
          BootModes: ['uefi'],
          TpmMandatory: true,
          ProductCodes: ['0002'],
        });
        const copy = await createImage(sandbox, { ImageName: 'test-image-tpm', SourceImageId: source, SourceRegionName: 'eu-west-2', TpmMandatory: true });
        // what the recorded OMI shows: the source's description and a global launch permission
        await ok(sandbox, 'UpdateImage', {
          ImageId: copy,
          Description: 'Copy OMI for Terraform CI (Do not delete)',
          PermissionsToLaunch: { Additions: { GlobalPermission: true } },
        });
        const state = filledGoState(GO_STATE_FILES.tf210, {
          ids: { 0: sandbox.accountId, 1: rootSnapshot(sandbox, copy), 2: copy, 3: source },
          values: { image03: hidden(sandbox, copy) },
        });
        const config = `${providerBlock()}
resource "outscale_image" "image03" {
  image_name         = "test-image-tpm"
  source_image_id    = "${source}"
  source_region_name = "eu-west-2"
  tpm_mandatory      = true
}
`;
        const tf = await imageWorkspace({ env: sandboxEnv(sandbox), config });
        await tf.writeFile('terraform.tfstate', state);
        await tf.expectNoChanges();
        await tf.refresh();
        expect(await tf.resource('outscale_image.image03')).toMatchObject({ id: copy, tpm_mandatory: true, is_public: true, boot_modes: ['uefi'], product_codes: ['0002'] });
      },
      TEST_TIMEOUT_MS,
    );
  },
  { gate: goStatesGate([GO_STATE_FILES.tf67, GO_STATE_FILES.tf210], { needsProvider: true }) },
);
