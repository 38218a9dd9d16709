import { describe, expect, it } from 'vitest';
import { fillUnknowns, hasUnknown, nullUnknowns } from '../../../src/framework/values.js';
import { types as t } from '../../../src/protocol/cty-type.js';
import { objectValue, UNKNOWN, Unknown, type Value } from '../../../src/protocol/value.js';

const tagType = t.object({ key: t.string, value: t.string });
const rootType = t.object({ id: t.string, tags: t.set(tagType), list: t.list(t.number) });

describe('fillUnknowns', () => {
  it('keeps every known planned value and takes only unknowns from the actual value', () => {
    const planned = objectValue({ id: UNKNOWN, tags: [objectValue({ key: 'a', value: 'planned' })], list: [1, UNKNOWN] });
    const actual = objectValue({ id: 'ami-1', tags: [objectValue({ key: 'a', value: 'api' })], list: [9, 2] });
    expect(fillUnknowns(planned, actual, rootType)).toEqual(
      objectValue({ id: 'ami-1', tags: [objectValue({ key: 'a', value: 'planned' })], list: [1, 2] }),
    );
  });

  it('matches set elements holding unknowns by their known leaves, whatever the order', () => {
    const planned = objectValue({
      id: 'x',
      tags: [objectValue({ key: 'b', value: UNKNOWN }), objectValue({ key: 'a', value: 'A' })],
      list: [],
    });
    const actual = objectValue({
      id: 'x',
      tags: [objectValue({ key: 'a', value: 'A' }), objectValue({ key: 'b', value: '' })],
      list: [],
    });
    const out = fillUnknowns(planned, actual, rootType) as Record<string, Value>;
    expect(out.tags).toEqual([objectValue({ key: 'b', value: '' }), objectValue({ key: 'a', value: 'A' })]);
    expect(hasUnknown(out as never)).toBe(false);
  });

  it('a whole unknown attribute takes the whole actual value', () => {
    const planned = objectValue({ id: 'x', tags: UNKNOWN, list: UNKNOWN });
    const actual = objectValue({ id: 'y', tags: [], list: [3] });
    expect(fillUnknowns(planned, actual, rootType)).toEqual(objectValue({ id: 'x', tags: [], list: [3] }));
  });
});

describe('nullUnknowns', () => {
  it('replaces unknowns at every depth, refined ones included', () => {
    const v = objectValue({ id: new Unknown({ notNull: true }), tags: [objectValue({ key: 'k', value: UNKNOWN })], list: [UNKNOWN] });
    expect(nullUnknowns(v)).toEqual(objectValue({ id: null, tags: [objectValue({ key: 'k', value: null })], list: [null] }));
  });
});

describe('fillUnknowns: set elements with unknowns', () => {
  const actualTags = [
    objectValue({ key: 'a', value: 'fixed' }),
    objectValue({ key: 'b', value: 'fixed' }),
    objectValue({ key: 'c', value: 'other' }),
  ];
  const permutations = <T>(xs: T[]): T[][] =>
    xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
  // every way of hiding key and/or value of each element behind an unknown, in every order Terraform may send them
  const masks = Array.from({ length: 4 ** actualTags.length }, (_, n) => actualTags.map((_, i) => (n >> (2 * i)) & 3));

  it('finds every element, none duplicated or lost, whatever is unknown and in whatever order', () => {
    let cases = 0;
    for (const mask of masks) {
      const planned = actualTags.map((tag, i) =>
        objectValue({ key: mask[i]! & 1 ? UNKNOWN : tag.key!, value: mask[i]! & 2 ? UNKNOWN : tag.value! }),
      );
      for (const order of permutations(planned)) {
        for (const api of permutations(actualTags)) {
          const out = fillUnknowns(objectValue({ id: 'x', tags: order, list: [] }), objectValue({ id: 'x', tags: api, list: [] }), rootType);
          const keys = ((out as Record<string, Value>).tags as Array<Record<string, Value>>).map((x) => `${String(x.key)}=${String(x.value)}`);
          expect(keys.sort(), `mask ${mask.join(',')}`).toEqual(['a=fixed', 'b=fixed', 'c=other']);
          cases++;
        }
      }
    }
    expect(cases).toBe(64 * 6 * 6);
  });

  it('a wholly unknown element does not take the only counterpart of a partly known one', () => {
    const planned = [objectValue({ key: UNKNOWN, value: UNKNOWN }), objectValue({ key: UNKNOWN, value: 'other' })];
    const out = fillUnknowns(objectValue({ id: 'x', tags: planned, list: [] }), objectValue({ id: 'x', tags: [actualTags[2]!, actualTags[0]!], list: [] }), rootType);
    expect((out as Record<string, Value>).tags).toEqual([actualTags[0], actualTags[2]]);
  });
});
