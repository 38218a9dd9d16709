// The state of an outscale_image after a read, a create or an update: the API view, plus what only state knows.
// An OMI's block device mappings never change after creation, so where state already holds a mapping that the API
// confirms, state's value is kept as it is — including the nulls a configuration like
// `bsu { snapshot_id = … }` left to the API. A refresh then writes back what the plan kept, and
// `plan -refresh-only` stays empty right after apply.

import type { Image } from '../../outscale/types.js';
import { valueEquals } from '../../protocol/codec/index.js';
import type { CtyType } from '../../protocol/cty-type.js';
import { isObjectValue, isUnknown, type ObjectValue, type Value } from '../../protocol/value.js';
import { imageToState } from './convert.js';
import { blockDeviceMappingType, UNREADABLE_INPUTS } from './schema.js';

/** The API view plus what only state knows (create-only inputs, timeouts, request id, mappings as state wrote them). */
export function stateFromImage(image: Image, carried: ObjectValue | null): ObjectValue {
  const s = imageToState(image);
  if (carried) {
    for (const name of UNREADABLE_INPUTS) s[name] = knownOrNull(carried[name]);
    s.timeouts = knownOrNull(carried.timeouts);
    s.request_id = knownOrNull(carried.request_id);
    s.block_device_mappings = mergeMappings(knownOrNull(carried.block_device_mappings), s.block_device_mappings as Value[]);
  }
  return s;
}

export const knownOrNull = (v: Value | undefined): Value => (v === undefined || isUnknown(v) ? null : v);

/**
 * The API's mappings, in the order state had them (matched by device name, new ones after). A mapping state holds
 * is kept verbatim when the API agrees with each of its non-null leaves; otherwise the API's mapping replaces it
 * (a real difference: the plan then replaces the OMI). Without mappings in state (import) the API's are taken.
 */
export function mergeMappings(previous: Value, api: Value[]): Value[] {
  if (!Array.isArray(previous)) return api;
  const rest = [...api];
  const merged: Value[] = [];
  for (const p of previous) {
    if (!isObjectValue(p) || typeof p.device_name !== 'string') continue;
    const i = rest.findIndex((m) => isObjectValue(m) && m.device_name === p.device_name);
    if (i < 0) continue; // not on the OMI: the API is the truth
    const [fromApi] = rest.splice(i, 1);
    merged.push(agreesWhereSet(p, fromApi!, blockDeviceMappingType.cty) ? p : fromApi!);
  }
  return [...merged, ...rest];
}

/** True when every non-null leaf of `kept` equals the same leaf of `actual` (lists: same length). */
export function agreesWhereSet(kept: Value, actual: Value, type: CtyType): boolean {
  if (kept === null) return true;
  if (isUnknown(kept)) return false;
  if (typeof type === 'string') return valueEquals(kept, actual, type);
  switch (type.kind) {
    case 'object':
      return (
        isObjectValue(kept) &&
        isObjectValue(actual) &&
        Object.entries(type.attributes).every(([n, at]) => agreesWhereSet(kept[n] ?? null, actual[n] ?? null, at))
      );
    case 'list':
      return (
        Array.isArray(kept) &&
        Array.isArray(actual) &&
        kept.length === actual.length &&
        kept.every((x, i) => agreesWhereSet(x, actual[i]!, type.element))
      );
    default:
      return valueEquals(kept, actual, type);
  }
}
