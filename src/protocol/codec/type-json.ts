// Type JSON carried inside dynamic values (`[type, value]` in msgpack, `{"type":…}` in JSON).

import { typeFromJSON, type CtyType } from '../cty-type.js';
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
