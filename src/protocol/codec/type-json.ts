// Type JSON carried inside dynamic values (`[type, value]` in msgpack, `{"type":…}` in JSON).

import { typeFromJSON, typeToJSON, type CtyType } from '../cty-type.js';
import { failAt, type PathStack } from './errors.js';

export function parseTypeJson(text: string, path: PathStack): CtyType {
  try {
    return typeFromJSON(JSON.parse(text));
  } catch {
    return failAt(path, `invalid type in dynamic value: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`);
  }
}

export function parseTypeValue(json: unknown, path: PathStack): CtyType {
  try {
    return typeFromJSON(json);
  } catch {
    return failAt(path, 'invalid type in dynamic value');
  }
}

/**
 * The type JSON written for a dynamic value: a value's type is always concrete, so optional-attribute markers (type
 * constraints only) are dropped, as cty never writes them for values.
 */
export function concreteTypeJson(type: CtyType): string {
  return JSON.stringify(withoutOptional(typeToJSON(type)));
}

function withoutOptional(j: unknown): unknown {
  if (!Array.isArray(j)) return j;
  const [kind, arg] = j as [string, unknown];
  if (kind === 'object') {
    const attrs: Record<string, unknown> = Object.create(null);
    for (const [name, t] of Object.entries(arg as Record<string, unknown>)) attrs[name] = withoutOptional(t);
    return ['object', attrs];
  }
  if (kind === 'tuple') return ['tuple', (arg as unknown[]).map(withoutOptional)];
  return [kind, withoutOptional(arg)];
}
