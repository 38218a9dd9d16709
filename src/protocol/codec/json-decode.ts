// Terraform's JSON value encoding (protocol reference §4.6) → Value. Used for RawState.json (UpgradeResourceState)
// and DynamicValue.json. Numbers are parsed losslessly; conversions follow cty's JSON decoder: a number or bool where a
// string is expected becomes its text, "true"/"false" are bools, decimal strings are numbers; object attributes may be
// omitted (null) but unknown ones are rejected; dynamic slots are {"value": …, "type": …}.

import { isLosslessNumber, parse } from 'lossless-json';
import type { CtyType } from '../cty-type.js';
import { DynamicValue, type ObjectValue, type Value } from '../value.js';
import { describeShape, failAt, guarded, type PathStack } from './errors.js';
import { newObjectValue } from './shape.js';
import { parseNumberText } from './numbers.js';
import { parseTypeValue } from './type-json.js';

const MAX_DEPTH = 512;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeJson(text: string | Uint8Array, type: CtyType): Value {
  return guarded('invalid JSON value', () => {
    let source: string;
    if (typeof text === 'string') source = text;
    else {
      try {
        source = utf8.decode(text);
      } catch {
        return failAt([], 'JSON is not valid UTF-8');
      }
    }
    let tree: unknown;
    try {
      tree = parse(source); // strict: duplicate keys are an error here
    } catch (e) {
      return failAt([], `invalid JSON: ${(e as Error).message}`);
    }
    return fromJson(tree, type, [], 0);
  });
}

/** The same for JSON already parsed by parseJsonExact (numbers as LosslessNumber, or JS numbers when short integers). */
export function decodeJsonTree(tree: unknown, type: CtyType): Value {
  return guarded('invalid JSON value', () => fromJson(tree, type, [], 0));
}

function isJsonObject(j: unknown): j is Record<string, unknown> {
  return typeof j === 'object' && j !== null && !Array.isArray(j) && !isLosslessNumber(j);
}

function own(o: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

function wrongShape(expected: string, j: unknown, path: PathStack): never {
  return failAt(path, `${expected} is required, got ${describeShape(j)}`);
}

function fromJson(j: unknown, type: CtyType, path: PathStack, depth: number): Value {
  if (depth > MAX_DEPTH) failAt(path, 'value is nested too deeply');
  if (j === null) return null;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof j === 'string') return /[^\x00-\x7f]/.test(j) ? j.normalize('NFC') : j;
        if (isLosslessNumber(j)) return j.value;
        if (typeof j === 'number') return String(j); // only short integers come as JS numbers (json-parse.ts)
        if (typeof j === 'boolean') return j ? 'true' : 'false';
        return wrongShape('a string', j, path);
      case 'bool':
        if (typeof j === 'boolean') return j;
        if (j === 'true' || j === 'false') return j === 'true';
        return wrongShape('a bool', j, path);
      case 'number': {
        if (typeof j === 'number' && Number.isSafeInteger(j)) return j === 0 ? 0 : j; // json-parse.ts: exact
        const text = isLosslessNumber(j) ? j.value : typeof j === 'string' ? j : wrongShape('a number', j, path);
        const parsed = parseNumberText(text);
        if (!parsed.ok) failAt(path, parsed.reason);
        return parsed.value;
      }
      case 'dynamic':
        return dynamicFromJson(j, path, depth);
    }
  }
  switch (type.kind) {
    case 'list':
    case 'set': {
      if (!Array.isArray(j)) return wrongShape(`a ${type.kind}`, j, path);
      return j.map((item, i) => {
        if (type.kind === 'list') path.push({ index: i });
        const v = fromJson(item, type.element, path, depth + 1);
        if (type.kind === 'list') path.pop();
        return v;
      });
    }
    case 'tuple': {
      if (!Array.isArray(j)) return wrongShape('a tuple', j, path);
      if (j.length !== type.elements.length) {
        failAt(path, `a tuple of ${type.elements.length} elements is required (${j.length} given)`);
      }
      return j.map((item, i) => {
        path.push({ index: i });
        const v = fromJson(item, type.elements[i]!, path, depth + 1);
        path.pop();
        return v;
      });
    }
    case 'map': {
      if (!isJsonObject(j)) return wrongShape('a map', j, path);
      const out: ObjectValue = Object.create(null);
      for (const key of Object.keys(j)) {
        path.push({ key });
        out[key] = fromJson(own(j, key), type.element, path, depth + 1);
        path.pop();
      }
      return out;
    }
    case 'object': {
      if (!isJsonObject(j)) return wrongShape('an object', j, path);
      const attrs = type.attributes;
      for (const key of Object.keys(j)) {
        if (!Object.prototype.hasOwnProperty.call(attrs, key)) {
          path.push({ attribute: key });
          failAt(path, 'unsupported attribute');
        }
      }
      const out = newObjectValue(type);
      for (const name of Object.keys(attrs)) {
        path.push({ attribute: name });
        out[name] = Object.prototype.hasOwnProperty.call(j, name) ? fromJson(j[name], attrs[name]!, path, depth + 1) : null;
        path.pop();
      }
      return out;
    }
  }
}

function dynamicFromJson(j: unknown, path: PathStack, depth: number): Value {
  if (!isJsonObject(j)) return failAt(path, `a dynamic value {"value": …, "type": …} is required, got ${describeShape(j)}`);
  for (const key of Object.keys(j)) {
    if (key !== 'value' && key !== 'type') failAt(path, `invalid key "${key}" in dynamic value`);
  }
  if (!Object.prototype.hasOwnProperty.call(j, 'type')) failAt(path, 'dynamic value has no "type"');
  if (!Object.prototype.hasOwnProperty.call(j, 'value')) failAt(path, 'dynamic value has no "value"');
  const type = parseTypeValue(j.type, path);
  const value = fromJson(j.value, type, path, depth + 1);
  return type === 'dynamic' ? value : new DynamicValue(type, value);
}
