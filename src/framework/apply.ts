// ApplyResourceChange semantics: delete, create or update, and the state stored afterwards. State is the truth:
// after an error it is what exists (prior + what succeeded, as the resource recorded it), never the plan.

import type { ObjectValue, Value } from '../protocol/value.js';
import type { Diagnostics } from './diagnostics.js';
import type { ApplyResult, CallContext, ResourceDefinition } from './resource.js';
import { impliedType } from './schema.js';
import { fillUnknowns, hasUnknown, nullUnknowns } from './values.js';

export interface ApplyInput {
  prior: ObjectValue | null;
  planned: ObjectValue | null;
  config: ObjectValue | null;
}

/** The new state (null = no object) after applying the planned change. */
export async function applyChange<Client>(r: ResourceDefinition<Client>, input: ApplyInput, ctx: CallContext<Client>): Promise<Value> {
  const { prior, planned, config } = input;
  const diags = ctx.diagnostics;
  if (planned === null) {
    if (prior === null) return null;
    try {
      await r.delete({ prior }, ctx);
    } catch (e) {
      diags.fromError(e, 'Failed to delete');
    }
    return diags.hasErrors() ? prior : null;
  }
  const result: ApplyResult = { state: prior };
  try {
    if (prior === null) await r.create({ planned, config: config ?? planned }, result, ctx);
    else await r.update({ prior, planned, config: config ?? planned }, result, ctx);
  } catch (e) {
    diags.fromError(e, prior === null ? 'Failed to create' : 'Failed to update');
  }
  return applied(planned, result.state, r, diags);
}

/**
 * The state to store after create/update. After an error: what exists, as the resource recorded it, never the plan.
 * After success: the planned known values kept (Terraform demands it), unknowns from the API, wholly known.
 */
function applied<Client>(planned: ObjectValue, actual: ObjectValue | null, r: ResourceDefinition<Client>, diags: Diagnostics): Value {
  if (actual === null) return null;
  if (diags.hasErrors()) return nullUnknowns(actual);
  const merged = fillUnknowns(planned, actual, impliedType(r.schema.block));
  if (hasUnknown(merged)) {
    if (!diags.hasErrors()) diags.error('Provider bug', 'Some values are still unknown after apply; they are saved as null.');
    return nullUnknowns(merged);
  }
  return merged;
}
