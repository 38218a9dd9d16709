import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { planResourceChange } from '../../../src/framework/plan.js';
import { pathToString } from '../../../src/protocol/path.js';
import { objectValue, UNKNOWN, type ObjectValue, type Value } from '../../../src/protocol/value.js';
import { imageToState } from '../../../src/resources/image/convert.js';
import { planImage } from '../../../src/resources/image/plan.js';
import { imageBlock } from '../../../src/resources/image/schema.js';

function config(values: Record<string, Value>): ObjectValue {
  const c = objectValue();
  for (const n of Object.keys(imageBlock.attributes)) c[n] = null;
  c.tags = [];
  c.timeouts = null;
  return objectValue({ ...c, image_name: 'img', ...values });
}

const rootMapping = [
  objectValue({
    device_name: '/dev/sda1',
    virtual_device_name: null,
    bsu: [objectValue({ delete_on_vm_deletion: true, iops: null, snapshot_id: 'snap-1', volume_size: 10, volume_type: 'standard' })],
  }),
];

async function planErrors(prior: ObjectValue | null, c: ObjectValue) {
  const diags = new Diagnostics();
  await planResourceChange(imageBlock, { prior, proposed: c, config: c }, diags, planImage);
  return diags.items.filter((d) => d.severity === 'error').map((d) => ({ path: d.path ? pathToString(d.path) : '', text: `${d.summary}: ${d.detail}` }));
}

describe('creation mode, checked when planning a creation', () => {
  it.each([
    ['from a VM', { vm_id: 'i-1' }],
    ['from a manifest', { file_location: 'https://example/manifest' }],
    ['copy', { source_image_id: 'ami-1', source_region_name: 'eu-west-2' }],
    ['from snapshots', { block_device_mappings: rootMapping, root_device_name: '/dev/sda1' }],
    ['unknown values from other resources', { vm_id: UNKNOWN }],
  ])('accepts %s', async (_name, values) => {
    expect(await planErrors(null, config(values as Record<string, Value>))).toEqual([]);
  });

  it.each([
    ['no creation mode', {}, '', /exactly one of/],
    ['two creation modes', { vm_id: 'i-1', file_location: 'https://x' }, 'file_location', /cannot be combined with "vm_id"/],
    ['two modes, one unknown', { vm_id: UNKNOWN, source_image_id: 'ami-1', source_region_name: 'eu-west-2' }, 'source_image_id', /cannot be combined/],
    ['copy without region', { source_image_id: 'ami-1' }, 'source_region_name', /required with "source_image_id"/],
    ['snapshots without root device', { block_device_mappings: rootMapping }, 'root_device_name', /required/],
    ['source_region_name without a copy', { vm_id: 'i-1', source_region_name: 'eu-west-2' }, 'source_region_name', /only used with "source_image_id"/],
    ['root_device_name without mappings', { vm_id: 'i-1', root_device_name: '/dev/sda1' }, 'root_device_name', /only used with "block_device_mappings"/],
  ])('rejects %s, with the attribute path', async (_name, values, path, message) => {
    const errors = await planErrors(null, config(values as Record<string, Value>));
    expect(errors.some((e) => e.path === path && message.test(e.text)), JSON.stringify(errors)).toBe(true);
  });

  it('does not apply to an existing OMI: a generated configuration holds the API view of every mode', async () => {
    const prior = objectValue({
      ...imageToState({ ImageId: 'ami-1', ImageName: 'img', FileLocation: '123456789012/img', RootDeviceName: '/dev/sda1', State: 'available',
        BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Bsu: { DeleteOnVmDeletion: true, SnapshotId: 'snap-1', VolumeSize: 10, VolumeType: 'standard' } }] }),
      request_id: '',
    });
    const generated = config({ file_location: '123456789012/img', block_device_mappings: rootMapping, root_device_name: '/dev/sda1', architecture: null });
    expect(await planErrors(prior, generated)).toEqual([]);
  });
});
