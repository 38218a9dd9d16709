// Value → Terraform's JSON value encoding. Numbers are written as exact JSON number text; unknowns cannot be
// represented and are rejected; objects carry every attribute (null when unset) with keys sorted.

import { typeName, type CtyType } from '../cty-type.js';
import { DynamicValue, Unknown, type Value } from '../value.js';
import { describeShape, failAt, guarded, type PathStack } from './errors.js';
import { sortedKeys } from './keys.js';
import { jsonNumberText } from './numbers.js';
import { concreteTypeJson } from './type-json.js';
import { entry, requireArray, requireBool, requireNumber, requireObject, requireRecord, requireString } from './shape.js';

export function encodeJson(value: Value, type: CtyType): string {
  return guarded('cannot encode value as JSON', () => toJson(value, type, []));
}

function toJson(v: Value | undefined, type: CtyType, path: PathStack): string {
  if (type === 'dynamic' && v instanceof DynamicValue && v.type !== 'dynamic') return dynamicToJson(v, path);
  if (v === null || v === undefined) return 'null';
  if (v instanceof Unknown) return failAt(path, 'value is not known (unknown values cannot be encoded as JSON)');
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return JSON.stringify(requireString(v, path));
      case 'bool':
        return requireBool(v, path) ? 'true' : 'false';
      case 'number': {
        const n = requireNumber(v, path);
        return jsonNumberText(n) ?? failAt(path, `${String(n)} cannot be written as a JSON number`);
      }
      case 'dynamic':
        if (v instanceof DynamicValue) return toJson(v.value, 'dynamic', path);
        return failAt(path, `a dynamic value (DynamicValue with its type) is required, got ${describeShape(v)}`);
    }
  }
  if (v instanceof DynamicValue) return failAt(path, `a ${typeName(type)} is required, got dynamic value`);
  switch (type.kind) {
    case 'list':
    case 'set': {
      const items = requireArray(v, `a ${type.kind}`, path).map((item, i) => {
        if (type.kind === 'list') path.push({ index: i });
        const s = toJson(item, type.element, path);
        if (type.kind === 'list') path.pop();
        return s;
      });
      return `[${items.join(',')}]`;
    }
    case 'tuple': {
      const items = requireArray(v, 'a tuple', path);
      if (items.length !== type.elements.length) {
        failAt(path, `a tuple of ${type.elements.length} elements is required (${items.length} given)`);
      }
      const parts = items.map((item, i) => {
        path.push({ index: i });
        const s = toJson(item, type.elements[i]!, path);
        path.pop();
        return s;
      });
      return `[${parts.join(',')}]`;
    }
    case 'map': {
      const record = requireRecord(v, 'a map', path);
      const parts = sortedKeys(record).map((key) => {
        path.push({ key });
        const s = `${JSON.stringify(key)}:${toJson(record[key], type.element, path)}`;
        path.pop();
        return s;
      });
      return `{${parts.join(',')}}`;
    }
    case 'object': {
      const o = requireObject(v, type, path);
      const parts = sortedKeys(type.attributes).map((name) => {
        path.push({ attribute: name });
        const s = `${JSON.stringify(name)}:${toJson(entry(o, name), type.attributes[name]!, path)}`;
        path.pop();
        return s;
      });
      return `{${parts.join(',')}}`;
    }
  }
}

/** cty writes `{"value": …, "type": …}`, value first. */
function dynamicToJson(v: DynamicValue, path: PathStack): string {
  return `{"value":${toJson(v.value, v.type, path)},"type":${concreteTypeJson(v.type)}}`;
}
