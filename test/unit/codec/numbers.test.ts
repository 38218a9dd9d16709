import { describe, expect, it } from 'vitest';
import { CodecError, decodeJson, decodeMsgpack, encodeJson, encodeMsgpack, parseNumberText, valueEquals } from '../../../src/protocol/codec/index.js';
import { types } from '../../../src/protocol/cty-type.js';
import { TfDecimal, numberText, objectValue } from '../../../src/protocol/value.js';
import { bytes, hex } from './fixtures.js';

const str = (s: string): string => {
  const b = Buffer.from(s);
  const header = b.length < 32 ? (0xa0 | b.length).toString(16) : `d9${b.length.toString(16).padStart(2, '0')}`;
  return header + b.toString('hex');
};

describe('numbers on the msgpack wire', () => {
  const exactInts: Array<[string, string, bigint | number]> = [
    ['2^63-1 as uint64', 'cf 7fffffffffffffff', 2n ** 63n - 1n],
    ['2^64-1 as uint64', 'cf ffffffffffffffff', 2n ** 64n - 1n],
    ['-2^63 as int64', 'd3 8000000000000000', -(2n ** 63n)],
    ['2^53+1', 'cf 0020000000000001', 2n ** 53n + 1n],
    ['max safe integer', 'cf 001fffffffffffff', Number.MAX_SAFE_INTEGER],
    ['-2^31', 'd2 80000000', -(2 ** 31)],
    ['uint32 max', 'ce ffffffff', 2 ** 32 - 1],
  ];
  for (const [name, wire, expected] of exactInts) {
    it(`${name} decodes exactly and re-encodes to the same bytes`, () => {
      const v = decodeMsgpack(bytes(wire), types.number);
      expect(v).toBe(expected);
      expect(hex(encodeMsgpack(v, types.number))).toBe(hex(bytes(wire)));
    });
  }

  it('int64 beyond the safe range that Terraform might write as int64 (d3) comes back as the compact uint form', () => {
    const v = decodeMsgpack(bytes('d3 7fffffffffffffff'), types.number);
    expect(v).toBe(2n ** 63n - 1n);
    expect(hex(encodeMsgpack(v, types.number))).toBe('cf7fffffffffffffff');
  });

  const texts: Array<[string, string]> = [
    ['123456789012345678901234567890', 'bigint'],
    ['-123456789012345678901234567890', 'bigint'],
    ['0.1', 'decimal'],
    ['3.14159265358979323846264338327950288', 'decimal'],
    ['1e-30', 'decimal'],
    ['18446744073709551616', 'bigint'], // 2^64: too big for uint64
  ];
  for (const [text, kind] of texts) {
    it(`decimal string ${text} survives byte-exactly (${kind})`, () => {
      const wire = bytes(str(text === '1e-30' ? '0.000000000000000000000000000001' : text));
      const v = decodeMsgpack(wire, types.number);
      expect(kind === 'bigint' ? typeof v === 'bigint' : v instanceof TfDecimal).toBe(true);
      expect(hex(encodeMsgpack(v, types.number))).toBe(hex(wire));
      // and through JSON
      const json = encodeJson(v, types.number);
      expect(json).toBe(text === '1e-30' ? '0.000000000000000000000000000001' : text);
      expect(valueEquals(decodeJson(json, types.number), v, types.number)).toBe(true);
      expect(hex(encodeMsgpack(decodeJson(json, types.number), types.number))).toBe(hex(wire));
    });
  }

  it('a decimal string that is exactly a double becomes a number and is written as float64 (as cty does)', () => {
    const v = decodeMsgpack(bytes(str('0.5')), types.number);
    expect(v).toBe(0.5);
    expect(hex(encodeMsgpack(v, types.number))).toBe('cb3fe0000000000000');
    expect(hex(encodeMsgpack(new TfDecimal('42.000'), types.number))).toBe('2a');
    expect(hex(encodeMsgpack(new TfDecimal('0.1'), types.number))).toBe(str('0.1'));
  });

  it('reads float64 and infinities, rejects NaN on write', () => {
    expect(decodeMsgpack(bytes('cb 3fb999999999999a'), types.number)).toBe(0.1);
    expect(decodeMsgpack(bytes('cb 7ff0000000000000'), types.number)).toBe(Infinity);
    expect(hex(encodeMsgpack(-Infinity, types.number))).toBe('cbfff0000000000000');
    expect(hex(encodeMsgpack(0.1, types.number))).toBe('cb3fb999999999999a');
    expect(() => encodeMsgpack(NaN, types.number)).toThrow(CodecError);
    expect(() => encodeMsgpack(new TfDecimal('abc'), types.number)).toThrow(CodecError);
  });
});

describe('numbers in JSON', () => {
  it('keeps big and precise numbers inside objects', () => {
    const t = types.object({ big: types.number, precise: types.number, small: types.number, list: types.list(types.number) });
    const text = '{"big":123456789012345678901234567890,"list":[18446744073709551615,-9223372036854775808],"precise":3.14159265358979323846264338327950288,"small":1.25}';
    const v = decodeJson(text, t);
    expect(encodeJson(v, t)).toBe(text);
    const back = decodeMsgpack(encodeMsgpack(v, t), t);
    expect(encodeJson(back, t)).toBe(text);
  });

  it('writes JS numbers as their shortest exact text and never uses exponents', () => {
    expect(encodeJson(1e21, types.number)).toBe('1000000000000000000000');
    expect(encodeJson(1e-7, types.number)).toBe('0.0000001');
    expect(encodeJson(-0, types.number)).toBe('0');
    expect(() => encodeJson(Infinity, types.number)).toThrow(CodecError);
  });

  it('accepts decimal strings for numbers like cty', () => {
    expect(decodeJson('"12"', types.number)).toBe(12);
    expect(() => decodeJson('"twelve"', types.number)).toThrow(CodecError);
  });
});

describe('parseNumberText', () => {
  it('chooses number / bigint / TfDecimal by exactness', () => {
    const cases: Array<[string, unknown]> = [
      ['42', 42],
      ['-0', 0],
      ['1e3', 1000],
      ['1.5e1', 15],
      ['9007199254740993', 9007199254740993n],
      ['0.25', 0.25],
      ['.5', 0.5],
      ['+7', 7],
      ['Inf', Infinity],
      ['-Infinity', -Infinity],
    ];
    for (const [text, expected] of cases) {
      const r = parseNumberText(text);
      expect(r.ok, text).toBe(true);
      if (r.ok) expect(r.value, text).toBe(expected);
    }
    const d = parseNumberText('1.10');
    expect(d.ok && d.value instanceof TfDecimal && d.value.text).toBe('1.1');
  });

  it('rejects junk and absurd exponents without building huge strings', () => {
    for (const bad of ['', '-', '1.2.3', '0x10', '1e', 'NaN', ' 1', '1e999999999', '1e-999999999']) {
      expect(parseNumberText(bad).ok, bad).toBe(false);
    }
    expect(parseNumberText('0e999999999').ok).toBe(true);
  });

  it('agrees with numberText on canonical forms', () => {
    const r = parseNumberText('00012.3400e2');
    expect(r.ok && numberText(r.value)).toBe('1234');
  });
});

it('a map of numbers in every representation round-trips through both encodings', () => {
  const t = types.map(types.number);
  const v = objectValue({ a: 1, b: -2.5, c: 2n ** 64n - 1n, d: new TfDecimal('0.1'), e: 10n ** 30n });
  expect(valueEquals(decodeMsgpack(encodeMsgpack(v, t), t), v, t)).toBe(true);
  expect(valueEquals(decodeJson(encodeJson(v, t), t), v, t)).toBe(true);
});

describe('writer agrees with an independent msgpack encoder', () => {
  it('ints, floats and strings have the same compact encodings as @msgpack/msgpack', async () => {
    const { encode } = await import('@msgpack/msgpack');
    const ints = [0, 1, 31, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, Number.MIN_SAFE_INTEGER];
    for (const n of ints) expect(hex(encodeMsgpack(n, types.number)), String(n)).toBe(hex(encode(n)));
    for (const f of [0.5, -1.25, 1e300, 5e-324, Math.PI]) expect(hex(encodeMsgpack(f, types.number)), String(f)).toBe(hex(encode(f)));
    for (const len of [0, 31, 32, 255, 256, 65535, 65536]) {
      const s = 'z'.repeat(len);
      expect(hex(encodeMsgpack(s, types.string)).slice(0, 12), String(len)).toBe(hex(encode(s)).slice(0, 12));
    }
    for (const b of [2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n]) {
      expect(hex(encodeMsgpack(b, types.number))).toBe(hex(encode(b, { useBigInt64: true })));
    }
  });
});
