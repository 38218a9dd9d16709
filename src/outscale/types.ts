// Wire types of the OUTSCALE API calls the provider uses (PascalCase, as sent and received). Every response field is
// optional: the API omits fields freely (e.g. UpdateImage answers without BootModes/SecureBoot/TpmMandatory).
import type { ExportTaskActions } from './export-task-types.js';

export type * from './export-task-types.js';

export type BootMode = 'uefi' | 'legacy';

export interface ResponseContext {
  RequestId?: string;
}

export interface ResourceTag {
  Key: string;
  Value: string;
}

export interface PermissionsOnResource {
  AccountIds?: string[];
  GlobalPermission?: boolean;
}

/** UpdateImage: the API accepts either Additions or Removals in one call, not both. */
export interface PermissionsOnResourceCreation {
  Additions?: PermissionsOnResource;
  Removals?: PermissionsOnResource;
}

export interface BsuToCreate {
  DeleteOnVmDeletion?: boolean;
  Iops?: number;
  SnapshotId?: string;
  VolumeSize?: number;
  VolumeType?: string;
}

export interface BlockDeviceMappingImage {
  Bsu?: BsuToCreate;
  DeviceName?: string;
  VirtualDeviceName?: string;
}

export interface StateComment {
  StateCode?: string;
  StateMessage?: string;
}

export interface Image {
  AccountAlias?: string;
  AccountId?: string;
  Architecture?: string;
  BlockDeviceMappings?: BlockDeviceMappingImage[];
  BootModes?: BootMode[];
  CreationDate?: string;
  Description?: string;
  FileLocation?: string;
  ImageId?: string;
  ImageName?: string;
  ImageType?: string;
  PermissionsToLaunch?: PermissionsOnResource;
  ProductCodes?: string[];
  RootDeviceName?: string;
  RootDeviceType?: string;
  SecureBoot?: boolean;
  State?: string;
  StateComment?: StateComment;
  Tags?: ResourceTag[];
  TpmMandatory?: boolean;
}

// ---- CreateImage ----------------------------------------------------------------------------------------------------

export interface CreateImageRequest {
  Architecture?: string;
  BlockDeviceMappings?: BlockDeviceMappingImage[];
  BootModes?: BootMode[];
  Description?: string;
  DryRun?: boolean;
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

export interface CreateImageResponse {
  Image?: Image;
  ResponseContext?: ResponseContext;
}

// ---- ReadImages -----------------------------------------------------------------------------------------------------

export interface FiltersImage {
  AccountAliases?: string[];
  AccountIds?: string[];
  Architectures?: string[];
  BlockDeviceMappingDeleteOnVmDeletion?: boolean;
  BlockDeviceMappingDeviceNames?: string[];
  BlockDeviceMappingSnapshotIds?: string[];
  BlockDeviceMappingVolumeSizes?: number[];
  BlockDeviceMappingVolumeTypes?: string[];
  BootModes?: BootMode[];
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
  /** "KEY=VALUE" strings. */
  Tags?: string[];
  TpmMandatory?: boolean;
  VirtualizationTypes?: string[];
}

export interface ReadImagesRequest {
  DryRun?: boolean;
  Filters?: FiltersImage;
  NextPageToken?: string;
  ResultsPerPage?: number;
}

export interface ReadImagesResponse {
  Images?: Image[];
  NextPageToken?: string;
  ResponseContext?: ResponseContext;
}

// ---- UpdateImage / DeleteImage --------------------------------------------------------------------------------------

export interface UpdateImageRequest {
  ImageId: string;
  Description?: string;
  DryRun?: boolean;
  PermissionsToLaunch?: PermissionsOnResourceCreation;
  /** Full replacement: previously set codes are deleted. */
  ProductCodes?: string[];
}

export interface UpdateImageResponse {
  Image?: Image;
  ResponseContext?: ResponseContext;
}

export interface DeleteImageRequest {
  ImageId: string;
  DryRun?: boolean;
}

export interface DeleteImageResponse {
  ResponseContext?: ResponseContext;
}

// ---- Tags -----------------------------------------------------------------------------------------------------------

export interface CreateTagsRequest {
  ResourceIds: string[];
  Tags: ResourceTag[];
  DryRun?: boolean;
}

export interface CreateTagsResponse {
  ResponseContext?: ResponseContext;
}

export interface DeleteTagsRequest {
  ResourceIds: string[];
  /** With a Value, only exact key+value pairs are removed. */
  Tags: ResourceTag[];
  DryRun?: boolean;
}

export interface DeleteTagsResponse {
  ResponseContext?: ResponseContext;
}

// ---- ReadVms / ReadSnapshots (minimal: what the image resource needs) -----------------------------------------------

export interface FiltersVm {
  VmIds?: string[];
  VmStateNames?: string[];
  TagKeys?: string[];
  Tags?: string[];
}

export interface ReadVmsRequest {
  DryRun?: boolean;
  Filters?: FiltersVm;
  NextPageToken?: string;
  ResultsPerPage?: number;
}

export interface Vm {
  VmId?: string;
  State?: string;
  ImageId?: string;
  VmType?: string;
  Architecture?: string;
  BootMode?: BootMode;
  RootDeviceName?: string;
  RootDeviceType?: string;
  CreationDate?: string;
  TpmEnabled?: boolean;
  Tags?: ResourceTag[];
}

export interface ReadVmsResponse {
  Vms?: Vm[];
  NextPageToken?: string;
  ResponseContext?: ResponseContext;
}

export interface FiltersSnapshot {
  SnapshotIds?: string[];
  AccountIds?: string[];
  States?: string[];
  TagKeys?: string[];
  Tags?: string[];
}

export interface ReadSnapshotsRequest {
  DryRun?: boolean;
  Filters?: FiltersSnapshot;
  NextPageToken?: string;
  ResultsPerPage?: number;
}

export interface Snapshot {
  SnapshotId?: string;
  AccountAlias?: string;
  AccountId?: string;
  CreationDate?: string;
  Description?: string;
  PermissionsToCreateVolume?: PermissionsOnResource;
  Progress?: number;
  State?: string;
  Tags?: ResourceTag[];
  VolumeId?: string;
  VolumeSize?: number;
}

export interface ReadSnapshotsResponse {
  Snapshots?: Snapshot[];
  NextPageToken?: string;
  ResponseContext?: ResponseContext;
}

// ---- Errors ---------------------------------------------------------------------------------------------------------

export interface ApiErrorEntry {
  Code?: string;
  Details?: string;
  Type?: string;
}

export interface ErrorResponse {
  Errors?: ApiErrorEntry[];
  ResponseContext?: ResponseContext;
}

/** Request/response type of each action the client knows. */
export interface Account {
  AccountId?: string;
}

export interface ReadAccountsRequest {
  DryRun?: boolean;
}

export interface ReadAccountsResponse {
  Accounts?: Account[];
  ResponseContext?: ResponseContext;
}

export interface OscActions extends ExportTaskActions {
  CreateImage: { request: CreateImageRequest; response: CreateImageResponse };
  ReadImages: { request: ReadImagesRequest; response: ReadImagesResponse };
  UpdateImage: { request: UpdateImageRequest; response: UpdateImageResponse };
  DeleteImage: { request: DeleteImageRequest; response: DeleteImageResponse };
  CreateTags: { request: CreateTagsRequest; response: CreateTagsResponse };
  DeleteTags: { request: DeleteTagsRequest; response: DeleteTagsResponse };
  ReadVms: { request: ReadVmsRequest; response: ReadVmsResponse };
  ReadSnapshots: { request: ReadSnapshotsRequest; response: ReadSnapshotsResponse };
  ReadAccounts: { request: ReadAccountsRequest; response: ReadAccountsResponse };
}

export type OscAction = keyof OscActions;
