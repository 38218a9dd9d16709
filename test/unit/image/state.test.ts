import { describe, expect, it } from 'vitest';
import { objectValue, UNKNOWN, type ObjectValue, type Value } from '../../../src/protocol/value.js';
import { imageToState } from '../../../src/resources/image/convert.js';
import { mergeMappings, stateFromImage } from '../../../src/resources/image/state.js';
import type { Image } from '../../../src/outscale/types.js';

const image: Image = {
  ImageId: 'ami-11111111',
  ImageName: 'img',
  AccountId: '123456789012',
  BlockDeviceMappings: [
    { DeviceName: '/dev/sda1', Bsu: { DeleteOnVmDeletion: true, SnapshotId: 'snap-1', VolumeSize: 10, VolumeType: 'io1', Iops: 150 } },
    { DeviceName: '/dev/sdb', Bsu: { DeleteOnVmDeletion: false, SnapshotId: 'snap-2', VolumeSize: 20, VolumeType: 'standard' } },
  ],
  RootDeviceName: '/dev/sda1',
  State: 'available',
};
const apiMappings = imageToState(image).block_device_mappings as ObjectValue[];
const BSU_LEAVES = ['delete_on_vm_deletion', 'iops', 'snapshot_id', 'volume_size', 'volume_type'] as const;

/** The API mapping with the leaves of `mask` (bit i ↔ BSU_LEAVES[i]) set to null, as a config leaving them out. */
function masked(m: ObjectValue, mask: number): ObjectValue {
  const bsu = objectValue((m.bsu as ObjectValue[])[0]!);
  BSU_LEAVES.forEach((leaf, i) => {
    if (mask & (1 << i)) bsu[leaf] = null;
  });
  return objectValue({ ...m, bsu: [bsu] });
}

describe('mergeMappings (a refresh keeps what state holds wherever the API agrees)', () => {
  it('keeps a state mapping with any combination of null leaves when the API agrees on the others', () => {
    for (let mask = 0; mask < 1 << BSU_LEAVES.length; mask++) {
      const state = [masked(apiMappings[0]!, mask), apiMappings[1]!];
      expect(mergeMappings(state, apiMappings)).toEqual(state);
    }
  });

  it('takes the API mapping when one non-null leaf differs, whatever else is null', () => {
    const changed: Record<(typeof BSU_LEAVES)[number], Value> = {
      delete_on_vm_deletion: false,
      iops: 300,
      snapshot_id: 'snap-other',
      volume_size: 11,
      volume_type: 'gp2',
    };
    for (let mask = 0; mask < 1 << BSU_LEAVES.length; mask++) {
      BSU_LEAVES.forEach((leaf, i) => {
        if (mask & (1 << i)) return; // that leaf is null in state: nothing to contradict
        const state = masked(apiMappings[0]!, mask);
        (state.bsu as ObjectValue[])[0]![leaf] = changed[leaf];
        expect(mergeMappings([state, apiMappings[1]!], apiMappings)[0]).toEqual(apiMappings[0]);
      });
    }
  });

  it('orders like state, appends mappings state does not have, drops those the OMI does not have', () => {
    const sdc = objectValue({ device_name: '/dev/sdc', virtual_device_name: null, bsu: [] });
    expect(mergeMappings([apiMappings[1]!, sdc], apiMappings)).toEqual([apiMappings[1], apiMappings[0]]);
  });

  it('reads the API where state has no mappings (import) or an unknown value, or an unnamed mapping', () => {
    expect(mergeMappings(null, apiMappings)).toEqual(apiMappings);
    expect(mergeMappings([objectValue({ ...apiMappings[0]!, device_name: null })], apiMappings)).toEqual(apiMappings);
    const unknownLeaf = masked(apiMappings[0]!, 0);
    (unknownLeaf.bsu as ObjectValue[])[0]!.volume_size = UNKNOWN;
    expect(mergeMappings([unknownLeaf, apiMappings[1]!], apiMappings)[0]).toEqual(apiMappings[0]);
  });

  it('a bsu list that differs in length from the API is the API\'s', () => {
    const noBsu = objectValue({ ...apiMappings[0]!, bsu: [] });
    expect(mergeMappings([noBsu, apiMappings[1]!], apiMappings)[0]).toEqual(apiMappings[0]);
  });
});

describe('stateFromImage', () => {
  it('keeps planned nulls of the mappings after create (carried = the plan) and on every later read', () => {
    const planned = objectValue({ ...imageToState(image), block_device_mappings: [masked(apiMappings[0]!, 0b11101), masked(apiMappings[1]!, 0)] });
    const created = stateFromImage(image, planned);
    expect(created.block_device_mappings).toEqual(planned.block_device_mappings);
    expect(stateFromImage(image, created).block_device_mappings).toEqual(planned.block_device_mappings);
  });

  it('fills the mappings from the API when the plan left them unknown (from a VM, a copy, a manifest)', () => {
    const planned = objectValue({ ...imageToState(image), block_device_mappings: UNKNOWN });
    expect(stateFromImage(image, planned).block_device_mappings).toEqual(apiMappings);
  });
});
