// Validation rules of CreateImage parameters, as documented for the API.
import { errors } from './errors.js';
import { canUseSnapshot, type SandboxState } from './state.js';
import type { BlockDeviceMappingImage } from './types.js';

const IMAGE_NAME = /^[A-Za-z0-9_ ()/.\-]{3,128}$/;
const DATA_DEVICE = /^\/dev\/(sd|xvd)[b-z][a-z]?$/;
const VIRTUAL_DEVICE = /^ephemeral\d+$/;
const SNAPSHOT_ID = /^snap-[0-9a-f]{8}$/;
export const IMAGE_ID = /^ami-[0-9a-f]{8}$/;
const VOLUME_TYPES = ['standard', 'io1', 'gp2'];
const MAX_IOPS = 13000;
const MAX_IOPS_PER_GIB = 300;
const MAX_VOLUME_GIB = 14901;

export function validateImageName(name: string): void {
  if (!IMAGE_NAME.test(name)) {
    throw errors.invalidImageName(
      'ImageName must be 3 to 128 characters among letters, digits, underscores, spaces, parentheses, slashes, periods and dashes.',
    );
  }
}

export function assertNameFree(state: SandboxState, accountId: string, name: string): void {
  for (const image of state.liveImages()) {
    if (image.AccountId === accountId && image.ImageName === name && image.internal.deletedAtMs === undefined) {
      throw errors.alreadyExists(`An OMI named '${name}' already exists in this account (${image.ImageId}).`);
    }
  }
}

export function isDeviceName(name: string): boolean {
  return name === '/dev/sda1' || DATA_DEVICE.test(name);
}

export function validateBootModes(modes: string[] | undefined): void {
  for (const m of modes ?? []) {
    if (m !== 'uefi' && m !== 'legacy') throw errors.invalidValue(`BootModes: '${m}' is not one of uefi, legacy.`);
  }
  if (modes && new Set(modes).size !== modes.length) throw errors.invalidValue('BootModes must not repeat a value.');
}

export function validateArchitecture(arch: string | undefined): void {
  if (arch !== undefined && arch !== 'i386' && arch !== 'x86_64') {
    throw errors.invalidValue(`Architecture: '${arch}' is not one of i386, x86_64.`);
  }
}

export function validateSnapshotIdFormat(id: string): void {
  if (!SNAPSHOT_ID.test(id)) throw errors.invalidSnapshotId(`'${id}' is not a valid snapshot ID.`);
}

/** Checks register-from-snapshot mappings and returns them with the API defaults filled in. */
export function normaliseSnapshotMappings(
  state: SandboxState,
  accountId: string,
  mappings: BlockDeviceMappingImage[],
  rootDeviceName: string,
): BlockDeviceMappingImage[] {
  if (mappings.length === 0) throw errors.invalidBdm('BlockDeviceMappings must contain at least one mapping.');
  if (!isDeviceName(rootDeviceName)) throw errors.invalidDeviceName(`RootDeviceName '${rootDeviceName}' is not a valid device name.`);
  const seen = new Set<string>();
  const out: BlockDeviceMappingImage[] = [];
  for (const [i, m] of mappings.entries()) {
    const where = `BlockDeviceMappings[${i}]`;
    if (m.DeviceName === undefined) throw errors.invalidDeviceName(`${where}.DeviceName is required.`);
    if (!isDeviceName(m.DeviceName)) throw errors.invalidDeviceName(`${where}.DeviceName '${m.DeviceName}' is not a valid device name.`);
    if (seen.has(m.DeviceName)) throw errors.invalidBdm(`${where}.DeviceName '${m.DeviceName}' is used twice.`);
    seen.add(m.DeviceName);
    if (m.Bsu && m.VirtualDeviceName !== undefined) throw errors.invalidBdm(`${where} sets both Bsu and VirtualDeviceName.`);
    if (m.VirtualDeviceName !== undefined) {
      if (!VIRTUAL_DEVICE.test(m.VirtualDeviceName)) throw errors.invalidVirtualName(`${where}.VirtualDeviceName must be ephemeralN.`);
      if (m.DeviceName === rootDeviceName) throw errors.invalidRootMapping('The root device must be a BSU volume.');
      out.push({ DeviceName: m.DeviceName, VirtualDeviceName: m.VirtualDeviceName });
      continue;
    }
    if (!m.Bsu) throw errors.invalidBdm(`${where} needs Bsu or VirtualDeviceName.`);
    out.push({ DeviceName: m.DeviceName, Bsu: normaliseBsu(state, accountId, m.Bsu, `${where}.Bsu`) });
  }
  const root = out.find((m) => m.DeviceName === rootDeviceName);
  if (!root) throw errors.invalidRootMapping(`RootDeviceName '${rootDeviceName}' is not among the BlockDeviceMappings.`);
  if (!root.Bsu?.SnapshotId) throw errors.invalidRootMapping('The root device mapping must reference a snapshot.');
  return out;
}

function normaliseBsu(state: SandboxState, accountId: string, bsu: NonNullable<BlockDeviceMappingImage['Bsu']>, where: string) {
  let snapshotSize: number | undefined;
  if (bsu.SnapshotId !== undefined) {
    validateSnapshotIdFormat(bsu.SnapshotId);
    const snapshot = state.snapshots.get(bsu.SnapshotId);
    if (!snapshot || !canUseSnapshot(snapshot, accountId)) throw errors.noSuchSnapshot(bsu.SnapshotId);
    snapshotSize = snapshot.VolumeSize;
  }
  const volumeType = bsu.VolumeType ?? 'standard';
  if (!VOLUME_TYPES.includes(volumeType)) throw errors.invalidValue(`${where}.VolumeType '${volumeType}' is not one of standard, io1, gp2.`);
  const size = bsu.VolumeSize ?? snapshotSize;
  if (size === undefined) throw errors.invalidVolumeSize(`${where}.VolumeSize is required without a SnapshotId.`);
  if (size < 1 || size > MAX_VOLUME_GIB) throw errors.invalidVolumeSize(`${where}.VolumeSize must be between 1 and ${MAX_VOLUME_GIB} GiB.`);
  if (snapshotSize !== undefined && size < snapshotSize) {
    throw errors.invalidVolumeSize(`${where}.VolumeSize (${size}) is smaller than the snapshot (${snapshotSize} GiB).`);
  }
  if (volumeType !== 'io1' && bsu.Iops !== undefined) throw errors.invalidIops(`${where}.Iops is only allowed for io1 volumes.`);
  if (volumeType === 'io1') {
    if (bsu.Iops === undefined) throw errors.invalidIops(`${where}.Iops is required for io1 volumes.`);
    if (bsu.Iops < 1 || bsu.Iops > MAX_IOPS) throw errors.invalidIops(`${where}.Iops must be between 1 and ${MAX_IOPS}.`);
    if (bsu.Iops > size * MAX_IOPS_PER_GIB) throw errors.invalidIops(`${where}.Iops exceeds ${MAX_IOPS_PER_GIB} IOPS per GiB.`);
  }
  const out: NonNullable<BlockDeviceMappingImage['Bsu']> = {
    DeleteOnVmDeletion: bsu.DeleteOnVmDeletion ?? true,
    VolumeSize: size,
    VolumeType: volumeType,
  };
  if (bsu.SnapshotId !== undefined) out.SnapshotId = bsu.SnapshotId;
  if (volumeType === 'io1') out.Iops = bsu.Iops!;
  return out;
}
