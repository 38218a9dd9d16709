import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { upgradeFromJson } from '../../../src/framework/upgrade.js';
import { valueEquals } from '../../../src/protocol/codec/index.js';
import { toJsNumber, type TfNumber } from '../../../src/protocol/value.js';
import type { Image } from '../../../src/outscale/types.js';
import { impliedType } from '../../../src/framework/schema.js';
import { imageResource } from '../../../src/resources/image/resource.js';
import { imageBlock } from '../../../src/resources/image/schema.js';
import { stateFromImage } from '../../../src/resources/image/state.js';
import { goStatesGate } from '../../e2e/fixtures/go-states.js';

/** An outscale_image as the Go provider (SDKv2) writes it where the API has nothing: zero values, is_public null. */
const goAttributes = {
  account_alias: '',
  account_id: '123456789012',
  architecture: 'x86_64',
  block_device_mappings: [
    { bsu: [{ delete_on_vm_deletion: true, iops: 0, snapshot_id: 'snap-1', volume_size: 10, volume_type: 'standard' }], device_name: '/dev/sda1', virtual_device_name: '' },
  ],
  boot_modes: ['uefi'],
  creation_date: '2026-10-02T09:00:00.000Z',
  description: '',
  file_location: '123456789012/img',
  id: 'ami-11111111',
  image_id: 'ami-11111111',
  image_name: 'img',
  image_type: 'machine',
  is_public: null,
  no_reboot: 'true',
  permissions_to_launch: [{ account_ids: [], global_permission: true }],
  product_codes: ['0001'],
  request_id: 'req-1',
  root_device_name: '/dev/sda1',
  root_device_type: 'bsu',
  source_image_id: '',
  source_region_name: '',
  state: 'available',
  state_comment: [{ state_code: '', state_message: '' }],
  tags: [{ key: 'k', value: 'v' }],
  timeouts: null,
  tpm_mandatory: false,
  vm_id: 'i-1',
  unknown_to_us: 'dropped',
};

/** The same OMI as the API answers it. */
const apiImage: Image = {
  AccountId: '123456789012',
  Architecture: 'x86_64',
  BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Bsu: { DeleteOnVmDeletion: true, SnapshotId: 'snap-1', VolumeSize: 10, VolumeType: 'standard' } }],
  BootModes: ['uefi'],
  CreationDate: '2026-10-02T09:00:00.000Z',
  Description: '',
  FileLocation: '123456789012/img',
  ImageId: 'ami-11111111',
  ImageName: 'img',
  ImageType: 'machine',
  PermissionsToLaunch: { GlobalPermission: true, AccountIds: [] },
  ProductCodes: ['0001'],
  RootDeviceName: '/dev/sda1',
  RootDeviceType: 'bsu',
  SecureBoot: false,
  State: 'available',
  StateComment: {},
  Tags: [{ Key: 'k', Value: 'v' }],
  TpmMandatory: false,
};

function upgrade(attributes: Record<string, unknown>) {
  const diags = new Diagnostics();
  const state = upgradeFromJson(imageResource, 0, Buffer.from(JSON.stringify(attributes)), diags);
  expect(diags.items).toEqual([]);
  return state;
}

describe('upgrading a state written by the Go provider', () => {
  it('gives what the next read of the same OMI gives: the first refresh-only plan is empty', () => {
    const upgraded = upgrade(goAttributes);
    const refreshed = stateFromImage(apiImage, upgraded);
    expect(valueEquals(upgraded, refreshed, impliedType(imageBlock)), JSON.stringify({ upgraded, refreshed }, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).toBe(true);
  });

  it('reads zero values as unset, is_public from the launch permission, SDKv2 strings as bools', () => {
    const upgraded = upgrade(goAttributes);
    const bsu = ((upgraded.block_device_mappings as Array<Record<string, unknown>>)[0]!.bsu as Array<Record<string, unknown>>)[0]!;
    expect(bsu.iops).toBeNull();
    expect((upgraded.block_device_mappings as Array<Record<string, unknown>>)[0]!.virtual_device_name).toBeNull();
    expect(upgraded).toMatchObject({ source_image_id: null, source_region_name: null, vm_id: 'i-1', no_reboot: true, is_public: true, secure_boot: false });
    expect(upgraded).not.toHaveProperty('unknown_to_us');
  });

  it('keeps real values: an io1 iops, a stored secure_boot, an empty bool or number string as null', () => {
    const io1 = { ...goAttributes, secure_boot: true, tpm_mandatory: '', block_device_mappings: [{ ...goAttributes.block_device_mappings[0]!, bsu: [{ iops: 150, volume_size: '', volume_type: 'io1' }] }] };
    const upgraded = upgrade(io1);
    const bsu = ((upgraded.block_device_mappings as Array<Record<string, unknown>>)[0]!.bsu as Array<Record<string, unknown>>)[0]!;
    expect(toJsNumber(bsu.iops as TfNumber)).toBe(150);
    expect(bsu).toMatchObject({ volume_size: null, volume_type: 'io1' });
    expect(upgraded).toMatchObject({ secure_boot: true, tpm_mandatory: null });
  });

  it('rejects an unknown schema version', () => {
    const diags = new Diagnostics();
    upgradeFromJson(imageResource, 3, Buffer.from('{}'), diags);
    expect(diags.items.map((d) => d.summary)).toEqual(['Unsupported state version']);
  });
});

describe('the Go provider fixtures gate', () => {
  it('fails under CI and skips elsewhere when a fixture is missing', () => {
    expect(goStatesGate(['no-such-fixture.ref'], { env: { CI: 'true' } })).toMatchObject({ mode: 'fail', reason: expect.stringContaining('no-such-fixture.ref') });
    expect(goStatesGate(['no-such-fixture.ref'], { env: {} }).mode).toBe('skip');
  });
});
