import { expect } from 'vitest';
import { CodecError } from '../../../src/protocol/codec/index.js';
// Shared samples for the codec tests: one value per type shape, plus helpers.

import { types, type CtyType } from '../../../src/protocol/cty-type.js';
import { DynamicValue, TfDecimal, UNKNOWN, Unknown, objectValue, type Value } from '../../../src/protocol/value.js';

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

export const tagType = types.object({ key: types.string, value: types.string });

export const imageType = types.object({
  name: types.string,
  size: types.number,
  public: types.bool,
  tags: types.list(tagType),
  zones: types.set(types.string),
  labels: types.map(types.string),
  pair: types.tuple([types.string, types.number]),
  extra: types.dynamic,
  block: types.object({ id: types.string, counts: types.list(types.number) }),
});

export interface Sample {
  name: string;
  type: CtyType;
  value: Value;
}

/** One known value for every shape, including nesting and dynamic of several types. */
export const samples: Sample[] = [
  { name: 'string', type: types.string, value: 'hello' },
  { name: 'empty string', type: types.string, value: '' },
  { name: 'unicode string', type: types.string, value: 'é日本🎉' },
  { name: 'long string', type: types.string, value: 'x'.repeat(70000) },
  { name: 'bool true', type: types.bool, value: true },
  { name: 'bool false', type: types.bool, value: false },
  { name: 'small int', type: types.number, value: 42 },
  { name: 'negative int', type: types.number, value: -1234567 },
  { name: 'float', type: types.number, value: 1.5 },
  { name: 'big int', type: types.number, value: 2n ** 63n - 1n },
  { name: 'decimal', type: types.number, value: new TfDecimal('0.1') },
  { name: 'list', type: types.list(types.string), value: ['a', 'b', 'a'] },
  { name: 'empty list', type: types.list(types.string), value: [] },
  { name: 'set', type: types.set(types.number), value: [3, 1, 2] },
  { name: 'map', type: types.map(types.bool), value: objectValue({ b: true, a: false }) },
  { name: 'tuple', type: types.tuple([types.string, types.number, types.bool]), value: ['x', 7, true] },
  { name: 'empty object', type: types.object({}), value: objectValue() },
  {
    name: 'nested object',
    type: imageType,
    value: objectValue({
      name: 'img',
      size: 10,
      public: false,
      tags: [objectValue({ key: 'k', value: 'v' })],
      zones: ['eu-west-2a', 'eu-west-2b'],
      labels: objectValue({ env: 'prod' }),
      pair: ['p', 2],
      extra: new DynamicValue(types.list(types.string), ['d']),
      block: objectValue({ id: 'b', counts: [1, 2, 3] }),
    }),
  },
  { name: 'dynamic string', type: types.dynamic, value: new DynamicValue(types.string, 's') },
  { name: 'dynamic number', type: types.dynamic, value: new DynamicValue(types.number, 12) },
  {
    name: 'dynamic object',
    type: types.dynamic,
    value: new DynamicValue(types.object({ a: types.map(types.number) }), objectValue({ a: objectValue({ x: 1 }) })),
  },
  {
    name: 'dynamic tuple',
    type: types.dynamic,
    value: new DynamicValue(types.tuple([types.bool, types.string]), [true, 'y']),
  },
  { name: 'dynamic null string', type: types.dynamic, value: new DynamicValue(types.string, null) },
  {
    name: 'list of dynamic',
    type: types.list(types.dynamic),
    value: [new DynamicValue(types.string, 'a'), new DynamicValue(types.bool, true), null],
  },
];

/** Replaces the value at each position of a sample with `replacement` (null or unknown), one position at a time. */
export function holesEverywhere(type: CtyType, value: Value, replacement: Value): Array<{ where: string; value: Value }> {
  const out: Array<{ where: string; value: Value }> = [{ where: '(root)', value: replacement }];
  if (value === null || value instanceof Unknown) return out;
  if (typeof type === 'string') {
    if (type === 'dynamic' && value instanceof DynamicValue) {
      for (const h of holesEverywhere(value.type, value.value, replacement)) {
        out.push({ where: `dyn${h.where}`, value: new DynamicValue(value.type, h.value) });
      }
    }
    return out;
  }
  if (type.kind === 'list' || type.kind === 'set' || type.kind === 'tuple') {
    const items = value as Value[];
    items.forEach((item, i) => {
      const et = type.kind === 'tuple' ? type.elements[i]! : type.element;
      for (const h of holesEverywhere(et, item, replacement)) {
        const copy = items.slice();
        copy[i] = h.value;
        out.push({ where: `[${i}]${h.where}`, value: copy });
      }
    });
    return out;
  }
  const record = value as Record<string, Value>;
  for (const key of Object.keys(record)) {
    const et = type.kind === 'map' ? type.element : type.kind === 'object' ? type.attributes[key]! : types.dynamic;
    for (const h of holesEverywhere(et, record[key]!, replacement)) {
      out.push({ where: `.${key}${h.where}`, value: objectValue({ ...record, [key]: h.value }) });
    }
  }
  return out;
}

export { UNKNOWN };

/** Runs `run`, asserts it throws a CodecError, and returns it. */
export function codecError(run: () => unknown): CodecError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError);
    return e as CodecError;
  }
  throw new Error('expected a CodecError');
}
