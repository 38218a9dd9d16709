// The managed-resource RPCs: protocol messages ⇄ decoded values, around the plan (plan.ts), apply (apply.ts),
// upgrade (upgrade.ts) and the resource's own read and import.

import type * as M from '../protocol/messages.js';
import type { AttributePath } from '../protocol/path.js';
import { applyChange } from './apply.js';
import { planResourceChange } from './plan.js';
import { PrivateState } from './private-state.js';
import { rpc, type GrpcHandler } from './rpc.js';
import type { ServerContext } from './server-context.js';
import { upgradeFromJson } from './upgrade.js';
import { validateConfig } from './validate.js';
import { nullUnknowns } from './values.js';
import { decodeObject, encodeObject } from './wire.js';

/**
 * Private state goes back only when there is some. protobufjs writes an empty bytes field when it is set, and Go then
 * decodes an empty (non-nil) slice where Terraform held nil: equal JSON, but Terraform's in-memory state comparison
 * (reflect.DeepEqual) sees a difference, and `plan -refresh-only -detailed-exitcode` reports changes that are none.
 */
function privateField(bytes: unknown): { private?: Buffer } {
  return Buffer.isBuffer(bytes) && bytes.length > 0 ? { private: bytes } : {};
}

function pathToProto(p: AttributePath): M.AttributePath {
  return {
    steps: p.map((s) => ('attribute' in s ? { attribute_name: s.attribute } : 'key' in s ? { element_key_string: s.key } : { element_key_int: s.index })),
  };
}

export function resourceRpcs<Client>(server: ServerContext<Client>): Record<string, GrpcHandler> {
  const { registry } = server;
  return {
    ValidateResourceConfig: rpc('ValidateResourceConfig', async (req, diags) => {
      const r = registry.resource(req.type_name);
      validateConfig(r, decodeObject(req.config, r.schema), diags);
      return {};
    }, server.log),

    UpgradeResourceState: rpc('UpgradeResourceState', async (req, diags) => {
      const r = registry.resource(req.type_name);
      const json = req.raw_state?.json;
      if (!json || json.length === 0) {
        diags.error('Cannot upgrade this state', 'The stored state has no JSON form (flatmap states are not supported).');
        return {};
      }
      const upgraded = upgradeFromJson(r, Number(req.version ?? 0), json, diags);
      return diags.hasErrors() ? {} : { upgraded_state: encodeObject(upgraded, r.schema) };
    }, server.log),

    ReadResource: rpc('ReadResource', async (req, diags) => {
      const r = registry.resource(req.type_name);
      const state = decodeObject(req.current_state, r.schema);
      if (!state) return { new_state: encodeObject(null, r.schema), ...privateField(req.private) };
      server.requireClient(diags);
      if (diags.hasErrors()) return {};
      const privateState = PrivateState.fromBytes(req.private);
      const fresh = await r.read({ state }, server.callContext(diags, privateState));
      const newState = diags.hasErrors() ? state : fresh;
      return { new_state: encodeObject(newState === null ? null : nullUnknowns(newState), r.schema), ...privateField(privateState.toBytes()) };
    }, server.log),

    PlanResourceChange: rpc('PlanResourceChange', async (req, diags) => {
      const r = registry.resource(req.type_name);
      const prior = decodeObject(req.prior_state, r.schema);
      const proposed = decodeObject(req.proposed_new_state, r.schema);
      const config = decodeObject(req.config, r.schema);
      const privateState = PrivateState.fromBytes(req.prior_private);
      const plannedPrivate = () => {
        const bytes = privateState.toBytes();
        return bytes && bytes.length > 0 ? { planned_private: bytes } : {};
      };
      if (proposed === null || config === null) return { planned_state: encodeObject(null, r.schema), ...plannedPrivate() };
      const result = await planResourceChange(r.schema.block, { prior, proposed, config, private: privateState }, diags, r.modifyPlan);
      return {
        planned_state: encodeObject(result.planned, r.schema),
        requires_replace: result.requiresReplace.map(pathToProto),
        ...plannedPrivate(),
      };
    }, server.log),

    ApplyResourceChange: rpc('ApplyResourceChange', async (req, diags) => {
      const r = registry.resource(req.type_name);
      const prior = decodeObject(req.prior_state, r.schema);
      const planned = decodeObject(req.planned_state, r.schema);
      const config = decodeObject(req.config, r.schema);
      server.requireClient(diags);
      if (diags.hasErrors()) return { new_state: encodeObject(prior, r.schema), ...privateField(req.planned_private) };
      if (planned === null && prior === null) return { new_state: encodeObject(null, r.schema) };
      const privateState = PrivateState.fromBytes(req.planned_private);
      const newState = await applyChange(r, { prior, planned, config }, server.callContext(diags, privateState));
      return { new_state: encodeObject(newState, r.schema), ...privateField(privateState.toBytes()) };
    }, server.log),

    ImportResourceState: rpc('ImportResourceState', async (req, diags) => {
      const r = registry.resource(req.type_name);
      if (!r.importState) {
        diags.error('Import is not supported', `${r.typeName} cannot be imported.`);
        return {};
      }
      const privateState = PrivateState.fromBytes(undefined);
      const state = await r.importState(String(req.id ?? ''), server.callContext(diags, privateState));
      if (diags.hasErrors()) return {};
      return { imported_resources: [{ type_name: r.typeName, state: encodeObject(state, r.schema), ...privateField(privateState.toBytes()) }] };
    }, server.log),
  };
}
