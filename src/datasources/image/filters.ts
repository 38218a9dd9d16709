// The 27 ReadImages filters (FiltersImage), including `tpm_mandatory`, which the Go provider lacks.

import type { FiltersImage } from '../../outscale/types.js';
import { filterSpecs, type FilterDeclaration } from '../filters.js';

const IMAGE_FILTERS: FilterDeclaration<keyof FiltersImage> = {
  AccountAliases: 'string',
  AccountIds: 'string',
  Architectures: ['i386', 'x86_64'],
  BlockDeviceMappingDeleteOnVmDeletion: 'bool',
  BlockDeviceMappingDeviceNames: 'string',
  BlockDeviceMappingSnapshotIds: 'string',
  BlockDeviceMappingVolumeSizes: 'int',
  BlockDeviceMappingVolumeTypes: ['standard', 'gp2', 'io1'],
  BootModes: ['uefi', 'legacy'],
  Descriptions: 'string',
  FileLocations: 'string',
  Hypervisors: ['xen'],
  ImageIds: 'string',
  ImageNames: 'string',
  PermissionsToLaunchAccountIds: 'string',
  PermissionsToLaunchGlobalPermission: 'bool',
  ProductCodeNames: 'string',
  ProductCodes: 'string',
  RootDeviceNames: 'string',
  RootDeviceTypes: ['bsu', 'ebs'],
  SecureBoot: 'bool',
  States: ['pending', 'available', 'failed'],
  TagKeys: 'string',
  TagValues: 'string',
  Tags: 'string',
  TpmMandatory: 'bool',
  VirtualizationTypes: ['hvm'],
};

export const imageFilterSpecs = filterSpecs(IMAGE_FILTERS);
