// Deterministic starting resources (ids documented in README.md).
import { PUBLISHER_ACCOUNT_ALIAS, PUBLISHER_ACCOUNT_ID } from './accounts.js';
import type { SandboxState } from './state.js';
import type { StoredImage, StoredSnapshot, StoredVm } from './types.js';

export const SEEDED = {
  vmId: 'i-5eed0001',
  rootVolumeId: 'vol-5eed0001',
  snapshotIds: ['snap-5eed0001', 'snap-5eed0002'] as const,
  publicImageIds: ['ami-5eed0001', 'ami-5eed0002', 'ami-5eed0003'] as const,
  publicImageNames: ['Ubuntu-22.04-2026.10.01-0', 'Debian-12-2026.09.15-0', 'RockyLinux-9-2026.08.20-0'] as const,
};

function snapshot(id: string, accountId: string, size: number, date: string, description: string, volumeId?: string): StoredSnapshot {
  const s: StoredSnapshot = {
    SnapshotId: id,
    AccountId: accountId,
    Description: description,
    CreationDate: date,
    PermissionsToCreateVolume: { GlobalPermission: false, AccountIds: [] },
    Progress: 100,
    State: 'completed',
    Tags: [],
    VolumeSize: size,
  };
  if (volumeId) s.VolumeId = volumeId;
  if (accountId === PUBLISHER_ACCOUNT_ID) s.AccountAlias = PUBLISHER_ACCOUNT_ALIAS;
  return s;
}

function publicImage(index: number, bootModes: string[], description: string, date: string): [StoredImage, StoredSnapshot] {
  const id = SEEDED.publicImageIds[index]!;
  const name = SEEDED.publicImageNames[index]!;
  const snapId = `snap-5eed100${index + 1}`;
  const snap = snapshot(snapId, PUBLISHER_ACCOUNT_ID, 10, date, `Root snapshot of ${name}`);
  const createdAtMs = Date.parse(date);
  const image: StoredImage = {
    ImageId: id,
    ImageName: name,
    Description: description,
    AccountId: PUBLISHER_ACCOUNT_ID,
    AccountAlias: PUBLISHER_ACCOUNT_ALIAS,
    Architecture: 'x86_64',
    BlockDeviceMappings: [
      { DeviceName: '/dev/sda1', Bsu: { DeleteOnVmDeletion: true, SnapshotId: snapId, VolumeSize: 10, VolumeType: 'standard' } },
    ],
    BootModes: bootModes,
    SecureBoot: false,
    TpmMandatory: false,
    CreationDate: date,
    FileLocation: `${PUBLISHER_ACCOUNT_ALIAS}/${name}`,
    ImageType: 'machine',
    PermissionsToLaunch: { GlobalPermission: true, AccountIds: [] },
    ProductCodes: ['0001'],
    RootDeviceName: '/dev/sda1',
    RootDeviceType: 'bsu',
    State: 'available',
    StateComment: {},
    Tags: [],
    internal: { createdAtMs, readyAtMs: createdAtMs, outcome: 'available' },
  };
  return [image, snap];
}

export function seedState(state: SandboxState, accountId: string): void {
  const images = [
    publicImage(0, ['legacy', 'uefi'], 'Ubuntu 22.04 LTS', '2026-10-01T08:00:00.000Z'),
    publicImage(1, ['legacy', 'uefi'], 'Debian 12', '2026-09-15T08:00:00.000Z'),
    publicImage(2, ['legacy'], 'Rocky Linux 9', '2026-08-20T08:00:00.000Z'),
  ];
  for (const [image, snap] of images) {
    state.images.set(image.ImageId, image);
    state.snapshots.set(snap.SnapshotId, snap);
  }
  const vmDate = '2026-10-02T09:00:00.000Z';
  const vm: StoredVm = {
    VmId: SEEDED.vmId,
    AccountId: accountId,
    ImageId: SEEDED.publicImageIds[0],
    State: 'running',
    VmType: 'tinav5.c1r1p2',
    Architecture: 'x86_64',
    BootMode: 'legacy',
    CreationDate: vmDate,
    RootDeviceName: '/dev/sda1',
    RootDeviceType: 'bsu',
    ProductCodes: ['0001'],
    Tags: [{ Key: 'Name', Value: 'sandbox-vm' }],
    ReservationId: 'r-5eed0001',
    PrivateIp: '10.0.0.10',
    PrivateDnsName: `ip-10-0-0-10.${state.region}.compute.internal`,
    Placement: { SubregionName: `${state.region}a`, Tenancy: 'default' },
    volumes: [
      { DeviceName: '/dev/sda1', VolumeId: SEEDED.rootVolumeId, VolumeSize: 10, VolumeType: 'standard', DeleteOnVmDeletion: true },
    ],
  };
  state.vms.set(vm.VmId, vm);
  const [s1, s2] = SEEDED.snapshotIds;
  state.snapshots.set(s1, snapshot(s1, accountId, 10, '2026-10-02T10:00:00.000Z', 'Seeded snapshot of the root volume', SEEDED.rootVolumeId));
  state.snapshots.set(s2, snapshot(s2, accountId, 20, '2026-10-02T11:00:00.000Z', 'Seeded data snapshot', 'vol-5eed0002'));
}
