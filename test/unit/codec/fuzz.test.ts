// Garbage in, CodecError out: decoders must never crash with anything else, and whatever they accept must re-encode.

import { describe, expect, it } from 'vitest';
import { CodecError, decodeJson, decodeMsgpack, encodeJson, encodeMsgpack, valueEquals } from '../../../src/protocol/codec/index.js';
import { types, type CtyType } from '../../../src/protocol/cty-type.js';
import { containsUnknown } from '../../../src/protocol/codec/index.js';
import { imageType, samples } from './fixtures.js';

/** mulberry32: small, seeded, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fuzzTypes: CtyType[] = [
  types.string,
  types.number,
  types.bool,
  types.dynamic,
  types.list(types.string),
  types.set(types.number),
  types.map(types.dynamic),
  types.tuple([types.string, types.number]),
  types.object({ a: types.string, b: types.list(types.number) }),
  imageType,
];

type Outcome = 'ok' | 'codec-error';

function tryMsgpack(buf: Uint8Array, type: CtyType): Outcome {
  let value;
  try {
    value = decodeMsgpack(buf, type);
  } catch (e) {
    if (e instanceof CodecError) return 'codec-error';
    throw new Error(`non-CodecError escaped for ${Buffer.from(buf).toString('hex')} as ${JSON.stringify(type)}: ${String(e)}`);
  }
  // Anything accepted is a valid value of the type: it re-encodes and decodes to an equal value.
  const again = decodeMsgpack(encodeMsgpack(value, type), type);
  if (!valueEquals(again, value, type)) throw new Error(`re-encode changed ${Buffer.from(buf).toString('hex')}`);
  if (!containsUnknown(value, type)) decodeJson(encodeJson(value, type), type);
  return 'ok';
}

function tryJson(text: string, type: CtyType): Outcome {
  try {
    const value = decodeJson(text, type);
    encodeMsgpack(value, type);
    return 'ok';
  } catch (e) {
    if (e instanceof CodecError) return 'codec-error';
    throw new Error(`non-CodecError escaped for ${JSON.stringify(text)}: ${String(e)}`);
  }
}

describe('fuzzing', () => {
  it('random byte buffers only ever yield values or CodecError', () => {
    const rnd = prng(0xc0ffee);
    const seen = { ok: 0, 'codec-error': 0 };
    for (let i = 0; i < 2000; i++) {
      const buf = new Uint8Array(Math.floor(rnd() * 48));
      for (let j = 0; j < buf.length; j++) buf[j] = Math.floor(rnd() * 256);
      seen[tryMsgpack(buf, fuzzTypes[i % fuzzTypes.length]!)]++;
    }
    expect(seen['codec-error']).toBeGreaterThan(0);
    expect(seen.ok).toBeGreaterThan(0); // e.g. single-byte ints, nil, fixext unknowns
  });

  it('mutated and truncated valid encodings only ever yield values or CodecError', () => {
    const rnd = prng(42);
    const seeds = samples.filter((s) => s.name !== 'long string').map((s) => ({ type: s.type, bytes: encodeMsgpack(s.value, s.type) }));
    const seen = { ok: 0, 'codec-error': 0 };
    for (let i = 0; i < 2000; i++) {
      const seed = seeds[i % seeds.length]!;
      let buf = Uint8Array.from(seed.bytes);
      const op = Math.floor(rnd() * 4);
      if (op === 0) buf = buf.subarray(0, Math.floor(rnd() * buf.length));
      else {
        const flips = 1 + Math.floor(rnd() * 3);
        for (let f = 0; f < flips && buf.length > 0; f++) {
          const at = Math.floor(rnd() * buf.length);
          buf[at] = op === 1 ? buf[at]! ^ (1 << Math.floor(rnd() * 8)) : Math.floor(rnd() * 256);
        }
        if (op === 3) {
          const at = Math.floor(rnd() * (buf.length + 1));
          buf = Uint8Array.from([...buf.subarray(0, at), Math.floor(rnd() * 256), ...buf.subarray(at)]);
        }
      }
      seen[tryMsgpack(buf, seed.type)]++;
    }
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen['codec-error']).toBeGreaterThan(0);
  });

  it('hostile lengths and deep nesting fail cleanly', () => {
    const deepArrays = new Uint8Array(200000).fill(0x91);
    for (const t of fuzzTypes) expect(tryMsgpack(deepArrays, t)).toBe('codec-error');
    let deepList: CtyType = types.string;
    for (let i = 0; i < 300; i++) deepList = types.list(deepList);
    expect(tryMsgpack(Uint8Array.from([...new Uint8Array(300).fill(0x91), 0xa1, 0x78]), deepList)).toBe('ok');
    // dynamic inside dynamic, 20000 levels: [“dynamic”, [“dynamic”, …]]
    const typeJson = Buffer.from('"dynamic"');
    const level = [0x92, 0xa0 | typeJson.length, ...typeJson];
    const nested: number[] = [];
    for (let i = 0; i < 20000; i++) nested.push(...level);
    nested.push(0xc0);
    expect(tryMsgpack(Uint8Array.from(nested), types.dynamic)).toBe('codec-error');
    // a dynamic type that is absurdly deep
    const deepType = '["list",'.repeat(5000) + '"string"' + ']'.repeat(5000);
    const tj = Buffer.from(deepType);
    const buf = Uint8Array.from([0x92, 0xdb, ...[24, 16, 8, 0].map((s) => (tj.length >>> s) & 0xff), ...tj, 0x90]);
    expect(tryMsgpack(buf, types.dynamic)).toBe('codec-error');
    // declared lengths far beyond the data
    for (const h of ['dd ffffffff', 'df ffffffff', 'db ffffffff 61', 'c6 ffffffff', 'c9 ffffffff 00', 'dc ffff']) {
      for (const t of fuzzTypes) expect(tryMsgpack(Uint8Array.from(Buffer.from(h.replace(/ /g, ''), 'hex')), t)).toBe('codec-error');
    }
  });

  it('mutated JSON only ever yields values or CodecError', () => {
    const rnd = prng(7);
    const alphabet = '{}[]",:0123456789.eE-+ truefalsenul\\"abc__proto__';
    const seeds = samples.filter((s) => s.name !== 'long string').map((s) => ({ type: s.type, text: encodeJson(s.value, s.type) }));
    const seen = { ok: 0, 'codec-error': 0 };
    for (let i = 0; i < 2000; i++) {
      const seed = seeds[i % seeds.length]!;
      const chars = seed.text.split('');
      const edits = 1 + Math.floor(rnd() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * (chars.length + 1));
        const c = alphabet[Math.floor(rnd() * alphabet.length)]!;
        if (rnd() < 0.5) chars.splice(at, 1, c);
        else chars.splice(at, 0, c);
      }
      seen[tryJson(chars.join(''), seed.type)]++;
    }
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen['codec-error']).toBeGreaterThan(0);
    expect(tryJson('['.repeat(100000), types.list(types.string))).toBe('codec-error');
    expect(tryJson('1e999999999', types.number)).toBe('codec-error');
  });
});
