// gRPC service definitions for everything the plugin serves or calls, built from the descriptor JSON that
// scripts/build.mjs derives from proto/*.proto (no .proto parsing at start-up).
//
// Loader options, and what they mean for the JS objects handlers receive and return:
//   keepCase: true   field names exactly as in the .proto (snake_case: type_name, block_types, and `Error` in
//                    StopProvider.Response) — never camelCased.
//   longs: Number    int64/uint64 fields decode to JS numbers (schema versions, min/max items, element_key_int;
//                    none of them come near 2^53).
//   enums: Number    enum fields decode to their numeric value (Diagnostic.Severity.ERROR = 1); responses may use
//                    numbers (preferred) or value names.
//   defaults: true   decoded requests carry every scalar field (empty Buffer for absent bytes, '' / 0 / false);
//                    absent sub-messages are null; proto3 `optional` fields that are absent stay undefined.
//   oneofs: true     a set oneof member also shows its name in a virtual field (AttributePath.Step.selector, and
//                    `_private` / `_renew_at` for proto3 optional fields).
// bytes fields decode to Buffer and accept Buffer/Uint8Array when encoding.

import { fromJSON, type Options } from '@grpc/proto-loader';
import type { ServiceDefinition } from '@grpc/grpc-js';
import type { INamespace } from 'protobufjs';
import descriptorJson from './generated/descriptors.json' with { type: 'json' };

export const LOADER_OPTIONS: Readonly<Options> = Object.freeze({
  keepCase: true,
  longs: Number,
  enums: Number,
  defaults: true,
  oneofs: true,
});

export const packageDefinition = fromJSON(descriptorJson as unknown as INamespace, { ...LOADER_OPTIONS });

function service(name: string): ServiceDefinition {
  const definition = packageDefinition[name];
  // Message and enum entries carry a `format` field; service entries are plain method maps.
  if (!definition || 'format' in definition) throw new Error(`descriptor has no service ${name}`);
  return definition as ServiceDefinition;
}

/** tfplugin6.Provider — the Terraform provider protocol 6.8. */
export const ProviderService = service('tfplugin6.Provider');
/** plugin.GRPCController — Shutdown. */
export const ControllerService = service('plugin.GRPCController');
/** plugin.GRPCStdio — StreamStdio. */
export const StdioService = service('plugin.GRPCStdio');
/** plugin.GRPCBroker — StartStream. */
export const BrokerService = service('plugin.GRPCBroker');
/** grpc.health.v1.Health — Check and Watch. */
export const HealthService = service('grpc.health.v1.Health');

/** The 20 tfplugin6.Provider RPCs, in proto order. */
export const PROVIDER_METHODS = [
  'GetMetadata',
  'GetProviderSchema',
  'ValidateProviderConfig',
  'ValidateResourceConfig',
  'ValidateDataResourceConfig',
  'UpgradeResourceState',
  'ConfigureProvider',
  'ReadResource',
  'PlanResourceChange',
  'ApplyResourceChange',
  'ImportResourceState',
  'MoveResourceState',
  'ReadDataSource',
  'ValidateEphemeralResourceConfig',
  'OpenEphemeralResource',
  'RenewEphemeralResource',
  'CloseEphemeralResource',
  'GetFunctions',
  'CallFunction',
  'StopProvider',
] as const;

export type ProviderMethod = (typeof PROVIDER_METHODS)[number];
