// Errors in the OUTSCALE wire format. Codes and types follow the gateway error catalogue (see README.md for the
// choices made where the catalogue does not say which code a situation gets).

export interface ApiErrorBody {
  Code: string;
  Type: string;
  Details: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly type: string,
    readonly details: string,
  ) {
    super(details);
  }

  body(): ApiErrorBody {
    return { Code: this.code, Type: this.type, Details: this.details };
  }
}

const invalidValue = (code: string) => (details: string) => new ApiError(400, code, 'InvalidParameterValue', details);
const invalidResource = (code: string) => (details: string) => new ApiError(400, code, 'InvalidResource', details);

export const errors = {
  authFailed: (reason: string) => new ApiError(401, '1', 'AccessDenied', `Authentication failed: ${reason}`),
  throttledPlatform: () => new ApiError(503, '6', 'ErrorOperationThrottledWholePlatform', 'Request rate exceeded.'),
  throttledAccount: () => new ApiError(429, '24', 'ErrorOperationThrottledPerAccount', 'Request rate exceeded.'),
  throttledCall: () => new ApiError(429, '25', 'ErrorOperationThrottledPerCall', 'Request rate exceeded.'),
  internal: (status = 500) => new ApiError(status, '2000', 'InternalError', 'Internal error.'),
  missingParameter: (name: string) =>
    new ApiError(400, '7000', 'MissingParameter', `The parameter '${name}' is required.`),
  unknownAction: (action: string) => invalidResource('5011')(`The action '${action}' does not exist.`),
  malformedJson: (details: string) => invalidValue('4095')(`The request body is not valid JSON: ${details}`),
  unknownParameter: invalidValue('4045'),
  wrongType: invalidValue('4108'),
  invalidValue: invalidValue('4047'),
  invalidParameterSet: invalidValue('4046'),
  invalidBdm: invalidValue('4011'),
  invalidDeviceName: invalidValue('4019'),
  invalidImageName: invalidValue('4026'),
  invalidIops: invalidValue('4029'),
  invalidManifestFormat: invalidValue('4041'),
  invalidPermissionFormat: invalidValue('4050'),
  invalidRootMapping: invalidValue('4057'),
  invalidSnapshotId: invalidValue('4061'),
  invalidTagKey: invalidValue('4069'),
  invalidTagValueLength: invalidValue('4071'),
  invalidVirtualName: invalidValue('4076'),
  invalidVolumeSize: invalidValue('4078'),
  invalidIdPrefix: invalidValue('4104'),
  malformedId: invalidValue('4105'),
  noSuchImage: (id: string) => invalidResource('5023')(`The ImageId '${id}' doesn't exist.`),
  noSuchSnapshot: (id: string) => invalidResource('5054')(`The SnapshotId '${id}' doesn't exist.`),
  noSuchVm: (id: string) => invalidResource('5063')(`The VmId '${id}' doesn't exist.`),
  noSuchVolume: (id: string) => invalidResource('5064')(`The VolumeId '${id}' doesn't exist.`),
  noSuchExportTask: (id: string) => invalidResource('5084')(`The ExportTaskId '${id}' doesn't exist.`),
  invalidExportTaskState: (details: string) => new ApiError(400, '6003', 'InvalidState', details),
  invalidImageState: (details: string) => new ApiError(400, '6001', 'InvalidState', details),
  invalidVmState: (details: string) => new ApiError(400, '6006', 'InvalidState', details),
  alreadyExists: (details: string) => new ApiError(409, '9000', 'ResourceConflict', details),
  tooManyTags: (details: string) => new ApiError(400, '10041', 'TooManyResources', details),
};
