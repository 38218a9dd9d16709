// CreateSnapshot / ReadSnapshots: just enough for images to reference snapshots.
import { aliasOf } from './accounts.js';
import { isoDate, type ActionHandler } from './context.js';
import { errors } from './errors.js';
import { anyNumber, anyString, boolIs, tagFilterShape, tagsMatch } from './matching.js';
import { paginate } from './pagination.js';
import { integers, pagination, strings } from './shape.js';
import { byCreationThenId, canUseSnapshot, type SandboxState } from './state.js';
import type { StoredSnapshot } from './types.js';
import { validateSnapshotIdFormat } from './image-validation.js';

export function addSnapshot(
  state: SandboxState,
  accountId: string,
  size: number,
  description: string,
  nowMs: number,
  volumeId?: string,
): StoredSnapshot {
  const snapshot: StoredSnapshot = {
    SnapshotId: state.newId('snap'),
    AccountId: accountId,
    Description: description,
    CreationDate: isoDate(nowMs),
    PermissionsToCreateVolume: { GlobalPermission: false, AccountIds: [] },
    Progress: 100,
    State: 'completed',
    Tags: [],
    VolumeSize: size,
  };
  const alias = aliasOf(accountId);
  if (alias) snapshot.AccountAlias = alias;
  if (volumeId) snapshot.VolumeId = volumeId;
  state.snapshots.set(snapshot.SnapshotId, snapshot);
  return snapshot;
}

interface CreateSnapshotRequest {
  ClientToken?: string;
  Description?: string;
  FileLocation?: string;
  SnapshotSize?: number;
  SourceRegionName?: string;
  SourceSnapshotId?: string;
  VolumeId?: string;
}

export const createSnapshot: ActionHandler = {
  mutates: true,
  shape: {
    object: {
      ClientToken: 'string', Description: 'string', DryRun: 'boolean', FileLocation: 'string', SnapshotSize: 'integer',
      SourceRegionName: 'string', SourceSnapshotId: 'string', VolumeId: 'string',
    },
  },
  run(body, ctx) {
    const req = body as CreateSnapshotRequest;
    if (req.ClientToken !== undefined) {
      for (const s of ctx.state.snapshots.values()) {
        if (s.AccountId === ctx.accountId && s.ClientToken === req.ClientToken) return { Snapshot: structuredClone(s) };
      }
    }
    const modes = [req.VolumeId, req.SourceSnapshotId, req.FileLocation].filter((x) => x !== undefined).length;
    if (modes !== 1) throw errors.invalidParameterSet('Specify exactly one of VolumeId, SourceSnapshotId or FileLocation.');
    let size: number;
    let volumeId: string | undefined;
    if (req.VolumeId !== undefined) {
      const volume = [...ctx.state.vms.values()]
        .filter((vm) => vm.AccountId === ctx.accountId)
        .flatMap((vm) => vm.volumes)
        .find((v) => v.VolumeId === req.VolumeId);
      if (!volume) throw errors.noSuchVolume(req.VolumeId);
      size = volume.VolumeSize;
      volumeId = volume.VolumeId;
    } else if (req.SourceSnapshotId !== undefined) {
      validateSnapshotIdFormat(req.SourceSnapshotId);
      if (req.SourceRegionName !== undefined && req.SourceRegionName !== ctx.region) {
        throw errors.invalidValue(`SourceRegionName must be the Region of the account (${ctx.region}).`);
      }
      const source = ctx.state.snapshots.get(req.SourceSnapshotId);
      if (!source || !canUseSnapshot(source, ctx.accountId)) throw errors.noSuchSnapshot(req.SourceSnapshotId);
      size = source.VolumeSize;
    } else {
      if (!/^https?:\/\/\S+$/.test(req.FileLocation!)) throw errors.invalidManifestFormat('FileLocation must be a pre-signed URL.');
      if (req.SnapshotSize === undefined) throw errors.missingParameter('SnapshotSize');
      size = Math.max(1, Math.ceil(req.SnapshotSize / 1024 ** 3));
    }
    const snapshot = addSnapshot(ctx.state, ctx.accountId, size, req.Description ?? '', ctx.nowMs, volumeId);
    if (req.ClientToken !== undefined) snapshot.ClientToken = req.ClientToken;
    return { Snapshot: structuredClone(snapshot) };
  },
};

interface SnapshotFilters {
  AccountIds?: string[];
  Descriptions?: string[];
  SnapshotIds?: string[];
  States?: string[];
  VolumeIds?: string[];
  VolumeSizes?: number[];
  PermissionsToCreateVolumeGlobalPermission?: boolean;
  TagKeys?: string[];
  TagValues?: string[];
  Tags?: string[];
}

export const readSnapshots: ActionHandler = {
  mutates: false,
  shape: {
    object: {
      DryRun: 'boolean',
      ...pagination,
      Filters: {
        object: {
          AccountIds: strings, Descriptions: strings, SnapshotIds: strings, States: strings, VolumeIds: strings,
          VolumeSizes: integers, PermissionsToCreateVolumeGlobalPermission: 'boolean', ...tagFilterShape,
        },
      },
    },
  },
  run(body, ctx) {
    const f = (body.Filters ?? {}) as SnapshotFilters;
    const all = [...ctx.state.snapshots.values()]
      .filter((s) => canUseSnapshot(s, ctx.accountId))
      .filter(
        (s) =>
          anyString(f.AccountIds, s.AccountId) &&
          anyString(f.Descriptions, s.Description) &&
          anyString(f.SnapshotIds, s.SnapshotId) &&
          anyString(f.States, s.State) &&
          anyString(f.VolumeIds, s.VolumeId) &&
          anyNumber(f.VolumeSizes, [s.VolumeSize]) &&
          boolIs(f.PermissionsToCreateVolumeGlobalPermission, s.PermissionsToCreateVolume.GlobalPermission) &&
          tagsMatch(f, s.Tags),
      )
      .sort(byCreationThenId((s: StoredSnapshot) => s.SnapshotId));
    const page = paginate(all, body, 'ReadSnapshots');
    const out: Record<string, unknown> = { Snapshots: page.items.map((s) => structuredClone(s)) };
    if (page.nextPageToken) out.NextPageToken = page.nextPageToken;
    return out;
  },
};
