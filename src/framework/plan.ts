// The plan engine (PlanResourceChange), in the order the best frameworks use:
//   planned = proposed → defaults → (only if the object changes) computed attributes left null by the config become
//   unknown, unless they keep their state value → the resource's own plan hook → requires-replace for the paths whose
//   value really changed → on replacement every computed value not set by the config is unknown again.
// Marking computed values unknown only when something changes is what keeps `terraform plan` free of perpetual diffs.

import type { AttributePath } from '../protocol/path.js';
import { isObjectValue, isUnknown, objectValue, UNKNOWN, type ObjectValue } from '../protocol/value.js';
import { valueEquals } from '../protocol/codec/index.js';
import { impliedType, type BlockSchema } from './schema.js';
import type { Diagnostics } from './diagnostics.js';
import { PrivateState } from './private-state.js';

export interface PlanInput {
  prior: ObjectValue | null;
  proposed: ObjectValue;
  config: ObjectValue;
  /** The prior private state; the hook may change it (what is planned is stored by the apply). */
  private?: PrivateState;
}

export interface PlanContext extends PlanInput {
  /** The plan so far; the hook may change it. */
  planned: ObjectValue;
  requiresReplace: AttributePath[];
  /**
   * Top-level attributes whose change is applied in place although they are requiresReplace: values the state never
   * knew (after an import) that the resource adopts as they are written.
   */
  adoptedInPlace: Set<string>;
  /** Top-level attributes whose planned value the hook settled for a new object too (kept on replacement). */
  settledOnReplace: Set<string>;
  private: PrivateState;
  diagnostics: Diagnostics;
}

export type PlanHook = (ctx: PlanContext) => void | Promise<void>;

export interface PlanResult {
  planned: ObjectValue;
  requiresReplace: AttributePath[];
}

export async function planResourceChange(
  schema: BlockSchema,
  input: PlanInput,
  diagnostics: Diagnostics,
  hook?: PlanHook,
): Promise<PlanResult> {
  const { prior, proposed, config } = input;
  let planned = applyDefaults(schema, proposed, config);

  const changing = prior === null || !valueEquals(planned, prior, impliedType(schema));
  if (changing) planned = markComputedUnknown(schema, planned, config, prior, true);

  const ctx: PlanContext = {
    prior,
    proposed,
    config,
    planned,
    requiresReplace: [],
    adoptedInPlace: new Set(),
    settledOnReplace: new Set(),
    private: input.private ?? PrivateState.fromBytes(undefined),
    diagnostics,
  };
  if (hook) await hook(ctx);
  planned = ctx.planned;

  const requiresReplace = [...ctx.requiresReplace];
  if (prior !== null) {
    for (const [name, a] of Object.entries(schema.attributes)) {
      if (!a.requiresReplace || ctx.adoptedInPlace.has(name)) continue;
      const before = prior[name] ?? null;
      const after = planned[name] ?? null;
      // an unknown planned value is a change too: the object is then a new one
      if (!valueEquals(before, after, a.type)) requiresReplace.push([{ attribute: name }]);
    }
  }
  const unique = dedupePaths(requiresReplace);
  if (prior !== null && unique.length > 0) {
    const settled = ctx.settledOnReplace;
    const renewed = markComputedUnknown(schema, planned, config, prior, false);
    for (const name of settled) renewed[name] = planned[name] ?? null;
    planned = renewed;
  }
  return { planned, requiresReplace: unique };
}

function applyDefaults(schema: BlockSchema, proposed: ObjectValue, config: ObjectValue): ObjectValue {
  const out = objectValue(proposed);
  for (const [name, a] of Object.entries(schema.attributes)) {
    if (a.default !== undefined && (config[name] ?? null) === null) out[name] = a.default;
  }
  return out;
}

/**
 * Computed attributes whose config is null become unknown. `keepState` (in-place updates) keeps the prior value of
 * useStateForUnknown and optional+computed attributes; not on replacement, where a new object gets new values.
 * Inside nested blocks, a computed attribute that the proposed value left null (no config, no matching prior
 * element) becomes unknown.
 */
function markComputedUnknown(
  schema: BlockSchema,
  planned: ObjectValue,
  config: ObjectValue,
  prior: ObjectValue | null,
  keepState: boolean,
): ObjectValue {
  const out = objectValue(planned);
  for (const [name, a] of Object.entries(schema.attributes)) {
    if (!a.computed || (config[name] ?? null) !== null || a.default !== undefined) continue;
    const priorValue = prior?.[name] ?? null;
    // an optional+computed value the user leaves to the API does not change in an in-place update
    if (keepState && a.optional && prior !== null) out[name] = priorValue;
    else if (keepState && a.useStateForUnknown && priorValue !== null) out[name] = priorValue;
    else out[name] = UNKNOWN;
  }
  for (const [name, nb] of Object.entries(schema.blocks ?? {})) {
    const v = out[name] ?? null;
    if (v === null || isUnknown(v)) continue;
    if (nb.nesting === 'single') {
      if (isObjectValue(v)) out[name] = markNestedNulls(nb.block, v);
      continue;
    }
    if (Array.isArray(v)) out[name] = v.map((el) => (isObjectValue(el) ? markNestedNulls(nb.block, el) : el));
  }
  return out;
}

function markNestedNulls(schema: BlockSchema, el: ObjectValue): ObjectValue {
  const out = objectValue(el);
  for (const [name, a] of Object.entries(schema.attributes)) {
    if (a.computed && (out[name] ?? null) === null) out[name] = a.default ?? UNKNOWN;
  }
  return out;
}

function dedupePaths(paths: AttributePath[]): AttributePath[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const key = JSON.stringify(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
