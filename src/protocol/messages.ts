// tfplugin6 messages as JavaScript objects, with the loader options of ./tfplugin6.ts (snake_case names, int64 as
// number, enums as number, defaults filled in, absent sub-messages null).
//
// Two directions, two levels of strictness:
// * Requests are what Terraform sends, as decoded: every scalar field is present, sub-messages are an object or null,
//   bytes are Buffers (empty when Terraform sent nothing).
// * Responses are what the provider returns: every field is optional (proto3 absent = default); bytes may be any
//   Uint8Array. Send unknown-capable values as `msgpack`.
// Naming follows the proto: `GetProviderSchema.Request`, `Schema.Block`, `Diagnostic.Severity`…

// ---- enums (numeric values, as decoded with enums: Number) ---------------------------------------------------------

export const StringKind = { PLAIN: 0, MARKDOWN: 1 } as const;
export type StringKind = (typeof StringKind)[keyof typeof StringKind];

export const DiagnosticSeverity = { INVALID: 0, ERROR: 1, WARNING: 2 } as const;
export type DiagnosticSeverity = (typeof DiagnosticSeverity)[keyof typeof DiagnosticSeverity];

/** Schema.NestedBlock.NestingMode */
export const BlockNesting = { INVALID: 0, SINGLE: 1, LIST: 2, SET: 3, MAP: 4, GROUP: 5 } as const;
export type BlockNesting = (typeof BlockNesting)[keyof typeof BlockNesting];

/** Schema.Object.NestingMode (no GROUP) */
export const ObjectNesting = { INVALID: 0, SINGLE: 1, LIST: 2, SET: 3, MAP: 4 } as const;
export type ObjectNesting = (typeof ObjectNesting)[keyof typeof ObjectNesting];

export const DeferredReason = {
  UNKNOWN: 0,
  RESOURCE_CONFIG_UNKNOWN: 1,
  PROVIDER_CONFIG_UNKNOWN: 2,
  ABSENT_PREREQ: 3,
} as const;
export type DeferredReason = (typeof DeferredReason)[keyof typeof DeferredReason];

// ---- shared messages -----------------------------------------------------------------------------------------------

/** A value as Terraform sends it: `msgpack` is always used in requests, `json` is empty. */
export interface DynamicValue {
  msgpack: Buffer;
  json: Buffer;
}

/** A value as the provider returns it: set `msgpack` (JSON cannot carry unknowns); neither set = null. */
export interface DynamicValueOut {
  msgpack?: Uint8Array;
  json?: Uint8Array;
}

/** One step; exactly one member. Decoded steps also carry `selector` naming the member that is set. */
export type AttributePathStep = (
  | { attribute_name: string }
  | { element_key_string: string }
  | { element_key_int: number }
) & { selector?: 'attribute_name' | 'element_key_string' | 'element_key_int' };

export interface AttributePath {
  steps: AttributePathStep[];
}

export interface Diagnostic {
  /** Always ERROR or WARNING: INVALID is not counted as an error by Terraform. */
  severity: DiagnosticSeverity;
  summary: string;
  detail?: string;
  /** Attach the diagnostic to this path of the configuration; absent = the whole block. */
  attribute?: AttributePath | null;
}

export interface FunctionError {
  text: string;
  /** Index of the offending argument. */
  function_argument?: number;
}

/** Stored state before upgrade. `flatmap` only for pre-0.12 states. */
export interface RawState {
  json: Buffer;
  flatmap: Record<string, string>;
}

export interface ClientCapabilities {
  deferral_allowed: boolean;
  write_only_attributes_allowed: boolean;
}

export interface ServerCapabilities {
  plan_destroy?: boolean;
  get_provider_schema_optional?: boolean;
  move_resource_state?: boolean;
}

/** Terraform 1.11.4 refuses deferrals without experiments: leave unset. */
export interface Deferred {
  reason: DeferredReason;
}

/** google.protobuf.Timestamp */
export interface Timestamp {
  seconds: number;
  nanos: number;
}

// ---- schemas -------------------------------------------------------------------------------------------------------

export interface Schema {
  /** The resource schema version (stored in state; compared by UpgradeResourceState). */
  version?: number;
  /** Mandatory: Terraform dereferences it. */
  block: Schema.Block;
}

export namespace Schema {
  export interface Block {
    version?: number;
    attributes?: Attribute[];
    block_types?: NestedBlock[];
    description?: string;
    description_kind?: StringKind;
    deprecated?: boolean;
  }

  export interface Attribute {
    name: string;
    /** cty type JSON as bytes (e.g. Buffer.from('"string"')); exactly one of `type` / `nested_type`. */
    type?: Uint8Array;
    nested_type?: Object | null;
    description?: string;
    required?: boolean;
    optional?: boolean;
    computed?: boolean;
    sensitive?: boolean;
    description_kind?: StringKind;
    deprecated?: boolean;
    write_only?: boolean;
  }

  export interface NestedBlock {
    type_name: string;
    block: Block;
    nesting: BlockNesting;
    min_items?: number;
    max_items?: number;
  }

  export interface Object {
    attributes: Attribute[];
    nesting: ObjectNesting;
  }
}

export interface Function {
  parameters?: Function.Parameter[];
  variadic_parameter?: Function.Parameter | null;
  return: Function.Return;
  summary?: string;
  description?: string;
  description_kind?: StringKind;
  deprecation_message?: string;
}

export namespace Function {
  export interface Parameter {
    name: string;
    /** cty type JSON as bytes. */
    type: Uint8Array;
    allow_null_value?: boolean;
    allow_unknown_values?: boolean;
    description?: string;
    description_kind?: StringKind;
  }

  export interface Return {
    type: Uint8Array;
  }
}

// ---- RPC messages --------------------------------------------------------------------------------------------------

type Empty = Record<string, never>;

export namespace GetMetadata {
  export type Request = Empty;
  export interface Response {
    server_capabilities?: ServerCapabilities;
    diagnostics?: Diagnostic[];
    data_sources?: { type_name: string }[];
    resources?: { type_name: string }[];
    functions?: { name: string }[];
    ephemeral_resources?: { type_name: string }[];
  }
}

export namespace GetProviderSchema {
  export type Request = Empty;
  export interface Response {
    /** Mandatory ("missing provider schema" otherwise). */
    provider?: Schema;
    resource_schemas?: Record<string, Schema>;
    data_source_schemas?: Record<string, Schema>;
    diagnostics?: Diagnostic[];
    provider_meta?: Schema | null;
    server_capabilities?: ServerCapabilities;
    functions?: Record<string, Function>;
    ephemeral_resource_schemas?: Record<string, Schema>;
  }
}

export namespace ValidateProviderConfig {
  export interface Request {
    config: DynamicValue | null;
  }
  export interface Response {
    diagnostics?: Diagnostic[];
  }
}

export namespace UpgradeResourceState {
  export interface Request {
    type_name: string;
    /** The stored schema version. */
    version: number;
    raw_state: RawState | null;
  }
  export interface Response {
    upgraded_state?: DynamicValueOut | null;
    diagnostics?: Diagnostic[];
  }
}

export namespace ValidateResourceConfig {
  export interface Request {
    type_name: string;
    config: DynamicValue | null;
    client_capabilities: ClientCapabilities | null;
  }
  export interface Response {
    diagnostics?: Diagnostic[];
  }
}

export namespace ValidateDataResourceConfig {
  export interface Request {
    type_name: string;
    config: DynamicValue | null;
  }
  export interface Response {
    diagnostics?: Diagnostic[];
  }
}

export namespace ValidateEphemeralResourceConfig {
  export interface Request {
    type_name: string;
    config: DynamicValue | null;
  }
  export interface Response {
    diagnostics?: Diagnostic[];
  }
}

export namespace ConfigureProvider {
  export interface Request {
    terraform_version: string;
    config: DynamicValue | null;
    client_capabilities: ClientCapabilities | null;
  }
  export interface Response {
    diagnostics?: Diagnostic[];
  }
}

export namespace ReadResource {
  export interface Request {
    type_name: string;
    current_state: DynamicValue | null;
    private: Buffer;
    provider_meta: DynamicValue | null;
    client_capabilities: ClientCapabilities | null;
  }
  export interface Response {
    /** Null (or absent) = the object is gone. */
    new_state?: DynamicValueOut | null;
    diagnostics?: Diagnostic[];
    private?: Uint8Array;
    deferred?: Deferred | null;
  }
}

export namespace PlanResourceChange {
  export interface Request {
    type_name: string;
    prior_state: DynamicValue | null;
    proposed_new_state: DynamicValue | null;
    config: DynamicValue | null;
    prior_private: Buffer;
    provider_meta: DynamicValue | null;
    client_capabilities: ClientCapabilities | null;
  }
  export interface Response {
    planned_state?: DynamicValueOut | null;
    requires_replace?: AttributePath[];
    planned_private?: Uint8Array;
    diagnostics?: Diagnostic[];
    /** Must stay false. */
    legacy_type_system?: false;
    deferred?: Deferred | null;
  }
}

export namespace ApplyResourceChange {
  export interface Request {
    type_name: string;
    prior_state: DynamicValue | null;
    planned_state: DynamicValue | null;
    config: DynamicValue | null;
    planned_private: Buffer;
    provider_meta: DynamicValue | null;
  }
  export interface Response {
    new_state?: DynamicValueOut | null;
    private?: Uint8Array;
    diagnostics?: Diagnostic[];
    /** Must stay false. */
    legacy_type_system?: false;
  }
}

export namespace ImportResourceState {
  export interface Request {
    type_name: string;
    id: string;
    client_capabilities: ClientCapabilities | null;
  }
  export interface ImportedResource {
    type_name: string;
    state: DynamicValueOut | null;
    private?: Uint8Array;
  }
  export interface Response {
    imported_resources?: ImportedResource[];
    diagnostics?: Diagnostic[];
    deferred?: Deferred | null;
  }
}

export namespace MoveResourceState {
  export interface Request {
    source_provider_address: string;
    source_type_name: string;
    source_schema_version: number;
    /** Only `json` is set. */
    source_state: RawState | null;
    target_type_name: string;
    source_private: Buffer;
  }
  export interface Response {
    target_state?: DynamicValueOut | null;
    diagnostics?: Diagnostic[];
    target_private?: Uint8Array;
  }
}

export namespace ReadDataSource {
  export interface Request {
    type_name: string;
    config: DynamicValue | null;
    provider_meta: DynamicValue | null;
    client_capabilities: ClientCapabilities | null;
  }
  export interface Response {
    state?: DynamicValueOut | null;
    diagnostics?: Diagnostic[];
    deferred?: Deferred | null;
  }
}

export namespace OpenEphemeralResource {
  export interface Request {
    type_name: string;
    config: DynamicValue | null;
    client_capabilities: ClientCapabilities | null;
  }
  export interface Response {
    diagnostics?: Diagnostic[];
    renew_at?: Timestamp;
    result?: DynamicValueOut | null;
    private?: Uint8Array;
    deferred?: Deferred | null;
  }
}

export namespace RenewEphemeralResource {
  export interface Request {
    type_name: string;
    /** proto3 optional: undefined when Terraform sent none. */
    private?: Buffer;
  }
  export interface Response {
    diagnostics?: Diagnostic[];
    renew_at?: Timestamp;
    private?: Uint8Array;
  }
}

export namespace CloseEphemeralResource {
  export interface Request {
    type_name: string;
    /** proto3 optional: undefined when Terraform sent none. */
    private?: Buffer;
  }
  export interface Response {
    diagnostics?: Diagnostic[];
  }
}

export namespace GetFunctions {
  export type Request = Empty;
  export interface Response {
    functions?: Record<string, Function>;
    diagnostics?: Diagnostic[];
  }
}

export namespace CallFunction {
  export interface Request {
    name: string;
    arguments: DynamicValue[];
  }
  /** Functions have no diagnostics: a failure is `error`. */
  export interface Response {
    result?: DynamicValueOut | null;
    error?: FunctionError | null;
  }
}

export namespace StopProvider {
  export type Request = Empty;
  export interface Response {
    /** Capitalised in the protocol. Empty = stopped fine. */
    Error?: string;
  }
}
