// Structural helpers over typed values: cty-style raw equality and unknown detection.

import { typeEquals, type CtyType } from '../cty-type.js';
import { DynamicValue, Unknown, isNumber, isObjectValue, numberEquals, type Value } from '../value.js';

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
      const used = new Array<boolean>(b.length).fill(false);
      return a.every((x) => {
        const i = b.findIndex((y, j) => !used[j] && valueEquals(x, y, type.element));
        if (i < 0) return false;
        used[i] = true;
        return true;
      });
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
