// tfplugin6.Provider on top of a ProviderDefinition: decode → framework/resource logic → encode, with every RPC
// wrapped so that a thrown error becomes an error diagnostic and the server keeps serving.

import { decodeDynamicValue, encodeDynamicValue, CodecError } from '../protocol/codec/index.js';
import { isObjectValue, type ObjectValue, type Value } from '../protocol/value.js';
import { log } from '../common/log.js';
import { Diagnostics } from './diagnostics.js';
import { planResourceChange } from './plan.js';
import type { ApplyResult, CallContext, ProviderDefinition, ResourceDefinition } from './resource.js';
import { impliedType, type ResourceSchema } from './schema.js';
import { schemaToProto } from './schema-proto.js';
import { validateBlock } from './validate.js';
import { fillUnknowns, hasUnknown, nullUnknowns } from './values.js';
import { upgradeFromJson } from './upgrade.js';
import { PrivateState } from './private-state.js';

type Req = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (call: { request: Req }, callback: (err: Error | null, response?: unknown) => void) => void;

/**
 * Private state goes back only when there is some. protobufjs writes an empty bytes field when it is set, and Go then
 * decodes an empty (non-nil) slice where Terraform held nil: equal JSON, but Terraform's in-memory state comparison
 * (reflect.DeepEqual) sees a difference, and `plan -refresh-only -detailed-exitcode` reports changes that are none.
 */
function privateField(bytes: unknown): { private?: Buffer } {
  return Buffer.isBuffer(bytes) && bytes.length > 0 ? { private: bytes } : {};
}

const NO_DIAGNOSTICS_FIELD = new Set(['CallFunction']);

/** Wraps one RPC: any throw becomes an error diagnostic in a normal response. */
function rpc(name: string, fn: (req: Req, diags: Diagnostics) => Promise<Record<string, unknown>>): Handler {
  return (call, callback) => {
    const started = Date.now();
    const diags = new Diagnostics();
    const done = (response: Record<string, unknown>) => {
      log.debug(`${name} done`, { tf_rpc: name, duration_ms: Date.now() - started, diagnostics: diags.items.length });
      callback(null, NO_DIAGNOSTICS_FIELD.has(name) ? response : { ...response, diagnostics: diags.toProto() });
    };
    log.trace(`${name} received`, { tf_rpc: name, tf_resource_type: call.request?.type_name });
    fn(call.request ?? {}, diags).then(done, (e: unknown) => {
      if (e instanceof CodecError) diags.error('Invalid value received from Terraform', e.message, e.path);
      else {
        log.error(`${name} failed`, { tf_rpc: name, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        diags.fromError(e, `${name} failed`);
      }
      done({});
    });
  };
}

export interface ProviderService {
  service: Record<string, Handler>;
  /** Cancels every wait and API call in flight (StopProvider, SIGINT). */
  stop(): void;
}

export function createProviderServer<Client>(provider: ProviderDefinition<Client>): ProviderService {
  const resources = new Map<string, ResourceDefinition<Client>>(provider.resources.map((r) => [r.typeName, r]));
  let client: Client | undefined;
  const stopController = new AbortController();
  let schemaResponse: Record<string, unknown> | undefined;

  const ctx = (diagnostics: Diagnostics, privateState = PrivateState.fromBytes(undefined)): CallContext<Client> => ({
    client,
    signal: stopController.signal,
    diagnostics,
    private: privateState,
  });

  function resourceFor(typeName: unknown): ResourceDefinition<Client> {
    const r = resources.get(String(typeName));
    if (!r) throw new Error(`This provider has no resource type "${String(typeName)}".`);
    return r;
  }

  function decodeObject(dv: unknown, schema: ResourceSchema): ObjectValue | null {
    const v: Value = decodeDynamicValue(dv as never, impliedType(schema.block));
    if (v === null) return null;
    if (!isObjectValue(v)) throw new CodecError([], 'an object is required');
    return v;
  }

  /** Schema checks, then the provider's or resource's own cross-attribute checks. */
  function validateConfig(
    dv: unknown,
    target: { schema: ResourceSchema; validate?(config: ObjectValue, diagnostics: Diagnostics): void },
    diags: Diagnostics,
  ): void {
    const config = decodeObject(dv, target.schema);
    if (!config) return;
    validateBlock(target.schema.block, config, [], diags);
    target.validate?.(config, diags);
  }

  function encode(v: Value, r: { schema: ResourceSchema }) {
    return encodeDynamicValue(v, impliedType(r.schema.block), { numbersAsText: true });
  }

  const unsupported = (name: string) =>
    rpc(name, async (_req, diags) => {
      diags.error(`${name} is not supported`, `The OUTSCALE provider does not support ${name}.`);
      return {};
    });

  const service: Record<string, Handler> = {
    GetMetadata: rpc('GetMetadata', async () => ({
      server_capabilities: { plan_destroy: true, get_provider_schema_optional: true },
      data_sources: [],
      resources: [...resources.keys()].map((type_name) => ({ type_name })),
      functions: [],
      ephemeral_resources: [],
    })),

    GetProviderSchema: rpc('GetProviderSchema', async () => {
      schemaResponse ??= {
        provider: schemaToProto(provider.schema),
        resource_schemas: Object.fromEntries([...resources].map(([n, r]) => [n, schemaToProto(r.schema)])),
        data_source_schemas: {},
        functions: {},
        ephemeral_resource_schemas: {},
        server_capabilities: { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: false },
      };
      return schemaResponse;
    }),

    ValidateProviderConfig: rpc('ValidateProviderConfig', async (req, diags) => {
      validateConfig(req.config, provider, diags);
      return {};
    }),

    ConfigureProvider: rpc('ConfigureProvider', async (req, diags) => {
      const config = decodeObject(req.config, provider.schema);
      client = await provider.configure(config ?? {}, { diagnostics: diags, terraformVersion: String(req.terraform_version ?? '') });
      return {};
    }),

    ValidateResourceConfig: rpc('ValidateResourceConfig', async (req, diags) => {
      validateConfig(req.config, resourceFor(req.type_name), diags);
      return {};
    }),

    UpgradeResourceState: rpc('UpgradeResourceState', async (req, diags) => {
      const r = resourceFor(req.type_name);
      const json: Buffer | undefined = req.raw_state?.json;
      if (!json || json.length === 0) {
        diags.error('Cannot upgrade this state', 'The stored state has no JSON form (flatmap states are not supported).');
        return {};
      }
      const version = Number(req.version ?? 0);
      const upgraded = upgradeFromJson(r, version, json, diags);
      return diags.hasErrors() ? {} : { upgraded_state: encode(upgraded, r) };
    }),

    ReadResource: rpc('ReadResource', async (req, diags) => {
      const r = resourceFor(req.type_name);
      const state = decodeObject(req.current_state, r.schema);
      if (!state) return { new_state: encode(null, r), ...privateField(req.private) };
      requireClient(diags);
      if (diags.hasErrors()) return {};
      const privateState = PrivateState.fromBytes(req.private);
      const fresh = await r.read({ state }, ctx(diags, privateState));
      const newState = diags.hasErrors() ? state : fresh;
      return { new_state: encode(newState === null ? null : nullUnknowns(newState), r), ...privateField(privateState.toBytes()) };
    }),

    PlanResourceChange: rpc('PlanResourceChange', async (req, diags) => {
      const r = resourceFor(req.type_name);
      const prior = decodeObject(req.prior_state, r.schema);
      const proposed = decodeObject(req.proposed_new_state, r.schema);
      const config = decodeObject(req.config, r.schema);
      const privateState = PrivateState.fromBytes(req.prior_private);
      const plannedPrivate = () => {
        const bytes = privateState.toBytes();
        return bytes && bytes.length > 0 ? { planned_private: bytes } : {};
      };
      if (proposed === null || config === null) return { planned_state: encode(null, r), ...plannedPrivate() };
      const result = await planResourceChange(r.schema.block, { prior, proposed, config, private: privateState }, diags, r.modifyPlan);
      return {
        planned_state: encode(result.planned, r),
        requires_replace: result.requiresReplace.map((p) => ({
          steps: p.map((s) =>
            'attribute' in s ? { attribute_name: s.attribute } : 'key' in s ? { element_key_string: s.key } : { element_key_int: s.index },
          ),
        })),
        ...plannedPrivate(),
      };
    }),

    ApplyResourceChange: rpc('ApplyResourceChange', async (req, diags) => {
      const r = resourceFor(req.type_name);
      const prior = decodeObject(req.prior_state, r.schema);
      const planned = decodeObject(req.planned_state, r.schema);
      const config = decodeObject(req.config, r.schema);
      const privateState = PrivateState.fromBytes(req.planned_private);
      requireClient(diags);
      if (diags.hasErrors()) return { new_state: encode(prior, r), ...privateField(req.planned_private) };
      const c = ctx(diags, privateState);
      if (planned === null) {
        if (prior === null) return { new_state: encode(null, r) };
        try {
          await r.delete({ prior }, c);
        } catch (e) {
          diags.fromError(e, 'Failed to delete');
        }
        return { new_state: encode(diags.hasErrors() ? prior : null, r), ...privateField(privateState.toBytes()) };
      }
      const result: ApplyResult = { state: prior };
      try {
        if (prior === null) await r.create({ planned, config: config ?? planned }, result, c);
        else await r.update({ prior, planned, config: config ?? planned }, result, c);
      } catch (e) {
        diags.fromError(e, prior === null ? 'Failed to create' : 'Failed to update');
      }
      return { new_state: encode(applied(planned, result.state, r, diags), r), ...privateField(privateState.toBytes()) };
    }),

    ImportResourceState: rpc('ImportResourceState', async (req, diags) => {
      const r = resourceFor(req.type_name);
      if (!r.importState) {
        diags.error('Import is not supported', `${r.typeName} cannot be imported.`);
        return {};
      }
      const privateState = PrivateState.fromBytes(undefined);
      const state = await r.importState(String(req.id ?? ''), ctx(diags, privateState));
      if (diags.hasErrors()) return {};
      return { imported_resources: [{ type_name: r.typeName, state: encode(state, r), ...privateField(privateState.toBytes()) }] };
    }),

    StopProvider: (_call, callback) => {
      log.info('StopProvider: cancelling calls in flight');
      stopController.abort(new Error('Terraform asked the provider to stop'));
      callback(null, { Error: '' });
    },

    ValidateDataResourceConfig: unsupported('ValidateDataResourceConfig'),
    ReadDataSource: unsupported('ReadDataSource'),
    MoveResourceState: unsupported('MoveResourceState'),
    ValidateEphemeralResourceConfig: unsupported('ValidateEphemeralResourceConfig'),
    OpenEphemeralResource: unsupported('OpenEphemeralResource'),
    RenewEphemeralResource: unsupported('RenewEphemeralResource'),
    CloseEphemeralResource: unsupported('CloseEphemeralResource'),
    GetFunctions: rpc('GetFunctions', async () => ({ functions: {} })),
    CallFunction: (_call, callback) => callback(null, { error: { text: 'The OUTSCALE provider has no functions.' } }),
  };

  function requireClient(diags: Diagnostics): void {
    if (client === undefined)
      diags.error('Provider not configured', 'The OUTSCALE provider was not configured before this call (see earlier errors).');
  }

  /**
   * The state to store after create/update. After an error: what exists, as the resource recorded it, never the plan.
   * After success: the planned known values kept (Terraform demands it), unknowns from the API, wholly known.
   */
  function applied(planned: ObjectValue, actual: ObjectValue | null, r: ResourceDefinition<Client>, diags: Diagnostics): Value {
    if (actual === null) return null;
    if (diags.hasErrors()) return nullUnknowns(actual);
    const merged = fillUnknowns(planned, actual, impliedType(r.schema.block));
    if (hasUnknown(merged)) {
      if (!diags.hasErrors()) diags.error('Provider bug', 'Some values are still unknown after apply; they are saved as null.');
      return nullUnknowns(merged);
    }
    return merged;
  }

  return {
    service,
    stop() {
      stopController.abort(new Error('interrupted'));
    },
  };
}
