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
