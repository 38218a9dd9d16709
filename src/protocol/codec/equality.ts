// Structural helpers over typed values: cty-style raw equality and unknown detection.

import { typeEquals, typeToJSON, type CtyType } from '../cty-type.js';
import { DynamicValue, Unknown, isNumber, isObjectValue, numberEquals, numberText, type Value } from '../value.js';

/**
 * cty raw equality: null equals null, unknown equals unknown (refinements ignored) and nothing else, numbers compare
 * exactly by value whatever their representation, sets compare as multisets, objects compare every attribute of the
 * type (a missing key is null), maps by key set, dynamic values by type and value. A value that does not fit the type
 * is simply unequal.
 */
export function valueEquals(a: Value | undefined, b: Value | undefined, type: CtyType): boolean {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn;
  if (a instanceof Unknown || b instanceof Unknown) return a instanceof Unknown && b instanceof Unknown;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
      case 'bool':
        return a === b;
      case 'number':
        return isNumber(a) && isNumber(b) && numberEquals(a, b);
      case 'dynamic':
        if (!(a instanceof DynamicValue) || !(b instanceof DynamicValue)) return false;
        return typeEquals(a.type, b.type) && valueEquals(a.value, b.value, a.type);
    }
  }
  switch (type.kind) {
    case 'list':
      return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => valueEquals(x, b[i], type.element));
    case 'tuple':
      return (
        Array.isArray(a) &&
        Array.isArray(b) &&
        a.length === b.length &&
        a.length === type.elements.length &&
        a.every((x, i) => valueEquals(x, b[i], type.elements[i]!))
      );
    case 'set': {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      // multisets compared through canonical keys: linear, where pairwise matching was quadratic in the set size
      const counts = new Map<string, number>();
      for (const x of a) {
        const k = canonicalKey(x, type.element);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      for (const y of b) {
        const k = canonicalKey(y, type.element);
        const n = counts.get(k);
        if (!n) return false;
        counts.set(k, n - 1);
      }
      return true;
    }
    case 'map': {
      if (!isObjectValue(a) || !isObjectValue(b)) return false;
      const ka = Object.keys(a);
      if (ka.length !== Object.keys(b).length) return false;
      return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && valueEquals(a[k], b[k], type.element));
    }
    case 'object': {
      if (!isObjectValue(a) || !isObjectValue(b)) return false;
      const extra = (o: object) => Object.keys(o).some((k) => !Object.prototype.hasOwnProperty.call(type.attributes, k));
      if (extra(a) || extra(b)) return false;
      return Object.keys(type.attributes).every((name) => valueEquals(field(a, name), field(b, name), type.attributes[name]!));
    }
  }
}

let mismatches = 0;

/** A text that is equal for two values of `type` exactly when valueEquals holds for them. */
export function canonicalKey(v: Value | undefined, type: CtyType): string {
  const X = () => `X${mismatches++}`; // a value that does not fit its type equals nothing
  if (v === null || v === undefined) return 'N';
  if (v instanceof Unknown) return 'U';
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return typeof v === 'string' ? `S${JSON.stringify(v)}` : X();
      case 'bool':
        return typeof v === 'boolean' ? (v ? 'T' : 'F') : X();
      case 'number':
        return isNumber(v) ? `#${numberText(v)}` : X();
      case 'dynamic':
        return v instanceof DynamicValue ? `D${JSON.stringify(typeToJSON(v.type))}:${canonicalKey(v.value, v.type)}` : X();
    }
  }
  switch (type.kind) {
    case 'list':
      return Array.isArray(v) ? `[${v.map((x) => canonicalKey(x, type.element)).join(',')}]` : X();
    case 'tuple':
      return Array.isArray(v) ? `(${v.map((x, i) => canonicalKey(x, type.elements[i] ?? 'dynamic')).join(',')})` : X();
    case 'set':
      return Array.isArray(v) ? `{${v.map((x) => canonicalKey(x, type.element)).sort().join(',')}}` : X();
    case 'map':
      return isObjectValue(v)
        ? `<${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalKey(v[k], type.element)}`).join(',')}>`
        : X();
    case 'object': {
      if (!isObjectValue(v)) return X();
      if (Object.keys(v).some((k) => !Object.prototype.hasOwnProperty.call(type.attributes, k))) return X();
      return `O{${Object.keys(type.attributes).sort().map((n) => `${n}:${canonicalKey(field(v, n), type.attributes[n]!)}`).join(',')}}`;
    }
  }
}

function field(o: Record<string, Value>, name: string): Value {
  return Object.prototype.hasOwnProperty.call(o, name) ? (o[name] ?? null) : null;
}

/** True when the value is unknown or holds an unknown anywhere inside. */
export function containsUnknown(value: Value | undefined, type: CtyType): boolean {
  if (value === null || value === undefined) return false;
  if (value instanceof Unknown) return true;
  if (typeof type === 'string') {
    return type === 'dynamic' && value instanceof DynamicValue && containsUnknown(value.value, value.type);
  }
  switch (type.kind) {
    case 'list':
    case 'set':
      return Array.isArray(value) && value.some((v) => containsUnknown(v, type.element));
    case 'tuple':
      return Array.isArray(value) && value.some((v, i) => i < type.elements.length && containsUnknown(v, type.elements[i]!));
    case 'map':
      return isObjectValue(value) && Object.keys(value).some((k) => containsUnknown(value[k], type.element));
    case 'object':
      return (
        isObjectValue(value) &&
        Object.keys(type.attributes).some((name) => containsUnknown(field(value, name), type.attributes[name]!))
      );
  }
}
