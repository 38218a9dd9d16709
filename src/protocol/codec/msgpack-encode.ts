// Value → msgpack exactly as Terraform writes it (protocol reference §4.3): every object attribute present (nil when
// unset) with keys sorted, compact ints, float64 for other doubles, decimal text for numbers neither can hold exactly,
// `[bin(type JSON), value]` for dynamic slots, unknowns as extensions.

import { typeName, type CtyType } from '../cty-type.js';
import { DynamicValue, Unknown, type Value } from '../value.js';
import { describeShape, failAt, guarded, type PathStack } from './errors.js';
import { sortedKeys } from './keys.js';
import { MsgpackWriter } from './msgpack-writer.js';
import { jsonNumberText, wireNumber } from './numbers.js';
import { writeUnknown } from './refinements.js';
import { concreteTypeJson } from './type-json.js';
import { entry, requireArray, requireBool, requireNumber, requireObject, requireRecord, requireString } from './shape.js';

const utf8 = new TextEncoder();

export interface EncodeOptions {
  /**
   * Every number as its decimal text (a msgpack str, which Terraform accepts). Terraform decodes such a number exactly
   * as it decodes the same number from its JSON state file; a msgpack int decodes to an equal value with another
   * internal precision, and Terraform's in-memory state comparison (reflect.DeepEqual) then sees a difference.
   */
  numbersAsText?: boolean;
}

let numbersAsText = false;

export function encodeMsgpack(value: Value, type: CtyType, options: EncodeOptions = {}): Uint8Array {
  return guarded('cannot encode value', () => {
    const w = new MsgpackWriter();
    numbersAsText = options.numbersAsText === true;
    try {
      writeValue(w, value, type, []);
    } finally {
      numbersAsText = false;
    }
    return w.bytes();
  });
}

function writeValue(w: MsgpackWriter, v: Value | undefined, type: CtyType, path: PathStack): void {
  if (v === null || v === undefined) return w.nil();
  if (v instanceof Unknown) return writeUnknown(w, v, type);
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return w.str(requireString(v, path));
      case 'bool':
        return w.bool(requireBool(v, path));
      case 'number': {
        const n = requireNumber(v, path);
        const wire = wireNumber(n);
        if (!wire) return failAt(path, `${String(v)} is not a valid number`);
        const text = numbersAsText ? jsonNumberText(n) : undefined;
        if (text !== undefined) return w.str(text);
        if (wire.kind === 'int') return w.int(wire.value);
        if (wire.kind === 'float') return w.float64(wire.value);
        return w.str(wire.value);
      }
      case 'dynamic':
        return writeDynamic(w, v, path);
    }
  }
  if (v instanceof DynamicValue) return failAt(path, `a ${typeName(type)} is required, got dynamic value`);
  switch (type.kind) {
    case 'list':
    case 'set': {
      const items = requireArray(v, `a ${type.kind}`, path);
      w.arrayHeader(items.length);
      items.forEach((item, i) => {
        if (type.kind === 'list') path.push({ index: i });
        writeValue(w, item, type.element, path);
        if (type.kind === 'list') path.pop();
      });
      return;
    }
    case 'tuple': {
      const items = requireArray(v, 'a tuple', path);
      if (items.length !== type.elements.length) {
        failAt(path, `a tuple of ${type.elements.length} elements is required (${items.length} given)`);
      }
      w.arrayHeader(items.length);
      items.forEach((item, i) => {
        path.push({ index: i });
        writeValue(w, item, type.elements[i]!, path);
        path.pop();
      });
      return;
    }
    case 'map': {
      const record = requireRecord(v, 'a map', path);
      const keys = sortedKeys(record);
      w.mapHeader(keys.length);
      for (const key of keys) {
        w.str(key);
        path.push({ key });
        writeValue(w, record[key], type.element, path);
        path.pop();
      }
      return;
    }
    case 'object': {
      const o = requireObject(v, type, path);
      const names = sortedKeys(type.attributes);
      w.mapHeader(names.length);
      for (const name of names) {
        w.str(name);
        path.push({ attribute: name });
        writeValue(w, entry(o, name), type.attributes[name]!, path);
        path.pop();
      }
      return;
    }
  }
}

/** Known values in a dynamic slot must say their type; a DynamicValue holding null/unknown keeps its type too. */
function writeDynamic(w: MsgpackWriter, v: Value, path: PathStack): void {
  if (!(v instanceof DynamicValue)) {
    return failAt(path, `a dynamic value (DynamicValue with its type) is required, got ${describeShape(v)}`);
  }
  if (v.type === 'dynamic') {
    // cty: a value whose own type is dynamic can only be null or unknown, and is written bare.
    if (v.value === null || v.value === undefined) return w.nil();
    if (v.value instanceof Unknown) return w.ext(0, new Uint8Array([0]));
    return writeDynamic(w, v.value, path);
  }
  w.arrayHeader(2);
  w.bin(utf8.encode(concreteTypeJson(v.type)));
  writeValue(w, v.value, v.type, path);
}
