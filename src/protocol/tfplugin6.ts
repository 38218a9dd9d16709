// gRPC service definitions for everything the plugin serves or calls, built from the descriptor JSON that
// scripts/build.mjs derives from proto/*.proto — no .proto parsing at start-up.
//
// The definitions are what @grpc/proto-loader's fromJSON(json, LOADER_OPTIONS) would produce (same protobufjs
// fromObject/encode and decode/toObject calls, same options), made directly with protobufjs/light: proto-loader also
// builds FileDescriptorProtos for gRPC reflection, which costs 35–60 ms per process start and is never used here.
// test/protocol/host-descriptors.test.ts checks both give the same bytes and objects.
//
// Loader options, and what they mean for the JS objects handlers receive and return:
//   keepCase: true   field names exactly as in the .proto (snake_case: type_name, block_types, and `Error` in
//                    StopProvider.Response) — never camelCased (applied when build.mjs parses the .proto files).
//   longs: Number    int64/uint64 fields decode to JS numbers (schema versions, min/max items, element_key_int;
//                    none of them come near 2^53).
//   enums: Number    enum fields decode to their numeric value (Diagnostic.Severity.ERROR = 1); responses may use
//                    numbers (preferred) or value names.
//   defaults: true   decoded requests carry every scalar field (empty Buffer for absent bytes, '' / 0 / false);
//                    absent sub-messages are null; proto3 `optional` fields that are absent stay undefined.
//   oneofs: true     a set oneof member also shows its name in a virtual field (AttributePath.Step.selector, and
//                    `_private` / `_renew_at` for proto3 optional fields).
// bytes fields decode to Buffer and accept Buffer/Uint8Array when encoding.

import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import protobuf from 'protobufjs/light.js';
import descriptorJson from './generated/descriptors.json' with { type: 'json' };

export const LOADER_OPTIONS = Object.freeze({
  keepCase: true,
  longs: Number,
  enums: Number,
  defaults: true,
  oneofs: true,
});

let root: protobuf.Root | undefined;

/**
 * The protobufjs root of all messages (tfplugin6, plugin, grpc.health.v1, google.protobuf). Built on first use: the
 * service definitions below need only method names and paths, so the ~20 ms of building and resolving the message
 * types happens after the handshake line, while Terraform is still connecting.
 */
export function protoRoot(): protobuf.Root {
  return (root ??= protobuf.Root.fromJSON(descriptorJson as protobuf.INamespace));
}

interface MethodJson {
  requestType: string;
  responseType: string;
  requestStream?: boolean;
  responseStream?: boolean;
}

function methodsOf(fullName: string): Record<string, MethodJson> {
  let ns: { nested?: Record<string, unknown>; methods?: Record<string, MethodJson> } = descriptorJson as never;
  for (const part of fullName.split('.')) ns = (ns.nested?.[part] ?? {}) as typeof ns;
  if (!ns.methods) throw new Error(`descriptor has no service ${fullName}`);
  return ns.methods;
}

function lazyType(service: string, method: string, side: 'request' | 'response'): () => protobuf.Type {
  let type: protobuf.Type | undefined;
  return () => {
    if (type) return type;
    const m = protoRoot().lookupService(service).methods[method]!;
    m.resolve();
    const resolved = side === 'request' ? m.resolvedRequestType : m.resolvedResponseType;
    if (!resolved) throw new Error(`unresolved ${side} type for ${service}.${method}`);
    return (type = resolved);
  };
}

function serializer(type: () => protobuf.Type): (value: object) => Buffer {
  return (value) => {
    const t = type();
    const bytes = t.encode(t.fromObject(value as Record<string, unknown>)).finish();
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(type: () => protobuf.Type): (bytes: Buffer) => object {
  return (bytes) => {
    const t = type();
    return t.toObject(t.decode(bytes), LOADER_OPTIONS);
  };
}

function service(fullName: string): ServiceDefinition {
  const definition: Record<string, MethodDefinition<object, object>> = {};
  for (const [name, method] of Object.entries(methodsOf(fullName))) {
    const request = lazyType(fullName, name, 'request');
    const response = lazyType(fullName, name, 'response');
    definition[name] = {
      path: `/${fullName}/${name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response),
      originalName: name.charAt(0).toLowerCase() + name.slice(1),
    };
  }
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
