import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { validateBlock } from '../../../src/framework/validate.js';
import { pathToString } from '../../../src/protocol/path.js';
import { objectValue, UNKNOWN, type Value } from '../../../src/protocol/value.js';
import { imageBlock } from '../../../src/resources/image/schema.js';
import { validateImageConfig } from '../../../src/resources/image/validate.js';

const empty: Record<string, Value> = {};
for (const name of Object.keys(imageBlock.attributes)) empty[name] = null;
empty.tags = [];
empty.timeouts = null;

const bsu = (o: Record<string, Value>) =>
  objectValue({ delete_on_vm_deletion: null, iops: null, snapshot_id: null, volume_size: null, volume_type: null, ...o });
const mapping = (o: Record<string, Value>, b?: Record<string, Value>) =>
  objectValue({ device_name: null, virtual_device_name: null, bsu: b ? [bsu(b)] : [], ...o });
const tag = (key: Value, value: Value) => objectValue({ key, value });
const manyTags = (n: number) => Array.from({ length: n }, (_, i) => tag(`k${i}`, 'v'));

function validate(config: Record<string, Value>) {
  const diags = new Diagnostics();
  const value = objectValue({ ...empty, ...config });
  validateBlock(imageBlock, value, [], diags);
  validateImageConfig(value, diags);
  return diags.items.filter((d) => d.severity === 'error').map((d) => ({ path: d.path ? pathToString(d.path) : '', text: `${d.summary}: ${d.detail}` }));
}

const fromVm = { image_name: 'my-image', vm_id: 'i-12345678' };
const fromSnapshot = {
  image_name: 'snap-image',
  root_device_name: '/dev/sda1',
  block_device_mappings: [mapping({ device_name: '/dev/sda1' }, { snapshot_id: 'snap-1', volume_size: 10, volume_type: 'io1', iops: 150 })],
};

describe('outscale_image config validation', () => {
  it.each([
    ['from a VM', fromVm],
    ['from a manifest', { image_name: 'abc', file_location: 'https://example/manifest' }],
    ['copy', { image_name: 'abc', source_image_id: 'ami-12345678', source_region_name: 'eu-west-2' }],
    ['from snapshots', fromSnapshot],
    ['with 50 tags, the most the API accepts', { ...fromVm, tags: manyTags(50) }],
    ['with unknown values from other resources', { image_name: UNKNOWN, vm_id: UNKNOWN, tags: [tag('k', UNKNOWN)] }],
    // what `plan -generate-config-out` writes for an imported OMI: the creation mode is checked only when creating
    ['a configuration generated from an imported OMI', { ...fromSnapshot, file_location: '123456789012/snap-image' }],
    ['no creation mode (checked when planning a creation)', { image_name: 'abc' }],
    ['unknown mapping values', { ...fromSnapshot, block_device_mappings: [mapping({ device_name: '/dev/sda1' }, { snapshot_id: UNKNOWN, iops: UNKNOWN, volume_type: 'io1' })] }],
  ])('accepts %s', (_name, config) => {
    expect(validate(config as Record<string, Value>)).toEqual([]);
  });

  const invalid: Array<[string, Record<string, Value>, string, RegExp]> = [
    ['name too short', { ...fromVm, image_name: 'ab' }, 'image_name', /between 3 and 128/],
    ['name too long', { ...fromVm, image_name: 'a'.repeat(129) }, 'image_name', /between 3 and 128/],
    ['name with bad characters', { ...fromVm, image_name: 'bad*name' }, 'image_name', /letters, digits/],
    ['architecture enum', { ...fromVm, architecture: 'arm64' }, 'architecture', /"i386", "x86_64"/],
    ['boot mode enum', { ...fromVm, boot_modes: ['bios'] }, 'boot_modes', /"uefi", "legacy"/],
    ['empty tag key', { ...fromVm, tags: [tag('', 'v')] }, 'tags', /between 1 and 255/],
    ['tag value too long', { ...fromVm, tags: [tag('k', 'v'.repeat(256))] }, 'tags', /between 0 and 255/],
    ['duplicate tag key', { ...fromVm, tags: [tag('k', 'a'), tag('k', 'b')] }, 'tags', /more than once/],
    ['51 tags', { ...fromVm, tags: manyTags(51) }, 'tags', /At most 50 tags.*51/],
    ['iops without io1', { ...fromSnapshot, block_device_mappings: [mapping({ device_name: '/dev/sda1' }, { volume_type: 'gp2', iops: 100, volume_size: 10 })] }, 'block_device_mappings[0].bsu[0].iops', /only allowed with volume_type "io1"/],
    ['iops above 13000', { ...fromSnapshot, block_device_mappings: [mapping({ device_name: '/dev/sda1' }, { volume_type: 'io1', iops: 14000, volume_size: 100 })] }, 'block_device_mappings[0].bsu[0].iops', /between 1 and 13000/],
    ['iops above 300 per GiB', { ...fromSnapshot, block_device_mappings: [mapping({ device_name: '/dev/sda1' }, { volume_type: 'io1', iops: 3001, volume_size: 10 })] }, 'block_device_mappings[0].bsu[0].iops', /300 IOPS per GiB/],
    ['volume type enum', { ...fromSnapshot, block_device_mappings: [mapping({ device_name: '/dev/sda1' }, { volume_type: 'ssd' })] }, 'block_device_mappings[0].bsu[0].volume_type', /"standard", "io1", "gp2"/],
    ['device name pattern', { ...fromSnapshot, block_device_mappings: [mapping({ device_name: '/dev/sda1' }), mapping({ device_name: 'sdb' })] }, 'block_device_mappings[1].device_name', /not a valid device name/],
    ['read-only attribute', { ...fromVm, state: 'available' }, 'state', /read-only/],
    ['bad timeout', { ...fromVm, timeouts: objectValue({ create: '40 minutes', read: null, update: null, delete: null }) }, 'timeouts.create', /duration/],
  ];
  it.each(invalid)('rejects %s with the attribute path', (_name, config, path, message) => {
    const errors = validate(config);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => e.path === path && message.test(e.text))).toBe(true);
  });
});
