// Type-directed msgpack → Value, accepting everything Terraform sends (protocol reference §4.3/§4.4).

import type { CtyType } from '../cty-type.js';
import { DynamicValue, UNKNOWN, type ObjectValue, type Value } from '../value.js';
import { failAt, guarded, type PathStack } from './errors.js';
import { MsgpackReader, type MsgpackHeader } from './msgpack-reader.js';
import { parseNumberText } from './numbers.js';
import { unknownFromExt } from './refinements.js';
import { parseTypeJson } from './type-json.js';

/** Nesting beyond this (only reachable through dynamic values carrying deep types) is rejected. */
const MAX_DEPTH = 512;

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
    const path: PathStack = [];
    const decoder = new Decoder(new MsgpackReader(bytes, path), path);
    const value = decoder.value(type, 0);
    if (decoder.reader.remaining > 0) failAt([], `${decoder.reader.remaining} unexpected bytes after the value`);
    return value;
  });
}

class Decoder {
  constructor(
    readonly reader: MsgpackReader,
    private readonly path: PathStack,
  ) {}

  private wrong(expected: string, got: MsgpackHeader): never {
    return failAt(this.path, `${expected} is required, got ${HEADER_NAMES[got.kind]}`);
  }

  value(type: CtyType, depth: number): Value {
    if (depth > MAX_DEPTH) failAt(this.path, 'value is nested too deeply');
    const h = this.reader.readHeader();
    if (h.kind === 'nil') return null;
    if (h.kind === 'ext') {
      const payload = this.reader.readBody(h.length);
      return type === 'dynamic' ? UNKNOWN : unknownFromExt(h.type, payload, type);
    }
    if (typeof type === 'string') {
      switch (type) {
        case 'string':
          if (h.kind === 'str' || h.kind === 'bin') return this.reader.readString(h.length);
          return this.wrong('a string', h);
        case 'bool':
          if (h.kind === 'bool') return h.value;
          return this.wrong('a bool', h);
        case 'number':
          return this.number(h);
        case 'dynamic':
          return this.dynamic(h, depth);
      }
    }
    switch (type.kind) {
      case 'list':
      case 'set': {
        if (h.kind !== 'array') return this.wrong(`a ${type.kind}`, h);
        const out: Value[] = [];
        for (let i = 0; i < h.length; i++) {
          // Set elements have no address: errors inside a set point at the set.
          if (type.kind === 'list') this.path.push({ index: i });
          out.push(this.value(type.element, depth + 1));
          if (type.kind === 'list') this.path.pop();
        }
        return out;
      }
      case 'tuple': {
        if (h.kind !== 'array') return this.wrong('a tuple', h);
        if (h.length !== type.elements.length) {
          failAt(this.path, `a tuple of ${type.elements.length} elements is required (${h.length} given)`);
        }
        return type.elements.map((et, i) => {
          this.path.push({ index: i });
          const v = this.value(et, depth + 1);
          this.path.pop();
          return v;
        });
      }
      case 'map': {
        if (h.kind !== 'map') return this.wrong('a map', h);
        const out: ObjectValue = Object.create(null);
        for (let i = 0; i < h.length; i++) {
          const key = this.key();
          this.path.push({ key });
          out[key] = this.value(type.element, depth + 1);
          this.path.pop();
        }
        return out;
      }
      case 'object': {
        if (h.kind !== 'map') return this.wrong('an object', h);
        const attrs = type.attributes;
        const out: ObjectValue = Object.create(null);
        for (let i = 0; i < h.length; i++) {
          const key = this.key();
          this.path.push({ attribute: key });
          if (!Object.prototype.hasOwnProperty.call(attrs, key)) failAt(this.path, 'unsupported attribute');
          if (Object.prototype.hasOwnProperty.call(out, key)) failAt(this.path, 'attribute given twice');
          out[key] = this.value(attrs[key]!, depth + 1);
          this.path.pop();
        }
        for (const name of Object.keys(attrs)) {
          if (!Object.prototype.hasOwnProperty.call(out, name)) {
            failAt(this.path, `attribute "${name}" is required (an object with ${Object.keys(attrs).length} attributes is required, ${h.length} given)`);
          }
        }
        return out;
      }
    }
  }

  private key(): string {
    const h = this.reader.readHeader();
    if (h.kind !== 'str' && h.kind !== 'bin') return this.wrong('a string key', h);
    return this.reader.readString(h.length);
  }

  private number(h: MsgpackHeader): Value {
    if (h.kind === 'int') return h.value;
    if (h.kind === 'float') return Number.isNaN(h.value) ? failAt(this.path, 'NaN is not a valid number') : h.value;
    if (h.kind !== 'str' && h.kind !== 'bin') return this.wrong('a number', h);
    const parsed = parseNumberText(this.reader.readString(h.length));
    if (!parsed.ok) failAt(this.path, parsed.reason);
    return parsed.value;
  }

  /** `[type JSON, value]`; a bare nil/unknown (handled by the caller) is a null/unknown of no particular type. */
  private dynamic(h: MsgpackHeader, depth: number): Value {
    if (h.kind !== 'array' || h.length !== 2) {
      return failAt(this.path, 'a dynamic value must be a two-element array [type, value]');
    }
    const t = this.reader.readHeader();
    if (t.kind !== 'str' && t.kind !== 'bin') return this.wrong('the type JSON of a dynamic value', t);
    const type = parseTypeJson(this.reader.readString(t.length), this.path);
    const value = this.value(type, depth + 1);
    if (type === 'dynamic') return value; // a dynamic nested in a dynamic is just the inner one
    return new DynamicValue(type, value);
  }
}
