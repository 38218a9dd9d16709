// UpgradeResourceState: Terraform calls it for every resource in state on every run, so it must be cheap. The raw
// JSON may come from an older schema or from another provider (the official Go provider writes extra keys); keys
// the current schema does not know are dropped, missing ones become null (empty for list/set blocks), and the
// zero-value spellings of SDKv2 are read as what they mean.

import { isLosslessNumber } from 'lossless-json';
import { decodeJsonTree, parseJsonExact } from '../protocol/codec/index.js';
import type { CtyType } from '../protocol/cty-type.js';
import type { ObjectValue } from '../protocol/value.js';
import type { Diagnostics } from './diagnostics.js';
import type { ResourceDefinition } from './resource.js';
import { impliedType, type BlockSchema } from './schema.js';

export function upgradeFromJson<C>(r: ResourceDefinition<C>, version: number, json: Uint8Array, diags: Diagnostics): ObjectValue {
  let raw: unknown;
  try {
    raw = parseJsonExact(Buffer.from(json).toString('utf8'));
  } catch (e) {
    diags.error('Cannot read the stored state', `The state JSON is not valid: ${(e as Error).message}`);
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    diags.error('Cannot read the stored state', 'The stored state is not a JSON object.');
    return {};
  }
  const adapted = r.upgradeState ? r.upgradeState(version, raw as Record<string, unknown>, diags) : null;
  if (diags.hasErrors()) return {};
  if (adapted) return adapted;
  if (version > r.schema.version) {
    diags.error('Unsupported state version', `State version ${version} is newer than this provider's (${r.schema.version}).`);
    return {};
  }
  return conformStateJson(r.schema.block, raw as Record<string, unknown>);
}

/** Drops unknown keys, fills list/set blocks, then decodes with the schema type (numbers stay exact: lossless-json). */
export function conformStateJson(schema: BlockSchema, raw: Record<string, unknown>): ObjectValue {
  return decodeJsonTree(conformBlock(schema, raw), impliedType(schema)) as ObjectValue;
}

function conformBlock(schema: BlockSchema, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(schema.attributes)) out[name] = conformToType(raw[name] ?? null, a.type);
  for (const [name, nb] of Object.entries(schema.blocks ?? {})) {
    const v = raw[name];
    if (nb.nesting === 'single') {
      const el = Array.isArray(v) ? v[0] : v; // SDKv2 stores a max-1 block as a one-element list
      out[name] = isPlainObject(el) ? conformBlock(nb.block, el) : null;
    } else {
      out[name] = Array.isArray(v) ? v.filter(isPlainObject).map((el) => conformBlock(nb.block, el)) : [];
    }
  }
  return out;
}

function conformToType(v: unknown, type: CtyType): unknown {
  if (v === null || v === undefined) return null;
  // SDKv2 (flatmap heritage) writes "" for an unset bool or number; "true"/"false" strings decode as booleans
  if ((type === 'bool' || type === 'number') && v === '') return null;
  if (typeof type === 'string') return v;
  switch (type.kind) {
    case 'object': {
      if (!isPlainObject(v)) return null;
      const out: Record<string, unknown> = {};
      for (const [n, at] of Object.entries(type.attributes)) out[n] = conformToType(v[n] ?? null, at);
      return out;
    }
    case 'list':
    case 'set':
      return Array.isArray(v) ? v.map((x) => conformToType(x, type.element)) : null;
    case 'map':
      return isPlainObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conformToType(x, type.element)])) : null;
    case 'tuple':
      return Array.isArray(v) ? v.map((x, i) => conformToType(x, type.elements[i] ?? 'dynamic')) : null;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isLosslessNumber(v);
}
