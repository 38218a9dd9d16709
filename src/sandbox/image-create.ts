// CreateImage: the four creation modes (from a VM, from a manifest, copy, register from snapshots).
import { aliasOf } from './accounts.js';
import { isoDate, type ActionContext, type ActionHandler } from './context.js';
import { errors } from './errors.js';
import {
  IMAGE_ID,
  assertNameFree,
  normaliseSnapshotMappings,
  validateArchitecture,
  validateBootModes,
  validateImageName,
} from './image-validation.js';
import { blockDeviceMappingImage, strings } from './shape.js';
import { addSnapshot } from './snapshots.js';
import { canSeeImage, imageView } from './state.js';
import type { BlockDeviceMappingImage, StoredImage } from './types.js';

interface CreateImageRequest {
  Architecture?: string;
  BlockDeviceMappings?: BlockDeviceMappingImage[];
  BootModes?: string[];
  Description?: string;
  FileLocation?: string;
  ImageName?: string;
  NoReboot?: boolean;
  ProductCodes?: string[];
  RootDeviceName?: string;
  SourceImageId?: string;
  SourceRegionName?: string;
  TpmMandatory?: boolean;
  VmId?: string;
}

type Mode = 'vm' | 'manifest' | 'copy' | 'snapshots';

/** Parameters that belong to one mode only; their presence selects the mode. */
const MODE_PARAMETERS: Record<Mode, Array<keyof CreateImageRequest>> = {
  vm: ['VmId', 'NoReboot'],
  manifest: ['FileLocation'],
  copy: ['SourceImageId', 'SourceRegionName'],
  snapshots: ['BlockDeviceMappings', 'RootDeviceName', 'Architecture'],
};

const MODE_KEYS: Record<Mode, keyof CreateImageRequest> = {
  vm: 'VmId',
  manifest: 'FileLocation',
  copy: 'SourceImageId',
  snapshots: 'BlockDeviceMappings',
};

function selectMode(req: CreateImageRequest): Mode {
  const used = (Object.keys(MODE_PARAMETERS) as Mode[]).filter((mode) => MODE_PARAMETERS[mode].some((k) => req[k] !== undefined));
  if (used.length !== 1) {
    throw errors.invalidParameterSet(
      used.length === 0
        ? 'Specify one creation mode: VmId, FileLocation, SourceImageId with SourceRegionName, or BlockDeviceMappings with RootDeviceName.'
        : `Parameters of several creation modes were given (${used.join(', ')}); specify exactly one.`,
    );
  }
  const mode = used[0]!;
  if (req[MODE_KEYS[mode]] === undefined) throw errors.missingParameter(MODE_KEYS[mode]);
  if (mode === 'copy' && req.SourceRegionName === undefined) throw errors.missingParameter('SourceRegionName');
  if (mode === 'snapshots' && req.RootDeviceName === undefined) throw errors.missingParameter('RootDeviceName');
  return mode;
}

interface Built {
  BlockDeviceMappings: BlockDeviceMappingImage[];
  RootDeviceName: string;
  Architecture: string;
  BootModes: string[];
  FileLocation: string;
  TpmMandatory?: boolean;
  ProductCodes?: string[];
}

function fromVm(req: CreateImageRequest, ctx: ActionContext, name: string): Built {
  const vmId = req.VmId!;
  const vm = ctx.state.vms.get(vmId);
  if (!vm || vm.AccountId !== ctx.accountId) throw errors.noSuchVm(vmId);
  if (vm.State !== 'running' && vm.State !== 'stopped') {
    throw errors.invalidVmState(`The VM '${vmId}' is ${vm.State}.`);
  }
  const mappings = vm.volumes.map((v): BlockDeviceMappingImage => {
    const snap = addSnapshot(ctx.state, ctx.accountId, v.VolumeSize, `Created by CreateImage from ${vmId}`, ctx.nowMs, v.VolumeId);
    const bsu: NonNullable<BlockDeviceMappingImage['Bsu']> = {
      DeleteOnVmDeletion: v.DeleteOnVmDeletion,
      SnapshotId: snap.SnapshotId,
      VolumeSize: v.VolumeSize,
      VolumeType: v.VolumeType,
    };
    if (v.VolumeType === 'io1' && v.Iops !== undefined) bsu.Iops = v.Iops;
    return { DeviceName: v.DeviceName, Bsu: bsu };
  });
  return {
    BlockDeviceMappings: mappings,
    RootDeviceName: vm.RootDeviceName,
    Architecture: vm.Architecture,
    BootModes: req.BootModes ?? [vm.BootMode],
    FileLocation: `${ctx.accountId}/${name}`,
    ProductCodes: req.ProductCodes ?? [...vm.ProductCodes],
  };
}

function fromManifest(req: CreateImageRequest, ctx: ActionContext): Built {
  const url = req.FileLocation!;
  if (!/^https?:\/\/[^\s/]+\/\S*$/.test(url)) throw errors.invalidManifestFormat('FileLocation must be the pre-signed URL of a manifest.');
  const snap = addSnapshot(ctx.state, ctx.accountId, 10, 'Created by CreateImage from a manifest', ctx.nowMs);
  return {
    BlockDeviceMappings: [
      { DeviceName: '/dev/sda1', Bsu: { DeleteOnVmDeletion: true, SnapshotId: snap.SnapshotId, VolumeSize: 10, VolumeType: 'standard' } },
    ],
    RootDeviceName: '/dev/sda1',
    Architecture: 'x86_64',
    BootModes: req.BootModes ?? ['legacy'],
    FileLocation: url,
  };
}

function fromCopy(req: CreateImageRequest, ctx: ActionContext, name: string): Built {
  const sourceId = req.SourceImageId!;
  if (req.SourceRegionName !== ctx.region) {
    throw errors.invalidValue(`SourceRegionName must be the Region of the account (${ctx.region}); got '${req.SourceRegionName}'.`);
  }
  if (!IMAGE_ID.test(sourceId)) throw errors.malformedId(`'${sourceId}' is not a valid image ID.`);
  const source = ctx.state.activeImage(sourceId);
  if (!source || !canSeeImage(source, ctx.accountId)) throw errors.noSuchImage(sourceId);
  if (source.State !== 'available') throw errors.invalidImageState(`The source OMI '${sourceId}' is ${source.State}.`);
  const mappings = source.BlockDeviceMappings.map((m): BlockDeviceMappingImage => {
    if (!m.Bsu) return structuredClone(m);
    const size = m.Bsu.VolumeSize ?? 10;
    const snap = addSnapshot(ctx.state, ctx.accountId, size, `Created by CreateImage copying ${sourceId}`, ctx.nowMs);
    return { ...structuredClone(m), Bsu: { ...structuredClone(m.Bsu), SnapshotId: snap.SnapshotId } };
  });
  return {
    BlockDeviceMappings: mappings,
    RootDeviceName: source.RootDeviceName,
    Architecture: source.Architecture,
    BootModes: req.BootModes ?? [...source.BootModes],
    FileLocation: `${ctx.accountId}/${name}`,
    TpmMandatory: req.TpmMandatory ?? source.TpmMandatory,
    ProductCodes: req.ProductCodes ?? [...source.ProductCodes],
  };
}

function fromSnapshots(req: CreateImageRequest, ctx: ActionContext, name: string): Built {
  validateArchitecture(req.Architecture);
  return {
    BlockDeviceMappings: normaliseSnapshotMappings(ctx.state, ctx.accountId, req.BlockDeviceMappings!, req.RootDeviceName!),
    RootDeviceName: req.RootDeviceName!,
    Architecture: req.Architecture ?? 'x86_64',
    BootModes: req.BootModes ?? ['legacy'],
    FileLocation: `${ctx.accountId}/${name}`,
  };
}

export const createImage: ActionHandler = {
  mutates: true,
  shape: {
    object: {
      Architecture: 'string',
      BlockDeviceMappings: { array: blockDeviceMappingImage },
      BootModes: strings,
      Description: 'string',
      DryRun: 'boolean',
      FileLocation: 'string',
      ImageName: 'string',
      NoReboot: 'boolean',
      ProductCodes: strings,
      RootDeviceName: 'string',
      SourceImageId: 'string',
      SourceRegionName: 'string',
      TpmMandatory: 'boolean',
      VmId: 'string',
    },
  },
  run(body, ctx) {
    const req = body as CreateImageRequest;
    const mode = selectMode(req);
    // ImageName is optional in the spec; without one the OMI is stored with an empty name (own choice: the answer of
    // the real API is not documented) and its FileLocation uses the OMI id.
    if (req.ImageName !== undefined) {
      validateImageName(req.ImageName);
      assertNameFree(ctx.state, ctx.accountId, req.ImageName);
    }
    validateBootModes(req.BootModes);
    const imageId = ctx.state.newId('ami');
    const name = req.ImageName ?? '';
    const locationName = req.ImageName ?? imageId;
    const built =
      mode === 'vm' ? fromVm(req, ctx, locationName)
      : mode === 'manifest' ? fromManifest(req, ctx)
      : mode === 'copy' ? fromCopy(req, ctx, locationName)
      : fromSnapshots(req, ctx, locationName);

    const failure = ctx.imageFailure(name);
    const image: StoredImage = {
      ImageId: imageId,
      ImageName: name,
      Description: req.Description ?? '',
      AccountId: ctx.accountId,
      Architecture: built.Architecture,
      BlockDeviceMappings: built.BlockDeviceMappings,
      BootModes: built.BootModes,
      SecureBoot: false,
      TpmMandatory: built.TpmMandatory ?? req.TpmMandatory ?? false,
      CreationDate: isoDate(ctx.nowMs),
      FileLocation: built.FileLocation,
      ImageType: 'machine',
      PermissionsToLaunch: { GlobalPermission: false, AccountIds: [] },
      ProductCodes: built.ProductCodes ?? req.ProductCodes ?? ['0001'],
      RootDeviceName: built.RootDeviceName,
      RootDeviceType: 'bsu',
      State: 'pending',
      StateComment: {},
      Tags: [],
      internal: {
        createdAtMs: ctx.nowMs,
        readyAtMs: ctx.nowMs + ctx.state.timing.imagePendingMs,
        outcome: failure ? 'failed' : 'available',
        ...(failure ? { failComment: failure } : {}),
      },
    };
    const alias = aliasOf(ctx.accountId);
    if (alias) image.AccountAlias = alias;
    ctx.state.images.set(image.ImageId, image);
    return { Image: imageView(image) };
  },
};
