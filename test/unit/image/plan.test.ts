import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { planResourceChange } from '../../../src/framework/plan.js';
import { isUnknown, objectValue, UNKNOWN, type ObjectValue, type Value } from '../../../src/protocol/value.js';
import { imageBlock } from '../../../src/resources/image/schema.js';
import { mappingsSatisfied, planImage } from '../../../src/resources/image/plan.js';
import { diffTags } from '../../../src/resources/image/resource.js';
import { imageToState, createImageRequest } from '../../../src/resources/image/convert.js';

const bsu = (o: Record<string, Value>) =>
  objectValue({ delete_on_vm_deletion: null, iops: null, snapshot_id: null, volume_size: null, volume_type: null, ...o });
const mapping = (device: string, b: Record<string, Value>) => objectValue({ device_name: device, virtual_device_name: null, bsu: [bsu(b)] });

const apiImage = {
  ImageId: 'ami-11111111',
  ImageName: 'img',
  Description: '',
  AccountId: '123456789012',
  Architecture: 'x86_64',
  BlockDeviceMappings: [
    { DeviceName: '/dev/sda1', Bsu: { DeleteOnVmDeletion: true, SnapshotId: 'snap-1', VolumeSize: 10, VolumeType: 'io1', Iops: 150 } },
    { DeviceName: '/dev/sdb', Bsu: { DeleteOnVmDeletion: true, SnapshotId: 'snap-2', VolumeSize: 20, VolumeType: 'standard' } },
  ],
  BootModes: ['legacy' as const],
  CreationDate: '2026-11-27T10:00:00.000Z',
  FileLocation: '123456789012/img',
  ImageType: 'machine',
  PermissionsToLaunch: { GlobalPermission: false, AccountIds: [] },
  ProductCodes: ['0001'],
  RootDeviceName: '/dev/sda1',
  RootDeviceType: 'bsu',
  SecureBoot: false,
  State: 'available',
  StateComment: {},
  Tags: [{ Key: 'k', Value: 'v' }],
  TpmMandatory: false,
};

describe('block_device_mappings satisfaction', () => {
  const actual = imageToState(apiImage).block_device_mappings as Value[];
  it('holds when every configured leaf equals the API value, in any order, omitted leaves ignored', () => {
    expect(mappingsSatisfied([mapping('/dev/sdb', { volume_size: 20 }), mapping('/dev/sda1', { iops: 150, volume_type: 'io1' })], actual)).toBe(true);
  });
  it('fails on a changed leaf, a missing mapping, or an unknown value', () => {
    expect(mappingsSatisfied([mapping('/dev/sda1', { iops: 200 }), mapping('/dev/sdb', {})], actual)).toBe(false);
    expect(mappingsSatisfied([mapping('/dev/sda1', {})], actual)).toBe(false);
    expect(mappingsSatisfied([mapping('/dev/sda1', { snapshot_id: UNKNOWN }), mapping('/dev/sdb', {})], actual)).toBe(false);
  });
});

describe('outscale_image plan', () => {
  const prior = objectValue({ ...imageToState(apiImage), request_id: 'r-1', root_device_name: '/dev/sda1' });
  const configBase = (): ObjectValue => {
    const c = objectValue();
    for (const n of Object.keys(imageBlock.attributes)) c[n] = null;
    c.tags = [objectValue({ key: 'k', value: 'v' })];
    c.timeouts = null;
    c.image_name = 'img';
    c.root_device_name = '/dev/sda1';
    return c;
  };
  const proposedFrom = (config: ObjectValue): ObjectValue => {
    const p = objectValue(prior);
    for (const [k, v] of Object.entries(config)) if (v !== null) p[k] = v;
    return p;
  };

  it('plans the prior mappings when the configured partial mappings are satisfied: no change at all', async () => {
    const config = configBase();
    config.block_device_mappings = [mapping('/dev/sda1', { snapshot_id: 'snap-1', iops: 150, volume_type: 'io1' }), mapping('/dev/sdb', { snapshot_id: 'snap-2' })];
    const result = await planResourceChange(imageBlock, { prior, proposed: proposedFrom(config), config }, new Diagnostics(), planImage);
    expect(result.planned.block_device_mappings).toEqual(prior.block_device_mappings);
    expect(result.requiresReplace).toEqual([]);
  });

  it('a changed mapping replaces the OMI', async () => {
    const config = configBase();
    config.block_device_mappings = [mapping('/dev/sda1', { iops: 300, volume_type: 'io1' }), mapping('/dev/sdb', {})];
    const result = await planResourceChange(imageBlock, { prior, proposed: proposedFrom(config), config }, new Diagnostics(), planImage);
    expect(result.requiresReplace).toEqual([[{ attribute: 'block_device_mappings' }]]);
  });

  it('create: create-only inputs left out are planned null (no_reboot false), not unknown', async () => {
    const config = configBase();
    config.vm_id = 'i-1';
    const result = await planResourceChange(imageBlock, { prior: null, proposed: config, config }, new Diagnostics(), planImage);
    expect(result.planned.source_image_id).toBeNull();
    expect(result.planned.no_reboot).toBe(false);
    expect(result.planned.vm_id).toBe('i-1');
    expect(isUnknown(result.planned.block_device_mappings)).toBe(true);
    expect(isUnknown(result.planned.id)).toBe(true);
  });

  it('create without image_name: a warning on image_name (an ambiguous CreateImage cannot be recovered); none with a name or on update', async () => {
    const unnamed = configBase();
    unnamed.vm_id = 'i-1';
    unnamed.root_device_name = null; // only with block_device_mappings
    unnamed.image_name = null;
    const diags = new Diagnostics();
    await planResourceChange(imageBlock, { prior: null, proposed: unnamed, config: unnamed }, diags, planImage);
    expect(diags.items).toEqual([expect.objectContaining({ severity: 'warning', path: [{ attribute: 'image_name' }] })]);
    expect(diags.items[0]!.detail).toMatch(/lost/);

    const named = configBase();
    named.vm_id = 'i-1';
    named.root_device_name = null;
    named.image_name = 'named';
    const quiet = new Diagnostics();
    await planResourceChange(imageBlock, { prior: null, proposed: named, config: named }, quiet, planImage);
    const onUpdate = new Diagnostics();
    const config = configBase();
    config.image_name = null;
    await planResourceChange(imageBlock, { prior, proposed: proposedFrom(config), config }, onUpdate, planImage);
    expect([...quiet.items, ...onUpdate.items]).toEqual([]);
  });

  it('description change is an in-place update that keeps every API value', async () => {
    const config = configBase();
    config.description = 'new';
    const result = await planResourceChange(imageBlock, { prior, proposed: proposedFrom(config), config }, new Diagnostics(), planImage);
    expect(result.requiresReplace).toEqual([]);
    expect(result.planned.description).toBe('new');
    expect(result.planned.block_device_mappings).toEqual(prior.block_device_mappings);
    expect(result.planned.id).toBe('ami-11111111');
    expect(result.planned.state).toBe('available');
  });
});

describe('tags diff', () => {
  it('deletes removed and changed keys with their old values, then creates added and changed ones', () => {
    const before = [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }];
    const after = [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '20' }, { Key: 'd', Value: '' }];
    expect(diffTags(before, after)).toEqual({
      remove: [{ Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }],
      add: [{ Key: 'b', Value: '20' }, { Key: 'd', Value: '' }],
    });
  });
});

describe('CreateImage request', () => {
  it('sends delete_on_vm_deletion = false explicitly and leaves out what is not set', () => {
    const config = objectValue({ image_name: 'x', root_device_name: '/dev/sda1', block_device_mappings: [mapping('/dev/sda1', { snapshot_id: 's', delete_on_vm_deletion: false })] });
    expect(createImageRequest(config)).toEqual({
      ImageName: 'x',
      RootDeviceName: '/dev/sda1',
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Bsu: { DeleteOnVmDeletion: false, SnapshotId: 's' } }],
    });
  });
  it('sends NoReboot only with a VM', () => {
    expect(createImageRequest(objectValue({ vm_id: 'i-1', no_reboot: true }))).toEqual({ VmId: 'i-1', NoReboot: true });
    expect(createImageRequest(objectValue({ file_location: 'u', no_reboot: true }))).toEqual({ FileLocation: 'u' });
  });
});
