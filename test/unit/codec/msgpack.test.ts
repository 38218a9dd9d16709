import { decode as libDecode, encode as libEncode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { CodecError, decodeMsgpack, encodeMsgpack, valueEquals } from '../../../src/protocol/codec/index.js';
import { types } from '../../../src/protocol/cty-type.js';
import { DynamicValue, UNKNOWN, Unknown, objectValue, type Value } from '../../../src/protocol/value.js';
import { bytes, codecError, hex, holesEverywhere, imageType, samples, tagType } from './fixtures.js';

describe('msgpack round trips', () => {
  for (const s of samples) {
    it(`${s.name}: decode(encode(v)) equals v and re-encodes to the same bytes`, () => {
      const encoded = encodeMsgpack(s.value, s.type);
      const decoded = decodeMsgpack(encoded, s.type);
      expect(valueEquals(decoded, s.value, s.type)).toBe(true);
      expect(hex(encodeMsgpack(decoded, s.type))).toBe(hex(encoded));
      // Well-formed msgpack for an independent decoder too.
      expect(() => libDecode(encoded, { useBigInt64: true })).not.toThrow();
    });
  }

  for (const replacement of [null, UNKNOWN] as const) {
    const label = replacement === null ? 'null' : 'unknown';
    for (const s of samples.filter((x) => typeof x.type !== 'string' || x.type === 'dynamic')) {
      it(`${s.name}: ${label} at every depth survives`, () => {
        const variants = holesEverywhere(s.type, s.value, replacement);
        expect(variants.length).toBeGreaterThan(0);
        for (const v of variants) {
          const encoded = encodeMsgpack(v.value, s.type);
          const decoded = decodeMsgpack(encoded, s.type);
          expect(valueEquals(decoded, v.value, s.type), `${label} at ${v.where}`).toBe(true);
          expect(hex(encodeMsgpack(decoded, s.type)), v.where).toBe(hex(encoded));
        }
      });
    }
  }

  it('decodes values written by another msgpack encoder (maps in any key order, float32, str keys)', () => {
    const t = types.object({ b: types.number, a: types.list(types.string) });
    const v = decodeMsgpack(libEncode({ b: 2.5, a: ['x'] }), t);
    expect(valueEquals(v, objectValue({ a: ['x'], b: 2.5 }), t)).toBe(true);
    expect(decodeMsgpack(bytes('ca 3fc00000'), types.number)).toBe(1.5); // float32
  });
});

describe('msgpack bytes', () => {
  it('writes an object with every attribute, keys sorted, unset as nil', () => {
    const t = types.object({ b: types.string, a: types.string });
    // fixmap(2) "a" "x" "b" nil
    expect(hex(encodeMsgpack(objectValue({ a: 'x' }), t))).toBe('82a161a178a162c0');
    expect(hex(encodeMsgpack(objectValue({ a: 'x', b: null }), t))).toBe('82a161a178a162c0');
  });

  it('writes unknown as d4 00 00 and null as c0 for any type', () => {
    for (const t of [types.string, types.number, types.list(types.string), imageType, types.dynamic]) {
      expect(hex(encodeMsgpack(UNKNOWN, t))).toBe('d40000');
      expect(hex(encodeMsgpack(null, t))).toBe('c0');
    }
  });

  it('writes compact ints, float64 and str8 like Terraform', () => {
    expect(hex(encodeMsgpack(0, 'number'))).toBe('00');
    expect(hex(encodeMsgpack(127, 'number'))).toBe('7f');
    expect(hex(encodeMsgpack(128, 'number'))).toBe('cc80');
    expect(hex(encodeMsgpack(65536, 'number'))).toBe('ce00010000');
    expect(hex(encodeMsgpack(-1, 'number'))).toBe('ff');
    expect(hex(encodeMsgpack(-33, 'number'))).toBe('d0df');
    expect(hex(encodeMsgpack(-40000, 'number'))).toBe('d2ffff63c0');
    expect(hex(encodeMsgpack(1.5, 'number'))).toBe('cb3ff8000000000000');
    expect(hex(encodeMsgpack(2 ** 60, 'number'))).toBe('cf1000000000000000');
    expect(hex(encodeMsgpack('a'.repeat(32), 'string'))).toBe(`d920${'61'.repeat(32)}`);
    expect(hex(encodeMsgpack(true, 'bool'))).toBe('c3');
  });

  it('drops optional-attribute markers from the type JSON of a dynamic value', () => {
    const t = types.object({ a: types.string, b: types.string }, ['b']);
    const encoded = encodeMsgpack(new DynamicValue(t, objectValue({ a: 'x' })), types.dynamic);
    const typeJson = '["object",{"a":"string","b":"string"}]';
    expect(Buffer.from(encoded).toString('latin1')).toContain(typeJson);
    const back = decodeMsgpack(encoded, types.dynamic) as DynamicValue;
    expect(back.type).toEqual(types.object({ a: types.string, b: types.string }));
  });

  it('writes a dynamic value as [bin(type JSON), value]', () => {
    const encoded = encodeMsgpack(new DynamicValue(types.list(types.string), ['a']), types.dynamic);
    const typeJson = Buffer.from('["list","string"]').toString('hex');
    expect(hex(encoded)).toBe(`92c411${typeJson}91a161`);
  });
});

describe('msgpack unknowns', () => {
  it('decodes the refined unknown Terraform sends for "pre-${…}"', () => {
    const v = decodeMsgpack(bytes('c7 09 0c 82 01 c2 02 a4 70 72 65 2d'), types.string);
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).refinements).toEqual({ notNull: true, stringPrefix: 'pre-' });
  });

  it('re-emits a refined unknown as extension 12 with the same payload', () => {
    const input = bytes('c7 09 0c 82 01 c2 02 a4 70 72 65 2d');
    expect(hex(encodeMsgpack(decodeMsgpack(input, types.string), types.string))).toBe(hex(input));
  });

  it('reads number bounds and collection lengths, ignoring unknown keys', () => {
    // {1:false, 3:[1,true], 4:[1.5,false], 9:"?"} for a number
    const ext = bytes('c7 16 0c 84 01 c2 03 92 01 c3 04 92 cb 3ff8000000000000 c2 09 a1 3f');
    const n = decodeMsgpack(ext, types.number) as Unknown;
    expect(n.refinements).toEqual({ notNull: true, numberLower: { value: 1, inclusive: true }, numberUpper: { value: 1.5, inclusive: false } });
    expect(hex(encodeMsgpack(n, types.number))).toBe(hex(bytes('c7 13 0c 83 01 c2 03 92 01 c3 04 92 cb 3ff8000000000000 c2')));
    const lengthsExt = bytes('c7 05 0c 82 05 01 06 03');
    const list = decodeMsgpack(lengthsExt, types.list(types.string)) as Unknown;
    expect(list.refinements).toEqual({ lengthLower: 1, lengthUpper: 3 });
    expect(hex(encodeMsgpack(list, types.list(types.string)))).toBe(hex(lengthsExt));
    // A decimal-string bound (number too precise for float64) is kept exactly.
    const decimalBound = decodeMsgpack(bytes('c7 0a 0c 81 03 92 a5 302e303031 c3'), types.number) as Unknown;
    expect(String(decimalBound.refinements?.numberLower?.value)).toBe('0.001');
    expect(hex(encodeMsgpack(decimalBound, types.number))).toBe('c70a0c810392a5302e303031c3');
  });

  it('drops refinements that do not apply to the type, and malformed payloads give a plain unknown', () => {
    const prefix = bytes('c7 09 0c 82 01 c2 02 a4 70 72 65 2d');
    expect((decodeMsgpack(prefix, types.number) as Unknown).refinements).toEqual({ notNull: true });
    expect(decodeMsgpack(prefix, types.dynamic)).toBe(UNKNOWN);
    for (const bad of ['c7 03 0c 93 01 02', 'c7 02 0c 81 01', 'c7 04 0c a3 61 62 63', 'c7 03 0c 81 c1 c2', 'c7 02 0c ff ff']) {
      expect(decodeMsgpack(bytes(bad), types.string), bad).toBe(UNKNOWN);
    }
  });

  it('reads any extension type, any length, as an unknown', () => {
    for (const h of ['d4 00 00', 'd4 05 01', 'd5 7f 0000', 'd6 ff 00000000', 'd7 0c 0000000000000000', 'd8 01 ' + '00'.repeat(16), 'c7 00 0c', 'c7 01 0c 00', 'c8 0003 02 616263', 'c9 00000001 03 00']) {
      for (const t of [types.string, types.number, types.bool, types.list(types.string), tagType, types.dynamic]) {
        const v = decodeMsgpack(bytes(h), t);
        expect(v, `${h} as ${JSON.stringify(t)}`).toBeInstanceOf(Unknown);
        expect((v as Unknown).refinements).toBeUndefined();
      }
    }
  });

  it('writes a refined unknown with nothing applicable as d4 00 00', () => {
    expect(hex(encodeMsgpack(new Unknown({ stringPrefix: 'x' }), types.number))).toBe('d40000');
    expect(hex(encodeMsgpack(new Unknown({}), types.string))).toBe('d40000');
    expect(hex(encodeMsgpack(new Unknown({ notNull: true }), types.dynamic))).toBe('d40000');
  });
});

describe('msgpack objects, maps and dynamic', () => {
  it('rejects a missing attribute with the path of the object', () => {
    const t = types.object({ tags: types.list(tagType) });
    // {tags: [{key: "k"}]}
    const e = codecError(() => decodeMsgpack(bytes('81 a4 74616773 91 81 a3 6b6579 a1 6b'), t));
    expect(e.path).toEqual([{ attribute: 'tags' }, { index: 0 }]);
    expect(e.message).toContain('tags[0]: attribute "value" is required');
  });

  it('rejects an extra attribute with its path', () => {
    // {key:"k", value:"v", oops:nil}
    const e = codecError(() => decodeMsgpack(bytes('83 a3 6b6579 a1 6b a5 76616c7565 a1 76 a4 6f6f7073 c0'), tagType));
    expect(e.path).toEqual([{ attribute: 'oops' }]);
    expect(e.message).toBe('oops: unsupported attribute');
  });

  it('reports a wrong kind with the full path', () => {
    const t = types.object({ tags: types.list(tagType) });
    const e = codecError(() => decodeMsgpack(encodeMsgpack(objectValue({ tags: [objectValue({ key: 'k', value: 'v' })] }), t).map((b) => (b === 0xa1 ? 0x91 : b)), t));
    expect(e.message).toMatch(/^tags\[0\]\.(key|value): a string is required, got array$/);
  });

  it('rejects values that do not fit the type on encode, with the path', () => {
    const t = types.object({ tags: types.list(tagType) });
    expect(codecError(() => encodeMsgpack(objectValue({ tags: [objectValue({ key: 1 })] }), t)).message).toBe(
      'tags[0].key: a string is required, got number',
    );
    expect(codecError(() => encodeMsgpack(objectValue({ nope: 'x' }), t)).path).toEqual([{ attribute: 'nope' }]);
    expect(codecError(() => encodeMsgpack(['a'], types.tuple([types.string, types.string]))).message).toContain('tuple of 2');
    expect(codecError(() => encodeMsgpack('x', types.dynamic)).message).toContain('dynamic value');
    expect(codecError(() => encodeMsgpack(NaN, types.number)).message).toContain('not a valid number');
  });

  it('keeps "__proto__" and other inherited names as plain map keys', () => {
    const t = types.map(types.string);
    const input = bytes('83 a9 5f5f70726f746f5f5f a1 78 ab 636f6e7374727563746f72 a1 79 a8 746f537472696e67 a1 7a');
    const v = decodeMsgpack(input, t) as Record<string, Value>;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(v['__proto__']).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined(); // nothing leaked into Object.prototype
    expect(hex(encodeMsgpack(v, t))).toBe(hex(input)); // already in sorted order
    const o = types.object({ __proto__: types.string } as unknown as Record<string, 'string'>);
    expect(() => decodeMsgpack(bytes('81 a9 5f5f70726f746f5f5f a1 78'), o)).toThrow(CodecError);
  });

  it('decodes bare nil/unknown in a dynamic slot, typed null and nested dynamic', () => {
    expect(decodeMsgpack(bytes('c0'), types.dynamic)).toBeNull();
    expect(decodeMsgpack(bytes('d4 00 00'), types.dynamic)).toBe(UNKNOWN);
    const typedNull = decodeMsgpack(bytes(`92 c4 08 ${Buffer.from('"string"').toString('hex')} c0`), types.dynamic);
    expect(typedNull).toEqual(new DynamicValue(types.string, null));
    const typedUnknown = decodeMsgpack(bytes(`92 a6 ${Buffer.from('"bool"').toString('hex')} d4 00 00`), types.dynamic);
    expect(typedUnknown).toEqual(new DynamicValue(types.bool, UNKNOWN));
    const nested = decodeMsgpack(bytes(`92 a9 ${Buffer.from('"dynamic"').toString('hex')} 92 a6 ${Buffer.from('"bool"').toString('hex')} c3`), types.dynamic);
    expect(nested).toEqual(new DynamicValue(types.bool, true));
    expect(codecError(() => decodeMsgpack(bytes('92 a3 626164 c0'), types.dynamic)).message).toContain('invalid type');
    expect(codecError(() => decodeMsgpack(bytes('91 a3 626164'), types.dynamic)).message).toContain('two-element');
  });

  it('accepts bin for strings and decimal strings for numbers; rejects trailing bytes', () => {
    expect(decodeMsgpack(bytes('c4 02 6869'), types.string)).toBe('hi');
    expect(decodeMsgpack(bytes('a2 3432'), types.number)).toBe(42);
    expect(codecError(() => decodeMsgpack(bytes('a2 3x32'.replace('x', '4') + '00'), types.number)).message).toContain('unexpected bytes');
    expect(codecError(() => decodeMsgpack(bytes('a3 616263'), types.number)).message).toContain('not a valid number');
  });

  it('keeps tuple length exact and set duplicates as received', () => {
    expect(() => decodeMsgpack(bytes('91 a1 61'), types.tuple([types.string, types.string]))).toThrow(CodecError);
    expect(decodeMsgpack(bytes('92 01 01'), types.set(types.number))).toEqual([1, 1]);
  });
});

import { describe as describeText, expect as expectText, it as itText } from 'vitest';
import { encodeMsgpack as encodeText, decodeMsgpack as decodeText } from '../../../src/protocol/codec/index.js';
import { TfDecimal as Decimal } from '../../../src/protocol/value.js';

describeText('numbersAsText', () => {
  itText('writes every number as its decimal text (how Terraform reads its own state file), decoding to the same value', () => {
    const type = { kind: 'list', element: 'number' } as const;
    const value = [10, 1.5, 2n ** 70n, new Decimal('0.1'), -3];
    const bytes = encodeText(value, type, { numbersAsText: true });
    expectText(Buffer.from(bytes).toString('latin1')).toContain('10');
    expectText(bytes[1]).toBe(0xa2); // "10" as a fixstr, not the int 0x0a
    expectText(decodeText(bytes, type)).toEqual(decodeText(encodeText(value, type), type));
  });
});
