// Checks a Value's shape against what a type needs before it is encoded; shared by the msgpack and JSON encoders.

import type { ObjectType } from '../cty-type.js';
import { isNumber, isObjectValue, type ObjectValue, type TfNumber, type Value } from '../value.js';
import { describeShape, failAt, type PathStack } from './errors.js';

export function requireString(v: Value, path: PathStack): string {
  if (typeof v !== 'string') failAt(path, `a string is required, got ${describeShape(v)}`);
  return /[^\x00-\x7f]/.test(v) ? v.normalize('NFC') : v;
}

export function requireBool(v: Value, path: PathStack): boolean {
  if (typeof v !== 'boolean') failAt(path, `a bool is required, got ${describeShape(v)}`);
  return v;
}

export function requireNumber(v: Value, path: PathStack): TfNumber {
  if (!isNumber(v)) failAt(path, `a number is required, got ${describeShape(v)}`);
  return v;
}

export function requireArray(v: Value, what: string, path: PathStack): Value[] {
  if (!Array.isArray(v)) failAt(path, `${what} is required, got ${describeShape(v)}`);
  return v;
}

export function requireRecord(v: Value, what: string, path: PathStack): ObjectValue {
  if (!isObjectValue(v)) failAt(path, `${what} is required, got ${describeShape(v)}`);
  return v;
}

/** An object value may leave attributes out (they encode as null) but must not carry any the type lacks. */
export function requireObject(v: Value, type: ObjectType, path: PathStack): ObjectValue {
  const o = requireRecord(v, 'an object', path);
  for (const key of Object.keys(o)) {
    if (!Object.prototype.hasOwnProperty.call(type.attributes, key)) {
      path.push({ attribute: key });
      failAt(path, 'unsupported attribute');
    }
  }
  return o;
}

/** Own property lookup; a missing or undefined entry is null. */
export function entry(o: ObjectValue, key: string): Value {
  return Object.prototype.hasOwnProperty.call(o, key) ? (o[key] ?? null) : null;
}

const prototypeFree = new WeakMap<ObjectType, boolean>();

/**
 * A new, empty value of an object type. An ordinary object keeps V8's fast property access in the code that uses it
 * afterwards (a prototype-less one is a dictionary); only a type with an attribute named "__proto__" needs the
 * prototype-less form, to hold that attribute as data.
 */
export function newObjectValue(type: ObjectType): ObjectValue {
  let free = prototypeFree.get(type);
  if (free === undefined) {
    free = Object.prototype.hasOwnProperty.call(type.attributes, '__proto__');
    prototypeFree.set(type, free);
  }
  return free ? Object.create(null) : {};
}
