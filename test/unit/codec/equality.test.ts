import { describe, expect, it } from 'vitest';
import {
  containsUnknown,
  decodeDynamicValue,
  decodeJson,
  encodeMsgpack,
  encodeDynamicValue,
  valueEquals,
} from '../../../src/protocol/codec/index.js';
import { types } from '../../../src/protocol/cty-type.js';
import { DynamicValue, TfDecimal, UNKNOWN, Unknown, objectValue } from '../../../src/protocol/value.js';
import { hex, holesEverywhere, imageType, samples } from './fixtures.js';

describe('valueEquals', () => {
  it('null, unknown and known values', () => {
    expect(valueEquals(null, null, types.string)).toBe(true);
    expect(valueEquals(UNKNOWN, new Unknown({ notNull: true }), types.string)).toBe(true);
    expect(valueEquals(UNKNOWN, 'x', types.string)).toBe(false);
    expect(valueEquals(null, UNKNOWN, types.string)).toBe(false);
    expect(valueEquals('', null, types.string)).toBe(false);
  });

  it('compares numbers exactly across representations', () => {
    expect(valueEquals(1, 1n, types.number)).toBe(true);
    expect(valueEquals(new TfDecimal('1.50'), 1.5, types.number)).toBe(true);
    expect(valueEquals(2n ** 64n, 2n ** 64n + 1n, types.number)).toBe(false);
    expect(valueEquals(new TfDecimal('0.10000000000000000001'), new TfDecimal('0.1'), types.number)).toBe(false);
  });

  it('sets are unordered multisets; lists are ordered', () => {
    const set = types.set(types.string);
    expect(valueEquals(['a', 'b'], ['b', 'a'], set)).toBe(true);
    expect(valueEquals(['a', 'a'], ['a', 'b'], set)).toBe(false);
    expect(valueEquals(['a', 'b'], ['b', 'a'], types.list(types.string))).toBe(false);
    const setOfObjects = types.set(types.object({ k: types.string }));
    expect(valueEquals([objectValue({ k: 'x' }), objectValue({ k: 'y' })], [objectValue({ k: 'y' }), objectValue({ k: 'x' })], setOfObjects)).toBe(true);
  });

  it('objects treat missing attributes as null; maps compare key sets', () => {
    const t = types.object({ a: types.string, b: types.string });
    expect(valueEquals(objectValue({ a: 'x' }), objectValue({ a: 'x', b: null }), t)).toBe(true);
    expect(valueEquals(objectValue({ a: 'x' }), objectValue({ a: 'x', b: 'y' }), t)).toBe(false);
    const m = types.map(types.string);
    expect(valueEquals(objectValue({ a: 'x' }), objectValue({ a: 'x', b: null }), m)).toBe(false);
    expect(valueEquals(objectValue(JSON.parse('{"__proto__":"x"}')), decodeJson('{"__proto__":"x"}', m), m)).toBe(true);
  });

  it('dynamic values compare type and value', () => {
    expect(valueEquals(new DynamicValue(types.string, '1'), new DynamicValue(types.string, '1'), types.dynamic)).toBe(true);
    expect(valueEquals(new DynamicValue(types.string, '1'), new DynamicValue(types.number, 1), types.dynamic)).toBe(false);
    expect(valueEquals(new DynamicValue(types.list(types.number), [1]), new DynamicValue(types.list(types.number), [1n]), types.dynamic)).toBe(true);
  });

  it('every sample equals itself and differs from another sample of the same type with a hole', () => {
    for (const s of samples) {
      expect(valueEquals(s.value, s.value, s.type), s.name).toBe(true);
      for (const v of holesEverywhere(s.type, s.value, null).slice(1)) {
        if (hex(encodeMsgpack(v.value, s.type)) === hex(encodeMsgpack(s.value, s.type))) continue; // hole was already null
        expect(valueEquals(v.value, s.value, s.type), `${s.name} ${v.where}`).toBe(false);
      }
    }
  });
});

describe('containsUnknown', () => {
  it('finds unknowns at any depth and nothing in known values', () => {
    for (const s of samples) {
      expect(containsUnknown(s.value, s.type), s.name).toBe(false);
      for (const v of holesEverywhere(s.type, s.value, UNKNOWN)) {
        expect(containsUnknown(v.value, s.type), `${s.name} ${v.where}`).toBe(true);
      }
    }
  });
});

describe('DynamicValue messages', () => {
  const t = imageType;
  const value = samples.find((s) => s.name === 'nested object')!.value;

  it('encodes to msgpack with an empty json buffer and decodes back', () => {
    const dv = encodeDynamicValue(value, t);
    expect(Buffer.isBuffer(dv.msgpack)).toBe(true);
    expect(dv.json.length).toBe(0);
    expect(valueEquals(decodeDynamicValue(dv, t), value, t)).toBe(true);
  });

  it('prefers msgpack, falls back to json, and treats absent/empty as null', () => {
    const mp = encodeDynamicValue(objectValue({ name: 'from-msgpack' }), t).msgpack;
    const json = Buffer.from('{"name":"from-json"}');
    expect((decodeDynamicValue({ msgpack: mp, json }, t) as Record<string, unknown>).name).toBe('from-msgpack');
    expect((decodeDynamicValue({ msgpack: new Uint8Array(0), json }, t) as Record<string, unknown>).name).toBe('from-json');
    expect((decodeDynamicValue({ json }, t) as Record<string, unknown>).name).toBe('from-json');
    expect(decodeDynamicValue({ msgpack: null, json: null }, t)).toBeNull();
    expect(decodeDynamicValue(null, t)).toBeNull();
    expect(decodeDynamicValue(undefined, t)).toBeNull();
    expect(hex(encodeDynamicValue(null, t).msgpack)).toBe('c0');
  });
});

import { describe as describeKeys, expect as expectKeys, it as itKeys } from 'vitest';
import { canonicalKey, valueEquals as equals } from '../../../src/protocol/codec/index.js';
import { objectValue as obj, TfDecimal as Dec, UNKNOWN as U } from '../../../src/protocol/value.js';
import { types as ty } from '../../../src/protocol/cty-type.js';

describeKeys('canonicalKey agrees with valueEquals', () => {
  const tag = ty.object({ key: ty.string, value: ty.string, n: ty.number });
  const samples = [
    obj({ key: 'a', value: 'x', n: 1 }),
    obj({ key: 'a', value: 'x', n: new Dec('1') }),
    obj({ key: 'a', value: 'x', n: 1.5 }),
    obj({ key: 'a', value: null, n: 1 }),
    obj({ key: 'a', value: U, n: 1 }),
    obj({ key: 'b', value: 'x', n: 2n ** 70n }),
    obj({ key: 'b', value: 'x', n: new Dec('1180591620717411303424') }),
    obj({ key: 'a,b', value: '', n: 0 }),
  ];
  itKeys('for every pair of samples', () => {
    for (const a of samples)
      for (const b of samples) expectKeys(canonicalKey(a, tag) === canonicalKey(b, tag)).toBe(equals(a, b, tag));
  });
  itKeys('sets of sets compare as multisets in any order; values that do not fit the type equal nothing', () => {
    const t = ty.set(ty.set(ty.string));
    expectKeys(equals([['a', 'b'], ['c']], [['c'], ['b', 'a']], t)).toBe(true);
    expectKeys(equals([['a'], ['a']], [['a'], ['b']], t)).toBe(false);
    expectKeys(equals([42 as never], [42 as never], ty.set(ty.string))).toBe(false);
  });
  itKeys('large sets (100k elements, reversed) compare equal', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => obj({ key: `k${i}`, value: 'v', n: i }));
    expectKeys(equals(big, [...big].reverse(), ty.set(tag))).toBe(true);
  }, 60_000); // linear time, but 100k objects take seconds on a loaded 2-core machine
});
