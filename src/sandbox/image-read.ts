// ReadImages: visibility (own, public, shared with the caller), FiltersImage, ordering and pagination.
import type { ActionHandler } from './context.js';
import { anyNumber, anyString, boolIs, tagFilterShape, tagsMatch } from './matching.js';
import { paginate } from './pagination.js';
import { integers, pagination, strings } from './shape.js';
import { byCreationThenId, canSeeImage, imageView } from './state.js';
import type { StoredImage } from './types.js';

interface ImageFilters {
  AccountAliases?: string[];
  AccountIds?: string[];
  Architectures?: string[];
  BlockDeviceMappingDeleteOnVmDeletion?: boolean;
  BlockDeviceMappingDeviceNames?: string[];
  BlockDeviceMappingSnapshotIds?: string[];
  BlockDeviceMappingVolumeSizes?: number[];
  BlockDeviceMappingVolumeTypes?: string[];
  BootModes?: string[];
  Descriptions?: string[];
  FileLocations?: string[];
  Hypervisors?: string[];
  ImageIds?: string[];
  ImageNames?: string[];
  PermissionsToLaunchAccountIds?: string[];
  PermissionsToLaunchGlobalPermission?: boolean;
  ProductCodeNames?: string[];
  ProductCodes?: string[];
  RootDeviceNames?: string[];
  RootDeviceTypes?: string[];
  SecureBoot?: boolean;
  States?: string[];
  TagKeys?: string[];
  TagValues?: string[];
  Tags?: string[];
  TpmMandatory?: boolean;
  VirtualizationTypes?: string[];
}

function matches(f: ImageFilters, image: StoredImage): boolean {
  const bsus = image.BlockDeviceMappings.flatMap((m) => (m.Bsu ? [m.Bsu] : []));
  return (
    anyString(f.AccountAliases, image.AccountAlias) &&
    anyString(f.AccountIds, image.AccountId) &&
    anyString(f.Architectures, image.Architecture) &&
    boolIs(f.BlockDeviceMappingDeleteOnVmDeletion, bsus.map((b) => b.DeleteOnVmDeletion ?? true)) &&
    anyString(f.BlockDeviceMappingDeviceNames, image.BlockDeviceMappings.flatMap((m) => (m.DeviceName ? [m.DeviceName] : []))) &&
    anyString(f.BlockDeviceMappingSnapshotIds, bsus.flatMap((b) => (b.SnapshotId ? [b.SnapshotId] : []))) &&
    anyNumber(f.BlockDeviceMappingVolumeSizes, bsus.flatMap((b) => (b.VolumeSize !== undefined ? [b.VolumeSize] : []))) &&
    anyString(f.BlockDeviceMappingVolumeTypes, bsus.flatMap((b) => (b.VolumeType ? [b.VolumeType] : []))) &&
    anyString(f.BootModes, image.BootModes) &&
    anyString(f.Descriptions, image.Description) &&
    anyString(f.FileLocations, image.FileLocation) &&
    anyString(f.Hypervisors, 'xen') &&
    anyString(f.ImageIds, image.ImageId) &&
    anyString(f.ImageNames, image.ImageName) &&
    anyString(f.PermissionsToLaunchAccountIds, image.PermissionsToLaunch.AccountIds) &&
    boolIs(f.PermissionsToLaunchGlobalPermission, image.PermissionsToLaunch.GlobalPermission) &&
    anyString(f.ProductCodeNames, image.ProductCodes) &&
    anyString(f.ProductCodes, image.ProductCodes) &&
    anyString(f.RootDeviceNames, image.RootDeviceName) &&
    anyString(f.RootDeviceTypes, image.RootDeviceType) &&
    boolIs(f.SecureBoot, image.SecureBoot) &&
    anyString(f.States, image.State) &&
    tagsMatch(f, image.Tags) &&
    boolIs(f.TpmMandatory, image.TpmMandatory) &&
    anyString(f.VirtualizationTypes, 'hvm')
  );
}

export const readImages: ActionHandler = {
  mutates: false,
  shape: {
    object: {
      DryRun: 'boolean',
      ...pagination,
      Filters: {
        object: {
          AccountAliases: strings, AccountIds: strings, Architectures: strings, BlockDeviceMappingDeleteOnVmDeletion: 'boolean',
          BlockDeviceMappingDeviceNames: strings, BlockDeviceMappingSnapshotIds: strings, BlockDeviceMappingVolumeSizes: integers,
          BlockDeviceMappingVolumeTypes: strings, BootModes: strings, Descriptions: strings, FileLocations: strings,
          Hypervisors: strings, ImageIds: strings, ImageNames: strings, PermissionsToLaunchAccountIds: strings,
          PermissionsToLaunchGlobalPermission: 'boolean', ProductCodeNames: strings, ProductCodes: strings,
          RootDeviceNames: strings, RootDeviceTypes: strings, SecureBoot: 'boolean', States: strings, TpmMandatory: 'boolean',
          VirtualizationTypes: strings, ...tagFilterShape,
        },
      },
    },
  },
  run(body, ctx) {
    const filters = (body.Filters ?? {}) as ImageFilters;
    const visible = ctx.state
      .liveImages()
      .filter((image) => canSeeImage(image, ctx.accountId) && matches(filters, image))
      .sort(byCreationThenId((i: StoredImage) => i.ImageId));
    const page = paginate(visible, body, 'ReadImages');
    const out: Record<string, unknown> = { Images: page.items.map(imageView) };
    if (page.nextPageToken) out.NextPageToken = page.nextPageToken;
    return out;
  },
};
