// Value → msgpack exactly as Terraform writes it (protocol reference §4.3): every object attribute present (nil when
// unset) with keys sorted, compact ints, float64 for other doubles, decimal text for numbers neither can hold exactly,
// `[bin(type JSON), value]` for dynamic slots, unknowns as extensions.
//
// Terraform calls the provider several times per resource and every call encodes whole objects, so an encoder is
// compiled once per type (cached with the type object, which schemas build once): attribute names sorted and their
// msgpack bytes prepared up front, no path kept while writing (errors gather it on the way out, see `within`).

import { typeName, type CtyType, type ObjectType } from '../cty-type.js';
import { DynamicValue, Unknown, type Value } from '../value.js';
import { describeShape, failAt, guarded, NO_PATH, within } from './errors.js';
import { sortedKeys } from './keys.js';
import { MsgpackWriter, msgpackString } from './msgpack-writer.js';
import { jsonNumberText, wireNumber } from './numbers.js';
import { writeUnknown } from './refinements.js';
import { concreteTypeJson } from './type-json.js';
import { requireArray, requireBool, requireNumber, requireObject, requireRecord, requireString } from './shape.js';

const utf8 = new TextEncoder();
const hasOwn = Object.prototype.hasOwnProperty;

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
      encoderFor(type)(w, value);
    } finally {
      numbersAsText = false;
    }
    return w.bytes();
  });
}

type Encoder = (w: MsgpackWriter, v: Value | undefined) => void;

const compiled = new WeakMap<object, Encoder>();

function encoderFor(type: CtyType): Encoder {
  if (typeof type === 'string') return PRIMITIVES[type];
  let encoder = compiled.get(type);
  if (!encoder) {
    encoder = compile(type);
    compiled.set(type, encoder);
  }
  return encoder;
}

const PRIMITIVES: Record<'string' | 'bool' | 'number' | 'dynamic', Encoder> = {
  string: (w, v) => {
    if (v === null || v === undefined) return w.nil();
    if (v instanceof Unknown) return writeUnknown(w, v, 'string');
    if (typeof v === 'string' && w.ascii(v)) return; // ASCII needs no NFC normalisation
    w.str(requireString(v, NO_PATH));
  },
  bool: (w, v) => {
    if (v === null || v === undefined) return w.nil();
    if (v instanceof Unknown) return writeUnknown(w, v, 'bool');
    w.bool(requireBool(v, NO_PATH));
  },
  number: (w, v) => {
    if (v === null || v === undefined) return w.nil();
    if (v instanceof Unknown) return writeUnknown(w, v, 'number');
    if (typeof v === 'number' && Number.isSafeInteger(v)) return numbersAsText ? w.str(String(v)) : w.int(v === 0 ? 0 : v);
    const n = requireNumber(v, NO_PATH);
    const wire = wireNumber(n);
    if (!wire) return failAt(NO_PATH, `${String(v)} is not a valid number`);
    const text = numbersAsText ? jsonNumberText(n) : undefined;
    if (text !== undefined) return w.str(text);
    if (wire.kind === 'int') return w.int(wire.value);
    if (wire.kind === 'float') return w.float64(wire.value);
    w.str(wire.value);
  },
  dynamic: (w, v) => {
    if (v === null || v === undefined) return w.nil();
    if (v instanceof Unknown) return writeUnknown(w, v, 'dynamic');
    writeDynamic(w, v);
  },
};

/** The encoder of a list, set, map, tuple or object type: null, unknown and dynamic checks, then the container. */
function compile(type: Exclude<CtyType, string>): Encoder {
  const write = containerWriter(type);
  return (w, v) => {
    if (v === null || v === undefined) return w.nil();
    if (v instanceof Unknown) return writeUnknown(w, v, type);
    if (v instanceof DynamicValue) return failAt(NO_PATH, `a ${typeName(type)} is required, got dynamic value`);
    write(w, v);
  };
}

function containerWriter(type: Exclude<CtyType, string>): (w: MsgpackWriter, v: Value) => void {
  switch (type.kind) {
    case 'list':
    case 'set': {
      const element = encoderFor(type.element);
      const indexed = type.kind === 'list'; // set elements have no address: errors inside a set point at the set
      return (w, v) => {
        const items = requireArray(v, `a ${type.kind}`, NO_PATH);
        w.arrayHeader(items.length);
        for (let i = 0; i < items.length; i++) {
          try {
            element(w, items[i]);
          } catch (error) {
            throw indexed ? within({ index: i }, error) : error;
          }
        }
      };
    }
    case 'tuple': {
      const elements = type.elements.map(encoderFor);
      return (w, v) => {
        const items = requireArray(v, 'a tuple', NO_PATH);
        if (items.length !== elements.length) {
          failAt(NO_PATH, `a tuple of ${elements.length} elements is required (${items.length} given)`);
        }
        w.arrayHeader(items.length);
        for (let i = 0; i < items.length; i++) {
          try {
            elements[i]!(w, items[i]);
          } catch (error) {
            throw within({ index: i }, error);
          }
        }
      };
    }
    case 'map': {
      const element = encoderFor(type.element);
      return (w, v) => {
        const record = requireRecord(v, 'a map', NO_PATH);
        const keys = sortedKeys(record);
        w.mapHeader(keys.length);
        for (const key of keys) {
          w.str(key);
          try {
            element(w, record[key]);
          } catch (error) {
            throw within({ key }, error);
          }
        }
      };
    }
    case 'object':
      return objectWriter(type);
  }
}

function objectWriter(type: ObjectType): (w: MsgpackWriter, v: Value) => void {
  const names = sortedKeys(type.attributes);
  const header = new MsgpackWriter();
  header.mapHeader(names.length);
  const headerBytes = header.bytes();
  const keyBytes = names.map(msgpackString);
  const encoders = names.map((name) => encoderFor(type.attributes[name]!));
  return (w, v) => {
    const o = requireObject(v, type, NO_PATH);
    w.raw(headerBytes);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      w.raw(keyBytes[i]!);
      try {
        encoders[i]!(w, hasOwn.call(o, name) ? (o[name] ?? null) : null);
      } catch (error) {
        throw within({ attribute: name }, error);
      }
    }
  };
}

/** Known values in a dynamic slot must say their type; a DynamicValue holding null/unknown keeps its type too. */
function writeDynamic(w: MsgpackWriter, v: Value): void {
  if (!(v instanceof DynamicValue)) {
    return failAt(NO_PATH, `a dynamic value (DynamicValue with its type) is required, got ${describeShape(v)}`);
  }
  if (v.type === 'dynamic') {
    // cty: a value whose own type is dynamic can only be null or unknown, and is written bare.
    if (v.value === null || v.value === undefined) return w.nil();
    if (v.value instanceof Unknown) return w.ext(0, new Uint8Array([0]));
    return writeDynamic(w, v.value);
  }
  w.arrayHeader(2);
  w.bin(utf8.encode(concreteTypeJson(v.type)));
  encoderFor(v.type)(w, v.value);
}
