import { describe, expect, it } from 'vitest';
import { validateBlock } from '../../../src/framework/validate.js';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { attribute, block, schemaProblems, type } from '../../../src/framework/schema.js';
import { lengthBetween, oneOf } from '../../../src/framework/validators.js';
import { objectValue, UNKNOWN } from '../../../src/protocol/value.js';
import { parseDuration } from '../../../src/framework/duration.js';

const schema = {
  attributes: {
    id: attribute(type.string, { computed: true }),
    name: attribute(type.string, { required: true, validators: [lengthBetween(3, 5)] }),
    kind: attribute(type.string, { optional: true, validators: [oneOf(['a', 'b'])] }),
  },
  blocks: {
    items: block('list', { attributes: { v: attribute(type.string, { optional: true, validators: [oneOf(['x'])] }) } }, { maxItems: 1 }),
  },
};

function check(value: Record<string, unknown>) {
  const diags = new Diagnostics();
  validateBlock(schema, objectValue({ id: null, name: null, kind: null, items: [], ...(value as object) }), [], diags);
  return diags.items;
}

describe('validateBlock', () => {
  it('rejects a read-only attribute set in config, with its path', () => {
    const [d] = check({ id: 'x', name: 'abc' });
    expect(d!.path).toEqual([{ attribute: 'id' }]);
    expect(d!.detail).toMatch(/read-only/);
  });
  it('runs validators on known values with the attribute path, nested list elements indexed', () => {
    const items = check({ name: 'toolong', kind: 'z', items: [objectValue({ v: 'y' }), objectValue({ v: 'x' })] });
    expect(items.map((d) => d.path)).toEqual([
      [{ attribute: 'name' }],
      [{ attribute: 'kind' }],
      [{ attribute: 'items' }],
      [{ attribute: 'items' }, { index: 0 }, { attribute: 'v' }],
    ]);
  });
  it('never rejects unknown values', () => {
    expect(check({ name: UNKNOWN, kind: UNKNOWN, items: UNKNOWN })).toEqual([]);
  });
  it('finds schema mistakes', () => {
    expect(schemaProblems({ attributes: { Bad: attribute(type.string, {}), d: attribute(type.string, { optional: true, default: 'x' }) } })).toEqual([
      'Bad: invalid name',
      'Bad: must be required, optional or computed',
      'Bad: no description',
      'd: a default needs computed',
      'd: no description',
    ]);
  });
  it('finds blocks and nested attributes without a description', () => {
    const described = attribute(type.string, { optional: true, description: 'Described.' });
    const bare = attribute(type.string, { optional: true });
    expect(
      schemaProblems({
        attributes: { a: described },
        blocks: {
          inner: block('list', { attributes: { x: bare } }),
          outer: block('single', { attributes: { y: described } }, { description: ' ' }),
          ok: block('set', { attributes: { z: described } }, { description: 'Tags.' }),
        },
      }),
    ).toEqual(['inner: no description', 'inner.x: no description', 'outer: no description']);
  });
});

describe('parseDuration', () => {
  it.each([
    ['40m', 2_400_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '40', 'm', '10 minutes', '-5m'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('diagnostics inside set blocks', () => {
  it('point at the set and name the attribute in the text', () => {
    const setSchema = {
      attributes: {},
      blocks: { tags: block('set', { attributes: { key: attribute(type.string, { required: true, validators: [lengthBetween(1, 3)] }) } }) },
    };
    const diags = new Diagnostics();
    validateBlock(setSchema, objectValue({ tags: [objectValue({ key: '' })] }), [], diags);
    expect(diags.items).toHaveLength(1);
    expect(diags.items[0]!.path).toEqual([{ attribute: 'tags' }]);
    expect(diags.items[0]!.detail).toMatch(/^tags\.key: Must be between 1 and 3/);
  });
});
