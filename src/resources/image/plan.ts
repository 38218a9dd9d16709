// outscale_image plan rules on top of the generic engine.

import { valueEquals } from '../../protocol/codec/index.js';
import { isObjectValue, isUnknown, type ObjectValue, type Value } from '../../protocol/value.js';
import type { PlanContext } from '../../framework/plan.js';
import { UNREADABLE_INPUTS } from './schema.js';

export function planImage(ctx: PlanContext): void {
  const { prior, config, planned } = ctx;
  if (prior === null) {
    // Create-only inputs that the config leaves out are known to be null (or false): no "(known after apply)" noise.
    for (const name of UNREADABLE_INPUTS) {
      if ((config[name] ?? null) === null) planned[name] = name === 'no_reboot' ? false : null;
    }
    if ((config.image_name ?? null) === null) warnUnnamed(ctx);
    return;
  }
  planMappings(prior, config, planned);
}

/**
 * block_device_mappings written by the user are config and arrive verbatim (omitted inner fields null). When the
 * prior (API) mappings satisfy them — every configured leaf equal, matched by device name — plan the prior value
 * exactly, which Terraform accepts as "functionally equivalent"; otherwise plan the config, which replaces the OMI.
 */
function planMappings(prior: ObjectValue, config: ObjectValue, planned: ObjectValue): void {
  const configured = config.block_device_mappings ?? null;
  const before = prior.block_device_mappings ?? null;
  if (!Array.isArray(configured) || !Array.isArray(before)) return;
  if (mappingsSatisfied(configured, before)) planned.block_device_mappings = before;
}

export function mappingsSatisfied(configured: Value[], actual: Value[]): boolean {
  if (configured.length !== actual.length) return false;
  const used = new Set<number>();
  return configured.every((want, i) => {
    if (!isObjectValue(want)) return false;
    const device = want.device_name;
    const j =
      typeof device === 'string'
        ? actual.findIndex((a, k) => !used.has(k) && isObjectValue(a) && a.device_name === device)
        : used.has(i)
          ? -1
          : i;
    if (j < 0 || isUnknown(device)) return false;
    used.add(j);
    return leavesSatisfied(want, actual[j]!);
  });
}

function leavesSatisfied(want: Value, have: Value): boolean {
  if (!isObjectValue(want) || !isObjectValue(have)) return false;
  if (!scalarSatisfied(want.device_name ?? null, have.device_name ?? null)) return false;
  if (!scalarSatisfied(want.virtual_device_name ?? null, have.virtual_device_name ?? null)) return false;
  const wantBsu = want.bsu ?? null;
  if (wantBsu === null) return true;
  if (isUnknown(wantBsu) || !Array.isArray(wantBsu)) return false;
  const haveBsu = Array.isArray(have.bsu) ? have.bsu : [];
  if (wantBsu.length > haveBsu.length) return false;
  return wantBsu.every((b, k) => {
    if (!isObjectValue(b) || !isObjectValue(haveBsu[k])) return false;
    const h = haveBsu[k] as ObjectValue;
    return Object.keys(b).every((leaf) => scalarSatisfied(b[leaf] ?? null, h[leaf] ?? null));
  });
}

/** A configured leaf is satisfied when it is null (left to the API) or equal to the actual value. */
function scalarSatisfied(want: Value, have: Value): boolean {
  if (want === null) return true;
  if (isUnknown(want)) return false;
  return valueEquals(want, have, typeof want === 'string' ? 'string' : typeof want === 'boolean' ? 'bool' : 'number');
}

/** Without a name, a CreateImage whose answer is lost cannot be matched to the OMI it made. */
function warnUnnamed(ctx: PlanContext): void {
  ctx.diagnostics.warning(
    'OMI without image_name',
    'OUTSCALE does not require a name, but the provider uses it to find the OMI again when the answer to CreateImage ' +
      'is lost (a server error or a dropped connection after the request was sent). Without a name such an apply ' +
      'fails saying an OMI may exist, and you would have to look for it yourself. Set image_name to avoid this.',
    [{ attribute: 'image_name' }],
  );
}
