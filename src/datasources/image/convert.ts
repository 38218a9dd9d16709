// An OUTSCALE Image → the attributes of the image data sources. Nil-safe: the API may leave any field out (the Go
// provider panicked on images without block device mappings or launch permissions). Where the API has nothing, the
// values the official provider wrote are kept (empty strings, iops 0, false) so that its states read unchanged.

import type { BlockDeviceMappingImage, Image } from '../../outscale/types.js';
import type { ImageObjectModel } from './schema.js';

type Mapping = NonNullable<NonNullable<ImageObjectModel['block_device_mappings']>[number]>;

function mapping(m: BlockDeviceMappingImage): Mapping {
  const b = m.Bsu;
  return {
    device_name: m.DeviceName ?? '',
    virtual_device_name: m.VirtualDeviceName ?? '',
    bsu: b
      ? [
          {
            delete_on_vm_deletion: b.DeleteOnVmDeletion ?? false,
            iops: b.Iops ?? 0,
            snapshot_id: b.SnapshotId ?? '',
            volume_size: b.VolumeSize ?? 0,
            volume_type: b.VolumeType ?? '',
          },
        ]
      : [],
  };
}

/** One row per account shared with; a public OMI shared with nobody keeps its flag in one row without account. */
function launchPermissions(image: Image): ImageObjectModel['permissions_to_launch'] {
  const global = image.PermissionsToLaunch?.GlobalPermission ?? false;
  const accounts = image.PermissionsToLaunch?.AccountIds ?? [];
  if (accounts.length === 0) return global ? [{ account_id: '', global_permission: true }] : [];
  return accounts.map((account_id) => ({ account_id, global_permission: global }));
}

export function imageObject(image: Image): ImageObjectModel {
  return {
    account_alias: image.AccountAlias ?? '',
    account_id: image.AccountId ?? '',
    architecture: image.Architecture ?? '',
    block_device_mappings: (image.BlockDeviceMappings ?? []).map(mapping),
    boot_modes: [...(image.BootModes ?? [])],
    creation_date: image.CreationDate ?? '',
    description: image.Description ?? '',
    file_location: image.FileLocation ?? '',
    image_id: image.ImageId ?? '',
    image_name: image.ImageName ?? '',
    image_type: image.ImageType ?? '',
    permissions_to_launch: launchPermissions(image),
    product_codes: [...(image.ProductCodes ?? [])],
    root_device_name: image.RootDeviceName ?? '',
    root_device_type: image.RootDeviceType ?? '',
    secure_boot: image.SecureBoot ?? false,
    state: image.State ?? '',
    state_comment: [{ state_code: image.StateComment?.StateCode ?? '', state_message: image.StateComment?.StateMessage ?? '' }],
    tags: (image.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    tpm_mandatory: image.TpmMandatory ?? false,
  };
}

function byCreationThenId(a: Image, b: Image): number {
  const [da, db] = [a.CreationDate ?? '', b.CreationDate ?? ''];
  const [ta, tb] = [Date.parse(da), Date.parse(db)];
  const byDate = !Number.isNaN(ta) && !Number.isNaN(tb) ? ta - tb : da < db ? -1 : da > db ? 1 : 0;
  if (byDate !== 0) return byDate;
  const [ia, ib] = [a.ImageId ?? '', b.ImageId ?? ''];
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** Oldest first: creation date, then image ID (a total order, whatever order the API answered in). */
export function sortImages(images: readonly Image[]): Image[] {
  return [...images].sort(byCreationThenId);
}
