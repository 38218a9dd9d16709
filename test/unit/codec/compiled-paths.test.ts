// The compiled codecs keep no path while they work and take a fast path for Terraform's usual input (all attributes,
// sorted). These tests pin what the general path gives: every wrong leaf named by its full path, keys in any order,
// and state JSON read as exactly with JSON.parse as with lossless-json.

import fc from 'fast-check';
import { parse as losslessParse } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { decodeJsonTree, decodeMsgpack, encodeMsgpack, parseJsonExact, valueEquals } from '../../../src/protocol/codec/index.js';
import { onlyShortIntegers } from '../../../src/protocol/codec/json-parse.js';
import { pathToString } from '../../../src/protocol/path.js';
import { types, type CtyType } from '../../../src/protocol/cty-type.js';
import { objectValue, type Value } from '../../../src/protocol/value.js';
import { codecError, hex } from './fixtures.js';

const inner = types.object({ b: types.map(types.string), n: types.number, s: types.string });
const nested = types.object({ a: types.list(inner), t: types.tuple([types.bool, inner]), z: types.set(types.string) });

function sample(): Value {
  const leaf = () => objectValue({ b: objectValue({ k: 'v' }), n: 1, s: 'x' });
  return objectValue({ a: [leaf(), leaf()], t: [true, leaf()], z: ['p'] });
}

// Every leaf that can be made wrong, with the path an error there must carry (set elements point at the set).
const leaves: Array<{ path: string; set: (v: Record<string, any>) => void }> = [
  { path: 'a[0].b["k"]', set: (v) => (v.a[0].b.k = 5) },
  { path: 'a[1].n', set: (v) => (v.a[1].n = 'one') },
  { path: 'a[1].s', set: (v) => (v.a[1].s = true) },
  { path: 't[0]', set: (v) => (v.t[0] = 'yes') },
  { path: 't[1].b["k"]', set: (v) => (v.t[1].b.k = [1]) },
  { path: 'z', set: (v) => (v.z[0] = 3) },
];

describe('compiled msgpack codec: error paths', () => {
  for (const leaf of leaves) {
    it(`encode names ${leaf.path}`, () => {
      const v = sample() as Record<string, any>;
      leaf.set(v);
      expect(pathToString(codecError(() => encodeMsgpack(v, nested)).path)).toBe(leaf.path);
    });
  }

  it('decode names the path of a wrong leaf, at every leaf', () => {
    // Encode with a type where one leaf is a bool, decode with the real type: the error names that leaf.
    const boolAt = (path: string): CtyType => {
      const wrongInner = (field: 'n' | 's') => types.object({ ...inner.attributes, [field]: types.bool });
      if (path === 'a[].n') return types.object({ ...nested.attributes, a: types.list(wrongInner('n')) });
      return types.object({ ...nested.attributes, t: types.tuple([types.bool, wrongInner('s')]) });
    };
    const onlyA = sample() as Record<string, any>;
    onlyA.a = onlyA.a.map((o: Record<string, any>) => ({ ...o, n: true }));
    const bytesA = encodeMsgpack(onlyA, boolAt('a[].n'));
    expect(pathToString(codecError(() => decodeMsgpack(bytesA, nested)).path)).toBe('a[0].n');
    const onlyT = sample() as Record<string, any>;
    onlyT.t[1] = { ...onlyT.t[1], s: false };
    const bytesT = encodeMsgpack(onlyT, boolAt('t[1].s'));
    expect(pathToString(codecError(() => decodeMsgpack(bytesT, nested)).path)).toBe('t[1].s');
  });

  it('decodes attributes in any order, and rejects a repeated or unknown one at its path', () => {
    const t = types.object({ a: types.string, b: types.string, c: types.string });
    const str = (s: string) => `a1 ${Buffer.from(s).toString('hex')}`;
    const map = (...pairs: string[][]) => Buffer.from(`8${pairs.length}${pairs.map(([k, v]) => `${str(k!)}${str(v!)}`).join('')}`.replace(/ /g, ''), 'hex');
    const decoded = decodeMsgpack(map(['c', '3'], ['a', '1'], ['b', '2']), t) as Record<string, Value>;
    expect({ ...decoded }).toEqual({ c: '3', a: '1', b: '2' });
    expect(hex(encodeMsgpack(decoded, t))).toBe(hex(map(['a', '1'], ['b', '2'], ['c', '3'])));
    expect(codecError(() => decodeMsgpack(map(['a', '1'], ['a', '1'], ['b', '2']), t)).message).toBe('a: attribute given twice');
    expect(codecError(() => decodeMsgpack(map(['a', '1'], ['b', '2'], ['d', '4']), t)).message).toBe('d: unsupported attribute');
    expect(codecError(() => decodeMsgpack(map(['a', '1'], ['b', '2']), t)).message).toContain('attribute "c" is required');
  });
});

describe('state JSON: JSON.parse only where it is exact', () => {
  it('recognises the texts whose numbers a double holds exactly', () => {
    expect(onlyShortIntegers('{"a":[1,-2,0,123456789012345],"s":"1.5e10 -0 99999999999999999"}')).toBe(true);
    for (const text of ['{"a":1.5}', '{"a":1e3}', '{"a":-0}', '{"a":1234567890123456}', '{"a":"\\"",  "b":0.1}', '[1E2]']) {
      expect(onlyShortIntegers(text)).toBe(false);
    }
  });

  it('gives the same value as lossless-json for any numbers, keys and strings', () => {
    const numberText = fc.oneof(
      fc.integer().map(String),
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
      fc.constantFrom('-0', '0.1', '1e400', '1.0000000000000001', '9007199254740993', '-9007199254740993', '12E-3'),
    );
    const text = fc.record({ n: fc.array(numberText, { maxLength: 5 }), s: fc.string(), m: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }) });
    const type = types.object({ n: types.list(types.number), s: types.string, m: types.map(types.string), k: types.list(types.string) });
    fc.assert(
      fc.property(text, ({ n, s, m }) => {
        const json = `{"n":[${n.join(',')}],"s":${JSON.stringify(s)},"m":${JSON.stringify(m)},"k":[${n.join(',')}]}`;
        const exact = decodeJsonTree(losslessParse(json), type);
        expect(valueEquals(decodeJsonTree(parseJsonExact(json), type), exact, type)).toBe(true);
        expect(encodeMsgpack(decodeJsonTree(parseJsonExact(json), type), type)).toEqual(encodeMsgpack(exact, type));
      }),
      { numRuns: 400 },
    );
  });
});
