// Between the OUTSCALE Image object and outscale_image values: the API view of the state, and CreateImage requests
// built from the (wholly known at apply time) config.

import type { BlockDeviceMappingImage, CreateImageRequest, Image, ResourceTag } from '../../outscale/types.js';
import { isObjectValue, isNumber, objectValue, toJsNumber, type ObjectValue, type Value } from '../../protocol/value.js';

const str = (v: string | undefined): Value => (v === undefined ? null : v);
const bool = (v: boolean | undefined): Value => (v === undefined ? null : v);

function mappingToValue(m: BlockDeviceMappingImage): ObjectValue {
  const b = m.Bsu;
  return objectValue({
    device_name: str(m.DeviceName),
    virtual_device_name: str(m.VirtualDeviceName),
    bsu: b
      ? [
          objectValue({
            delete_on_vm_deletion: bool(b.DeleteOnVmDeletion),
            iops: b.Iops === undefined ? null : b.Iops,
            snapshot_id: str(b.SnapshotId),
            volume_size: b.VolumeSize === undefined ? null : b.VolumeSize,
            volume_type: str(b.VolumeType),
          }),
        ]
      : [],
  });
}

export function tagsToValue(tags: ResourceTag[] | undefined): Value[] {
  return (tags ?? []).map((t) => objectValue({ key: t.Key, value: t.Value ?? '' }));
}

/**
 * Every attribute the API returns; create-only inputs it never returns (vm_id, no_reboot, source_*), timeouts and
 * request_id are left null for the caller to carry over from state.
 */
export function imageToState(image: Image): ObjectValue {
  const permissions = image.PermissionsToLaunch;
  return objectValue({
    id: str(image.ImageId),
    image_id: str(image.ImageId),
    vm_id: null,
    no_reboot: null,
    source_image_id: null,
    source_region_name: null,
    file_location: str(image.FileLocation),
    block_device_mappings: (image.BlockDeviceMappings ?? []).map(mappingToValue),
    root_device_name: str(image.RootDeviceName),
    image_name: str(image.ImageName),
    description: image.Description ?? '',
    architecture: str(image.Architecture),
    boot_modes: image.BootModes ? [...image.BootModes] : [],
    tpm_mandatory: image.TpmMandatory ?? false,
    product_codes: image.ProductCodes ? [...image.ProductCodes] : [],
    account_alias: image.AccountAlias ?? '',
    account_id: str(image.AccountId),
    creation_date: str(image.CreationDate),
    image_type: str(image.ImageType),
    is_public: permissions?.GlobalPermission ?? false,
    permissions_to_launch: [
      objectValue({ account_ids: [...(permissions?.AccountIds ?? [])], global_permission: permissions?.GlobalPermission ?? false }),
    ],
    request_id: null,
    root_device_type: str(image.RootDeviceType),
    secure_boot: image.SecureBoot ?? false,
    state: str(image.State),
    state_comment: [
      objectValue({ state_code: image.StateComment?.StateCode ?? '', state_message: image.StateComment?.StateMessage ?? '' }),
    ],
    tags: tagsToValue(image.Tags),
    timeouts: null,
  });
}

const known = <T>(v: Value, pick: (v: Value) => T | undefined): T | undefined => (v === null ? undefined : pick(v));
const asString = (v: Value) => (typeof v === 'string' ? v : undefined);
const asBool = (v: Value) => (typeof v === 'boolean' ? v : undefined);
const asNumber = (v: Value) => (isNumber(v) ? toJsNumber(v) : undefined);
const asStrings = (v: Value) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

function mappingFromValue(v: Value): BlockDeviceMappingImage {
  const m = isObjectValue(v) ? v : objectValue();
  const out: BlockDeviceMappingImage = {};
  const device = known(m.device_name ?? null, asString);
  if (device !== undefined) out.DeviceName = device;
  const virtual = known(m.virtual_device_name ?? null, asString);
  if (virtual !== undefined) out.VirtualDeviceName = virtual;
  const bsu = Array.isArray(m.bsu) && isObjectValue(m.bsu[0]) ? m.bsu[0] : undefined;
  if (bsu) {
    out.Bsu = {};
    // false is sent explicitly (the Go provider dropped it, leaving the API default true and a permanent diff)
    const del = known(bsu.delete_on_vm_deletion ?? null, asBool);
    if (del !== undefined) out.Bsu.DeleteOnVmDeletion = del;
    const iops = known(bsu.iops ?? null, asNumber);
    if (iops !== undefined) out.Bsu.Iops = iops;
    const snap = known(bsu.snapshot_id ?? null, asString);
    if (snap !== undefined) out.Bsu.SnapshotId = snap;
    const size = known(bsu.volume_size ?? null, asNumber);
    if (size !== undefined) out.Bsu.VolumeSize = size;
    const type = known(bsu.volume_type ?? null, asString);
    if (type !== undefined) out.Bsu.VolumeType = type;
  }
  return out;
}

export function createImageRequest(config: ObjectValue): CreateImageRequest {
  const req: CreateImageRequest = {};
  const s = (name: string) => known(config[name] ?? null, asString);
  const set = <K extends keyof CreateImageRequest>(key: K, value: CreateImageRequest[K] | undefined) => {
    if (value !== undefined) req[key] = value;
  };
  set('ImageName', s('image_name'));
  set('Description', s('description'));
  set('VmId', s('vm_id'));
  if (req.VmId !== undefined) set('NoReboot', known(config.no_reboot ?? null, asBool));
  set('FileLocation', s('file_location'));
  set('SourceImageId', s('source_image_id'));
  set('SourceRegionName', s('source_region_name'));
  set('RootDeviceName', s('root_device_name'));
  set('Architecture', s('architecture'));
  const mappings = config.block_device_mappings;
  if (Array.isArray(mappings)) req.BlockDeviceMappings = mappings.map(mappingFromValue);
  const bootModes = known(config.boot_modes ?? null, asStrings);
  if (bootModes !== undefined) req.BootModes = bootModes as CreateImageRequest['BootModes'];
  set('TpmMandatory', known(config.tpm_mandatory ?? null, asBool));
  set('ProductCodes', known(config.product_codes ?? null, asStrings));
  return req;
}

export function tagsFromValue(v: Value): ResourceTag[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObjectValue).map((t) => ({ Key: String(t.key), Value: typeof t.value === 'string' ? t.value : '' }));
}
