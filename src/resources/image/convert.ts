// Between the OUTSCALE Image object and outscale_image values: the API view of the state, and CreateImage requests
// built from the (wholly known at apply time) config.

import type { BlockDeviceMappingImage, CreateImageRequest, Image, ResourceTag } from '../../outscale/types.js';
import { isObjectValue, isNumber, objectValue, toJsNumber, type ObjectValue, type Value } from '../../protocol/value.js';
import type { ImageModel } from './schema.js';

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

type MappingModel = NonNullable<NonNullable<ImageModel['block_device_mappings']>[number]>;

function mappingModel(m: BlockDeviceMappingImage): MappingModel {
  const b = m.Bsu;
  return {
    device_name: opt(m.DeviceName),
    virtual_device_name: opt(m.VirtualDeviceName),
    bsu: b
      ? [
          {
            delete_on_vm_deletion: opt(b.DeleteOnVmDeletion),
            iops: opt(b.Iops),
            snapshot_id: opt(b.SnapshotId),
            volume_size: opt(b.VolumeSize),
            volume_type: opt(b.VolumeType),
          },
        ]
      : [],
  };
}

/**
 * Every attribute the API returns; create-only inputs it never returns (vm_id, no_reboot, source_*), timeouts and
 * request_id are left null for the caller to carry over from state. Typed by the schema's model: a missing or
 * mistyped attribute does not compile.
 */
export function imageToState(image: Image): ObjectValue {
  const permissions = image.PermissionsToLaunch;
  const state: ImageModel = {
    id: opt(image.ImageId),
    image_id: opt(image.ImageId),
    vm_id: null,
    no_reboot: null,
    source_image_id: null,
    source_region_name: null,
    file_location: opt(image.FileLocation),
    block_device_mappings: (image.BlockDeviceMappings ?? []).map(mappingModel),
    root_device_name: opt(image.RootDeviceName),
    image_name: opt(image.ImageName),
    description: image.Description ?? '',
    architecture: opt(image.Architecture),
    boot_modes: image.BootModes ? [...image.BootModes] : [],
    tpm_mandatory: image.TpmMandatory ?? false,
    product_codes: image.ProductCodes ? [...image.ProductCodes] : [],
    account_alias: image.AccountAlias ?? '',
    account_id: opt(image.AccountId),
    creation_date: opt(image.CreationDate),
    image_type: opt(image.ImageType),
    is_public: permissions?.GlobalPermission ?? false,
    permissions_to_launch: [{ account_ids: [...(permissions?.AccountIds ?? [])], global_permission: permissions?.GlobalPermission ?? false }],
    request_id: null,
    root_device_type: opt(image.RootDeviceType),
    secure_boot: image.SecureBoot ?? false,
    state: opt(image.State),
    state_comment: [{ state_code: image.StateComment?.StateCode ?? '', state_message: image.StateComment?.StateMessage ?? '' }],
    tags: (image.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value ?? '' })),
    timeouts: null,
  };
  return objectValue(state as unknown as Record<string, Value>);
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

export function tagsToValue(tags: ResourceTag[]): Value[] {
  return tags.map((t) => objectValue({ key: t.Key, value: t.Value ?? '' }));
}
