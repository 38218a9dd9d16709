// CreateVms / ReadVms: just enough to have VMs to create images from.
import { isoDate, type ActionHandler } from './context.js';
import { errors } from './errors.js';
import { IMAGE_ID, isDeviceName } from './image-validation.js';
import { anyString, tagFilterShape, tagsMatch } from './matching.js';
import { paginate } from './pagination.js';
import { pagination, strings } from './shape.js';
import { byCreationThenId, canSeeImage, type SandboxState } from './state.js';
import type { StoredVm, VmVolume } from './types.js';

const MAX_VMS_PER_CALL = 10;

/** The API view of a VM (Vm schema); volumes appear as BlockDeviceMappings. */
export function vmView(vm: StoredVm): Record<string, unknown> {
  const { volumes, ClientToken, AccountId: _owner, ...rest } = vm;
  const view: Record<string, unknown> = {
    ...structuredClone(rest),
    BlockDeviceMappings: volumes.map((v) => ({
      DeviceName: v.DeviceName,
      Bsu: { DeleteOnVmDeletion: v.DeleteOnVmDeletion, LinkDate: vm.CreationDate, State: 'attached', VolumeId: v.VolumeId },
    })),
    BsuOptimized: false,
    DeletionProtection: false,
    Hypervisor: 'xen',
    IsSourceDestChecked: true,
    LaunchNumber: 0,
    NestedVirtualization: false,
    Nics: [],
    Performance: 'high',
    SecurityGroups: [],
    TpmEnabled: false,
    VmInitiatedShutdownBehavior: 'stop',
  };
  if (ClientToken !== undefined) view.ClientToken = ClientToken;
  return view;
}

interface VmMapping {
  DeviceName?: string;
  Bsu?: { DeleteOnVmDeletion?: boolean; Iops?: number; SnapshotId?: string; VolumeSize?: number; VolumeType?: string };
}

interface CreateVmsRequest {
  ImageId: string;
  VmType?: string;
  ClientToken?: string;
  BootMode?: string;
  MinVmsCount?: number;
  MaxVmsCount?: number;
  BlockDeviceMappings?: VmMapping[];
}

function volumesFor(state: SandboxState, rootSize: number, mappings: VmMapping[] | undefined): VmVolume[] {
  const volumes: VmVolume[] = [
    { DeviceName: '/dev/sda1', VolumeId: state.newId('vol'), VolumeSize: rootSize, VolumeType: 'standard', DeleteOnVmDeletion: true },
  ];
  for (const m of mappings ?? []) {
    if (!m.DeviceName || !isDeviceName(m.DeviceName)) throw errors.invalidDeviceName(`'${m.DeviceName ?? ''}' is not a valid device name.`);
    const bsu = m.Bsu ?? {};
    const existing = volumes.find((v) => v.DeviceName === m.DeviceName);
    const target: VmVolume = existing ?? {
      DeviceName: m.DeviceName,
      VolumeId: state.newId('vol'),
      VolumeSize: 1,
      VolumeType: 'standard',
      DeleteOnVmDeletion: true,
    };
    if (bsu.VolumeSize !== undefined) target.VolumeSize = bsu.VolumeSize;
    else if (bsu.SnapshotId) target.VolumeSize = state.snapshots.get(bsu.SnapshotId)?.VolumeSize ?? target.VolumeSize;
    if (bsu.VolumeType !== undefined) target.VolumeType = bsu.VolumeType;
    if (bsu.Iops !== undefined) target.Iops = bsu.Iops;
    if (bsu.DeleteOnVmDeletion !== undefined) target.DeleteOnVmDeletion = bsu.DeleteOnVmDeletion;
    if (!existing) volumes.push(target);
  }
  return volumes;
}

export const createVms: ActionHandler = {
  mutates: true,
  // CreateVms has dozens of optional fields the sandbox does not interpret; ImageId is checked by hand.
  shape: { open: true },
  run(body, ctx) {
    const req = body as unknown as CreateVmsRequest;
    if (typeof req.ImageId !== 'string') throw errors.missingParameter('ImageId');
    if (req.ClientToken !== undefined) {
      const same = [...ctx.state.vms.values()].filter((vm) => vm.AccountId === ctx.accountId && vm.ClientToken === req.ClientToken);
      if (same.length > 0) return { Vms: same.map(vmView) };
    }
    if (!IMAGE_ID.test(req.ImageId)) throw errors.malformedId(`'${req.ImageId}' is not a valid image ID.`);
    const image = ctx.state.activeImage(req.ImageId);
    if (!image || !canSeeImage(image, ctx.accountId)) throw errors.noSuchImage(req.ImageId);
    if (image.State !== 'available') throw errors.invalidImageState(`The OMI '${req.ImageId}' is ${image.State}.`);
    const count = req.MaxVmsCount ?? req.MinVmsCount ?? 1;
    if (count < 1 || count > MAX_VMS_PER_CALL) throw errors.invalidValue(`The sandbox creates 1 to ${MAX_VMS_PER_CALL} VMs per call.`);
    const rootSize = image.BlockDeviceMappings.find((m) => m.DeviceName === image.RootDeviceName)?.Bsu?.VolumeSize ?? 10;
    const reservationId = ctx.state.newId('r');
    const created: StoredVm[] = [];
    for (let i = 0; i < count; i++) {
      const host = 10 + ctx.state.vms.size;
      const vm: StoredVm = {
        VmId: ctx.state.newId('i'),
        AccountId: ctx.accountId,
        ImageId: image.ImageId,
        State: 'running',
        VmType: req.VmType ?? 't2.small',
        Architecture: image.Architecture,
        BootMode: req.BootMode ?? image.BootModes[0] ?? 'legacy',
        CreationDate: isoDate(ctx.nowMs),
        RootDeviceName: image.RootDeviceName,
        RootDeviceType: 'bsu',
        ProductCodes: [...image.ProductCodes],
        Tags: [],
        ReservationId: reservationId,
        PrivateIp: `10.0.${Math.floor(host / 250)}.${host % 250}`,
        PrivateDnsName: `ip-10-0-${Math.floor(host / 250)}-${host % 250}.${ctx.region}.compute.internal`,
        Placement: { SubregionName: `${ctx.region}a`, Tenancy: 'default' },
        volumes: volumesFor(ctx.state, rootSize, req.BlockDeviceMappings),
      };
      if (req.ClientToken !== undefined) vm.ClientToken = req.ClientToken;
      ctx.state.vms.set(vm.VmId, vm);
      created.push(vm);
    }
    return { Vms: created.map(vmView) };
  },
};

interface VmFilters {
  VmIds?: string[];
  ImageIds?: string[];
  VmStateNames?: string[];
  TagKeys?: string[];
  TagValues?: string[];
  Tags?: string[];
}

export const readVms: ActionHandler = {
  mutates: false,
  shape: {
    object: {
      DryRun: 'boolean',
      ...pagination,
      Filters: { object: { VmIds: strings, ImageIds: strings, VmStateNames: strings, ...tagFilterShape } },
    },
  },
  run(body, ctx) {
    const f = (body.Filters ?? {}) as VmFilters;
    const all = [...ctx.state.vms.values()]
      .filter((vm) => vm.AccountId === ctx.accountId)
      .filter(
        (vm) =>
          anyString(f.VmIds, vm.VmId) && anyString(f.ImageIds, vm.ImageId) && anyString(f.VmStateNames, vm.State) && tagsMatch(f, vm.Tags),
      )
      .sort(byCreationThenId((vm: StoredVm) => vm.VmId));
    const page = paginate(all, body, 'ReadVms');
    const out: Record<string, unknown> = { Vms: page.items.map(vmView) };
    if (page.nextPageToken) out.NextPageToken = page.nextPageToken;
    return out;
  },
};
