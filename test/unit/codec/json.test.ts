import { describe, expect, it } from 'vitest';
import { CodecError, decodeJson, encodeJson, valueEquals } from '../../../src/protocol/codec/index.js';
import { types } from '../../../src/protocol/cty-type.js';
import { DynamicValue, UNKNOWN, Unknown, objectValue, type Value } from '../../../src/protocol/value.js';
import { codecError, holesEverywhere, imageType, samples, tagType } from './fixtures.js';

describe('JSON round trips', () => {
  for (const s of samples) {
    it(`${s.name}: decode(encode(v)) equals v and re-encodes identically`, () => {
      const text = encodeJson(s.value, s.type);
      expect(() => JSON.parse(text)).not.toThrow();
      const decoded = decodeJson(text, s.type);
      expect(valueEquals(decoded, s.value, s.type)).toBe(true);
      expect(encodeJson(decoded, s.type)).toBe(text);
    });
  }

  for (const s of samples.filter((x) => typeof x.type !== 'string' || x.type === 'dynamic')) {
    it(`${s.name}: null at every depth survives`, () => {
      for (const v of holesEverywhere(s.type, s.value, null)) {
        const decoded = decodeJson(encodeJson(v.value, s.type), s.type);
        expect(valueEquals(decoded, v.value, s.type), v.where).toBe(true);
      }
    });
    it(`${s.name}: unknown at any depth is refused with its path`, () => {
      for (const v of holesEverywhere(s.type, s.value, UNKNOWN)) {
        const e = codecError(() => encodeJson(v.value, s.type));
        expect(e.detail, v.where).toContain('not known');
      }
    });
  }
});

describe('JSON shapes', () => {
  it('writes objects with every attribute, sorted, and dynamic as {"value","type"}', () => {
    const t = types.object({ b: types.string, a: types.dynamic, c: types.dynamic });
    const v = objectValue({ a: new DynamicValue(types.list(types.number), [1, 2]), b: 'x' });
    expect(encodeJson(v, t)).toBe('{"a":{"value":[1,2],"type":["list","number"]},"b":"x","c":null}');
  });

  it('treats omitted attributes as null (raw state written by an older schema)', () => {
    const v = decodeJson('{"name":"img","tags":[{"key":"k"}]}', imageType) as Record<string, Value>;
    expect(v.name).toBe('img');
    expect(v.size).toBeNull();
    expect(Object.keys(v).sort()).toEqual(Object.keys(imageType.attributes).sort());
    expect((v.tags as Array<Record<string, Value>>)[0]!.value).toBeNull();
  });

  it('rejects unknown attributes with their path', () => {
    const e = codecError(() => decodeJson('{"name":"img","tags":[{"key":"k","colour":"red"}]}', imageType));
    expect(e.path).toEqual([{ attribute: 'tags' }, { index: 0 }, { attribute: 'colour' }]);
    expect(e.message).toBe('tags[0].colour: unsupported attribute');
  });

  it('reports type mismatches with the path', () => {
    const e = codecError(() => decodeJson('{"tags":[{"key":["x"]}]}', imageType));
    expect(e.message).toBe('tags[0].key: a string is required, got array');
    expect(codecError(() => decodeJson('{"labels":{"a":{"b":1}}}', imageType)).path).toEqual([{ attribute: 'labels' }, { key: 'a' }]);
    expect(codecError(() => decodeJson('[1]', types.tuple([types.number, types.number]))).message).toContain('tuple of 2');
  });

  it('converts primitives like cty: numbers/bools to strings, "true"/"false" to bools', () => {
    expect(decodeJson('12345678901234567890.5', types.string)).toBe('12345678901234567890.5');
    expect(decodeJson('true', types.string)).toBe('true');
    expect(decodeJson('"false"', types.bool)).toBe(false);
    expect(() => decodeJson('"yes"', types.bool)).toThrow(CodecError);
    expect(() => decodeJson('{}', types.string)).toThrow(CodecError);
  });

  it('decodes dynamic values of several types and rejects malformed ones', () => {
    expect(decodeJson('null', types.dynamic)).toBeNull();
    expect(decodeJson('{"value":"s","type":"string"}', types.dynamic)).toEqual(new DynamicValue(types.string, 's'));
    expect(decodeJson('{"type":"string","value":null}', types.dynamic)).toEqual(new DynamicValue(types.string, null));
    const obj = decodeJson('{"value":{"k":[true]},"type":["object",{"k":["list","bool"]}]}', types.dynamic) as DynamicValue;
    expect(obj.type).toEqual(types.object({ k: types.list(types.bool) }));
    expect(valueEquals(obj.value, objectValue({ k: [true] }), obj.type)).toBe(true);
    expect(() => decodeJson('{"value":1}', types.dynamic)).toThrow(/no "type"/);
    expect(() => decodeJson('{"value":1,"type":"number","x":1}', types.dynamic)).toThrow(/invalid key/);
    expect(() => decodeJson('{"value":1,"type":["nope"]}', types.dynamic)).toThrow(/invalid type/);
    expect(() => decodeJson('"s"', types.dynamic)).toThrow(CodecError);
  });

  it('keeps "__proto__" keys as data, never as a prototype', () => {
    const t = types.map(types.string);
    const v = decodeJson('{"__proto__":"x","constructor":"y"}', t) as Record<string, Value>;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor']);
    expect(v['__proto__']).toBe('x');
    expect(encodeJson(v, t)).toBe('{"__proto__":"x","constructor":"y"}');
    expect(() => decodeJson('{"__proto__":{"polluted":"yes"}}', tagType)).toThrow(CodecError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads bytes as UTF-8 and rejects invalid JSON / UTF-8 / duplicate keys with CodecError', () => {
    expect(decodeJson(new TextEncoder().encode('"é"'), types.string)).toBe('é');
    expect(() => decodeJson(new Uint8Array([0x22, 0xff, 0x22]), types.string)).toThrow(CodecError);
    expect(() => decodeJson('{"a":', types.map(types.string))).toThrow(CodecError);
    expect(() => decodeJson('{"a":"1","a":"2"}', types.map(types.string))).toThrow(CodecError);
    expect(() => decodeJson('[' + '['.repeat(100000), types.list(types.string))).toThrow(CodecError);
  });

  it('refuses a refined unknown too', () => {
    expect(() => encodeJson(new Unknown({ notNull: true }), types.string)).toThrow(CodecError);
  });
});
