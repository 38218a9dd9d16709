// Deterministic starting resources (ids documented in README.md).
import { aliasOf, PUBLISHER_ACCOUNT_ID } from './accounts.js';
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
  const alias = aliasOf(accountId);
  if (alias) s.AccountAlias = alias;
  return s;
}

interface PublishedImage {
  id: string;
  name: string;
  description: string;
  date: string;
  bootModes: string[];
  accountId?: string;
  architecture?: string;
  secureBoot?: boolean;
  tpmMandatory?: boolean;
  bsu?: { VolumeSize: number; VolumeType: string; Iops?: number; DeleteOnVmDeletion?: boolean };
  tags?: Array<{ Key: string; Value: string }>;
  /** Default: public. */
  sharedWith?: string[];
  productCodes?: string[];
}

/** An available OMI of another account (the publisher unless said), with its root snapshot. */
function publishedImage(p: PublishedImage): [StoredImage, StoredSnapshot] {
  const accountId = p.accountId ?? PUBLISHER_ACCOUNT_ID;
  const alias = aliasOf(accountId);
  const snapId = p.id.replace(/^ami-/, 'snap-');
  const bsu = p.bsu ?? { VolumeSize: 10, VolumeType: 'standard' };
  const snap = snapshot(snapId, accountId, bsu.VolumeSize, p.date, `Root snapshot of ${p.name}`);
  const createdAtMs = Date.parse(p.date);
  const image: StoredImage = {
    ImageId: p.id,
    ImageName: p.name,
    Description: p.description,
    AccountId: accountId,
    ...(alias ? { AccountAlias: alias } : {}),
    Architecture: p.architecture ?? 'x86_64',
    BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Bsu: { DeleteOnVmDeletion: true, SnapshotId: snapId, ...bsu } }],
    BootModes: p.bootModes,
    SecureBoot: p.secureBoot ?? false,
    TpmMandatory: p.tpmMandatory ?? false,
    CreationDate: p.date,
    FileLocation: `${alias ?? accountId}/${p.name}`,
    ImageType: 'machine',
    PermissionsToLaunch: p.sharedWith ? { GlobalPermission: false, AccountIds: [...p.sharedWith] } : { GlobalPermission: true, AccountIds: [] },
    ProductCodes: p.productCodes ?? ['0001'],
    RootDeviceName: '/dev/sda1',
    RootDeviceType: 'bsu',
    State: 'available',
    StateComment: {},
    Tags: p.tags ?? [],
    internal: { createdAtMs, readyAtMs: createdAtMs, outcome: 'available' },
  };
  return [image, snap];
}

function publicImage(index: number, bootModes: string[], description: string, date: string): [StoredImage, StoredSnapshot] {
  const [image, snap] = publishedImage({ id: SEEDED.publicImageIds[index]!, name: SEEDED.publicImageNames[index]!, description, date, bootModes });
  // the first seeded images kept their historical snapshot ids
  const snapId = `snap-5eed100${index + 1}`;
  image.BlockDeviceMappings[0]!.Bsu!.SnapshotId = snapId;
  return [image, { ...snap, SnapshotId: snapId }];
}

function put(state: SandboxState, [image, snap]: [StoredImage, StoredSnapshot]): void {
  state.images.set(image.ImageId, image);
  state.snapshots.set(snap.SnapshotId, snap);
}

/** A public account without alias, publishing look-alike names (why `most_recent` wants an owner filter). */
export const COMMUNITY_ACCOUNT_ID = '555555555555';

/**
 * More OMIs of other accounts, for the data-source tests: several Debian 12 releases (two on the same date), other
 * architectures, volume types and sizes, secure boot and vTPM, tags, a newer look-alike from an account without
 * alias and a private OMI shared with `sharedWithAccountId`. Ids `ami-ca7a00NN`. Not part of the default seed.
 */
export function seedImageCatalog(state: SandboxState, sharedWithAccountId: string): void {
  const os = (name: string, version: string) => [{ Key: 'os', Value: name }, { Key: 'version', Value: version }];
  const catalog: PublishedImage[] = [
    { id: 'ami-ca7a0001', name: 'Debian-12-2026.10.20-0', description: 'Debian 12', date: '2026-10-20T08:00:00.000Z', bootModes: ['legacy', 'uefi'], tags: os('debian', '12') },
    { id: 'ami-ca7a0002', name: 'Debian-12-2026.11.15-0', description: 'Debian 12 (secure boot)', date: '2026-11-15T08:00:00.000Z', bootModes: ['uefi'], secureBoot: true, tpmMandatory: true, tags: [...os('debian', '12'), { Key: 'channel', Value: 'stable' }] },
    { id: 'ami-ca7a0003', name: 'Debian-12-2026.11.15-0-i386', description: 'Debian 12 (i386)', date: '2026-11-15T08:00:00.000Z', bootModes: ['legacy'], architecture: 'i386', tags: os('debian', '12') },
    { id: 'ami-ca7a0004', name: 'Ubuntu-24.04-2026.11.01-0', description: 'Ubuntu 24.04 LTS', date: '2026-11-01T08:00:00.000Z', bootModes: ['legacy', 'uefi'], bsu: { VolumeSize: 20, VolumeType: 'gp2' }, tags: os('ubuntu', '24.04') },
    { id: 'ami-ca7a0005', name: 'RockyLinux-9-2026.10.05-0', description: 'Rocky Linux 9 (io1)', date: '2026-10-05T08:00:00.000Z', bootModes: ['legacy'], bsu: { VolumeSize: 50, VolumeType: 'io1', Iops: 1500, DeleteOnVmDeletion: false }, tags: os('rocky', '9'), productCodes: ['0001', '0002'] },
    { id: 'ami-ca7a0006', name: 'Debian-12-2026.11.30-0', description: 'Debian 12 (community rebuild)', date: '2026-11-30T08:00:00.000Z', bootModes: ['legacy', 'uefi'], accountId: COMMUNITY_ACCOUNT_ID, tags: os('debian', '12') },
    { id: 'ami-ca7a0007', name: 'partner-appliance-3.1', description: 'Shared with you only', date: '2026-09-01T08:00:00.000Z', bootModes: ['uefi'], accountId: COMMUNITY_ACCOUNT_ID, sharedWith: [sharedWithAccountId], tags: [{ Key: 'vendor', Value: 'partner=1' }] },
  ];
  for (const p of catalog) put(state, publishedImage(p));
}

export function seedState(state: SandboxState, accountId: string): void {
  const images = [
    publicImage(0, ['legacy', 'uefi'], 'Ubuntu 22.04 LTS', '2026-10-01T08:00:00.000Z'),
    publicImage(1, ['legacy', 'uefi'], 'Debian 12', '2026-09-15T08:00:00.000Z'),
    publicImage(2, ['legacy'], 'Rocky Linux 9', '2026-08-20T08:00:00.000Z'),
  ];
  for (const entry of images) put(state, entry);
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
