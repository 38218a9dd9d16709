// outscale_image plan rules on top of the generic engine.

import { valueEquals } from '../../protocol/codec/index.js';
import { isObjectValue, isUnknown, type ObjectValue, type Value } from '../../protocol/value.js';
import type { PlanContext } from '../../framework/plan.js';
import { checkCreationMode } from './creation-mode.js';
import { UNREADABLE_INPUTS } from './schema.js';

/**
 * Private-state flag of an instance whose creation inputs the state never knew (set by import): the next plan takes
 * the ones the config gives as they are, in place, once.
 */
export const ADOPT_CREATE_INPUTS = 'adopt_create_inputs';

export function planImage(ctx: PlanContext): void {
  const { prior, config, planned } = ctx;
  if (prior === null) {
    checkCreationMode(config, ctx.diagnostics);
    leaveUnsetInputsNull(config, planned);
    if ((config.image_name ?? null) === null) warnUnnamed(ctx);
    return;
  }
  planMappings(prior, config, planned);
  planFileLocation(prior, config, planned);
  planCreateInputs(ctx, prior);
}

/** Create-only inputs that the config leaves out are known to be null (or false): no "(known after apply)" noise. */
function leaveUnsetInputsNull(config: ObjectValue, planned: ObjectValue): void {
  for (const name of UNREADABLE_INPUTS) {
    if ((config[name] ?? null) === null) planned[name] = name === 'no_reboot' ? false : null;
  }
}

/**
 * The API never returns how an OMI was made (vm_id, source_image_id, …). Right after an import the state has none of
 * them: the inputs the config writes are adopted in place. Otherwise the state holds what created the OMI, and any
 * other creation input is another OMI: the input left out of the config stays null (it is not kept from state), so
 * that a switch from `vm_id` to `source_image_id` is planned as what it is, a replacement.
 */
function planCreateInputs(ctx: PlanContext, prior: ObjectValue): void {
  const { config, planned } = ctx;
  if (ctx.private.get(ADOPT_CREATE_INPUTS) === true) {
    let adopted = false;
    for (const name of UNREADABLE_INPUTS) {
      if ((prior[name] ?? null) !== null || (config[name] ?? null) === null) continue;
      ctx.adoptedInPlace.add(name);
      adopted = true;
    }
    if (adopted) ctx.private.delete(ADOPT_CREATE_INPUTS);
    return;
  }
  const anotherMode = configNamesAnotherMode(config);
  for (const name of UNREADABLE_INPUTS) {
    if (name === 'no_reboot') continue; // only used at creation; changing it changes nothing remotely
    if ((config[name] ?? null) !== null || !anotherMode) continue;
    planned[name] = null;
    ctx.settledOnReplace.add(name);
  }
}

/**
 * The config names a creation input the API never returns, so one it leaves out is really gone, not just unwritten
 * (file_location and mappings are in every OMI's state, read from the API: they say nothing of how it was made).
 */
function configNamesAnotherMode(config: ObjectValue): boolean {
  return (config.vm_id ?? null) !== null || (config.source_image_id ?? null) !== null;
}

/**
 * A pre-signed manifest URL expires and is regenerated with a new query string: the same manifest (scheme, host and
 * path) is the same OMI, so the state's URL is kept and nothing is planned.
 */
function planFileLocation(prior: ObjectValue, config: ObjectValue, planned: ObjectValue): void {
  const before = prior.file_location ?? null;
  const wanted = config.file_location ?? null;
  if (typeof before === 'string' && typeof wanted === 'string' && sameManifest(before, wanted)) planned.file_location = before;
}

export function sameManifest(a: string, b: string): boolean {
  const strip = (url: string) => {
    try {
      const u = new URL(url);
      return `${u.protocol}//${u.host.toLowerCase()}${u.pathname}`;
    } catch {
      return url;
    }
  };
  return strip(a) === strip(b);
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
