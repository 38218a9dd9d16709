// Type-directed msgpack → Value, accepting everything Terraform sends (protocol reference §4.3/§4.4).
//
// Like the encoder, a decoder is compiled once per type: an object decoder knows its attribute names in Terraform's
// order and their msgpack bytes, so the usual input (every attribute, sorted) is read without making key strings;
// any other order or an unexpected key takes the general path. No path is kept while reading: errors gather it on
// the way out (`within`).

import type { CtyType, ObjectType } from '../cty-type.js';
import { DynamicValue, UNKNOWN, type ObjectValue, type Value } from '../value.js';
import { CodecError, failAt, guarded, NO_PATH, within } from './errors.js';
import { sortedKeys } from './keys.js';
import { MsgpackReader, type MsgpackHeader } from './msgpack-reader.js';
import { msgpackString } from './msgpack-writer.js';
import { parseNumberText } from './numbers.js';
import { unknownFromExt } from './refinements.js';
import { newObjectValue } from './shape.js';
import { parseTypeJson } from './type-json.js';

/** Nesting beyond this (only reachable through dynamic values carrying deep types) is rejected. */
const MAX_DEPTH = 512;
const NIL = 0xc0;
const hasOwn = Object.prototype.hasOwnProperty;

const HEADER_NAMES: Record<MsgpackHeader['kind'], string> = {
  nil: 'null',
  bool: 'bool',
  int: 'number',
  float: 'number',
  str: 'string',
  bin: 'bytes',
  array: 'array',
  map: 'map',
  ext: 'unknown',
};

export function decodeMsgpack(bytes: Uint8Array, type: CtyType): Value {
  return guarded('invalid msgpack value', () => {
    const reader = new MsgpackReader(bytes, NO_PATH);
    const value = decoderFor(type)(reader, 0);
    if (reader.remaining > 0) failAt(NO_PATH, `${reader.remaining} unexpected bytes after the value`);
    return value;
  });
}

type Decoder = (r: MsgpackReader, depth: number) => Value;
/** Reads what follows a header that is neither nil nor an extension. */
type BodyDecoder = (r: MsgpackReader, h: MsgpackHeader, depth: number) => Value;

const compiled = new WeakMap<object, Decoder>();

function decoderFor(type: CtyType): Decoder {
  if (typeof type === 'string') return PRIMITIVES[type];
  let decoder = compiled.get(type);
  if (!decoder) {
    decoder = withNullAndUnknown(type, bodyDecoder(type));
    compiled.set(type, decoder);
  }
  return decoder;
}

function wrong(expected: string, got: MsgpackHeader): never {
  return failAt(NO_PATH, `${expected} is required, got ${HEADER_NAMES[got.kind]}`);
}

/** nil is null and an extension an unknown, whatever the type; anything else goes to `body`. */
function withNullAndUnknown(type: CtyType, body: BodyDecoder): Decoder {
  return (r, depth) => {
    if (depth > MAX_DEPTH) failAt(NO_PATH, 'value is nested too deeply');
    if (r.peekByte() === NIL) {
      r.pos++;
      return null;
    }
    const h = r.readHeader();
    if (h.kind === 'nil') return null;
    if (h.kind === 'ext') {
      const payload = r.readBody(h.length);
      return type === 'dynamic' ? UNKNOWN : unknownFromExt(h.type, payload, type);
    }
    return body(r, h, depth);
  };
}

const generalString = withNullAndUnknown('string', (r, h) => (h.kind === 'str' || h.kind === 'bin' ? r.readString(h.length) : wrong('a string', h)));
const generalBool = withNullAndUnknown('bool', (_r, h) => (h.kind === 'bool' ? h.value : wrong('a bool', h)));
const generalNumber = withNullAndUnknown('number', (r, h) => number(r, h));

// Leaves are most of a state: their usual forms (a fixstr string, true/false, a positive fixint) are read without a
// header object; anything else (nil, unknowns, longer strings, other numbers) takes the general path.
const PRIMITIVES: Record<'string' | 'bool' | 'number' | 'dynamic', Decoder> = {
  string: (r, depth) => {
    const code = r.peekByte();
    if ((code & 0xe0) !== 0xa0) return generalString(r, depth);
    r.pos++;
    return r.readString(code & 0x1f);
  },
  bool: (r, depth) => {
    const code = r.peekByte();
    if (code !== 0xc2 && code !== 0xc3) return generalBool(r, depth);
    r.pos++;
    return code === 0xc3;
  },
  number: (r, depth) => {
    const code = r.peekByte();
    if (code < 0 || code > 0x7f) return generalNumber(r, depth);
    r.pos++;
    return code;
  },
  dynamic: withNullAndUnknown('dynamic', (r, h, depth) => dynamic(r, h, depth)),
};

function number(r: MsgpackReader, h: MsgpackHeader): Value {
  if (h.kind === 'int') return h.value;
  if (h.kind === 'float') return Number.isNaN(h.value) ? failAt(NO_PATH, 'NaN is not a valid number') : h.value;
  if (h.kind !== 'str' && h.kind !== 'bin') return wrong('a number', h);
  const parsed = parseNumberText(r.readString(h.length));
  if (!parsed.ok) failAt(NO_PATH, parsed.reason);
  return parsed.value;
}

/** `[type JSON, value]`; a bare nil/unknown (handled before) is a null/unknown of no particular type. */
function dynamic(r: MsgpackReader, h: MsgpackHeader, depth: number): Value {
  if (h.kind !== 'array' || h.length !== 2) return failAt(NO_PATH, 'a dynamic value must be a two-element array [type, value]');
  const t = r.readHeader();
  if (t.kind !== 'str' && t.kind !== 'bin') return wrong('the type JSON of a dynamic value', t);
  const type = parseTypeJson(r.readString(t.length), NO_PATH);
  const value = decoderFor(type)(r, depth + 1);
  if (type === 'dynamic') return value; // a dynamic nested in a dynamic is just the inner one
  return new DynamicValue(type, value);
}

function readKey(r: MsgpackReader): string {
  const h = r.readHeader();
  if (h.kind !== 'str' && h.kind !== 'bin') return wrong('a string key', h);
  return r.readString(h.length);
}

function bodyDecoder(type: Exclude<CtyType, string>): BodyDecoder {
  switch (type.kind) {
    case 'list':
    case 'set': {
      const element = decoderFor(type.element);
      const indexed = type.kind === 'list'; // set elements have no address: errors inside a set point at the set
      return (r, h, depth) => {
        if (h.kind !== 'array') return wrong(`a ${type.kind}`, h);
        const out: Value[] = new Array<Value>(h.length);
        for (let i = 0; i < h.length; i++) {
          try {
            out[i] = element(r, depth + 1);
          } catch (error) {
            throw indexed ? within({ index: i }, error) : error;
          }
        }
        return out;
      };
    }
    case 'tuple': {
      const elements = type.elements.map(decoderFor);
      return (r, h, depth) => {
        if (h.kind !== 'array') return wrong('a tuple', h);
        if (h.length !== elements.length) failAt(NO_PATH, `a tuple of ${elements.length} elements is required (${h.length} given)`);
        return elements.map((element, i) => {
          try {
            return element(r, depth + 1);
          } catch (error) {
            throw within({ index: i }, error);
          }
        });
      };
    }
    case 'map': {
      const element = decoderFor(type.element);
      return (r, h, depth) => {
        if (h.kind !== 'map') return wrong('a map', h);
        const out: ObjectValue = Object.create(null); // keys are data: "__proto__" is a key like any other
        for (let i = 0; i < h.length; i++) {
          const key = readKey(r);
          try {
            out[key] = element(r, depth + 1);
          } catch (error) {
            throw within({ key }, error);
          }
        }
        return out;
      };
    }
    case 'object':
      return objectDecoder(type);
  }
}

function objectDecoder(type: ObjectType): BodyDecoder {
  const attrs = type.attributes;
  const names = sortedKeys(attrs);
  const keyBytes = names.map(msgpackString);
  const decoders = names.map((name) => decoderFor(attrs[name]!));
  const byName = new Map(names.map((name, i) => [name, decoders[i]!]));

  const field = (r: MsgpackReader, out: ObjectValue, name: string, decode: Decoder, depth: number): void => {
    try {
      out[name] = decode(r, depth + 1);
    } catch (error) {
      throw within({ attribute: name }, error);
    }
  };

  return (r, h, depth) => {
    if (h.kind !== 'map') return wrong('an object', h);
    const out = newObjectValue(type);
    let i = 0;
    // Terraform's order: every attribute, sorted, exactly the bytes prepared above.
    if (h.length === names.length) {
      for (; i < names.length && r.startsWith(keyBytes[i]!); i++) {
        r.pos += keyBytes[i]!.length;
        field(r, out, names[i]!, decoders[i]!, depth);
      }
    }
    for (; i < h.length; i++) {
      const key = readKey(r);
      const decode = byName.get(key);
      if (!decode) throw within({ attribute: key }, new CodecError([], 'unsupported attribute'));
      if (hasOwn.call(out, key)) throw within({ attribute: key }, new CodecError([], 'attribute given twice'));
      field(r, out, key, decode, depth);
    }
    if (i === names.length && h.length === names.length) return out; // every name read once: all are there
    const missing = names.find((name) => !hasOwn.call(out, name));
    if (missing !== undefined) {
      failAt(NO_PATH, `attribute "${missing}" is required (an object with ${names.length} attributes is required, ${h.length} given)`);
    }
    return out;
  };
}
