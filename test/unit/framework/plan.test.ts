import { describe, expect, it } from 'vitest';
import { planResourceChange, type PlanHook } from '../../../src/framework/plan.js';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { attribute, block, type } from '../../../src/framework/schema.js';
import { isUnknown, objectValue, UNKNOWN, type ObjectValue, type Value } from '../../../src/protocol/value.js';

const schema = {
  attributes: {
    id: attribute(type.string, { computed: true, useStateForUnknown: true }),
    status: attribute(type.string, { computed: true }),
    name: attribute(type.string, { required: true, requiresReplace: true }),
    note: attribute(type.string, { optional: true }),
    size: attribute(type.number, { optional: true, computed: true, requiresReplace: true }),
    mode: attribute(type.string, { optional: true, computed: true, default: 'fast' }),
    source: attribute(type.string, { optional: true, computed: true, requiresReplace: true }),
  },
  blocks: {
    tags: block('set', {
      attributes: {
        key: attribute(type.string, { required: true }),
        value: attribute(type.string, { optional: true, computed: true }),
      },
    }),
  },
};

const base = { id: null, status: null, name: null, note: null, size: null, mode: null, source: null, tags: [] } as Record<string, Value>;
const obj = (o: Record<string, Value>): ObjectValue => objectValue({ ...base, ...o });
const tag = (key: string, value: Value) => objectValue({ key, value });

async function plan(prior: ObjectValue | null, proposed: ObjectValue, config: ObjectValue, hook?: PlanHook) {
  const diags = new Diagnostics();
  const result = await planResourceChange(schema, { prior, proposed, config }, diags, hook);
  return { ...result, diags };
}

const stored = obj({ id: 'x-1', status: 'ok', name: 'a', note: 'n', size: 10, mode: 'fast', source: 's', tags: [tag('k', 'v')] });

describe('plan engine', () => {
  it('create: computed values the config leaves null are unknown, config values kept, defaults applied', async () => {
    const config = obj({ name: 'a', tags: [tag('k', null)] });
    const { planned, requiresReplace } = await plan(null, config, config);
    expect(isUnknown(planned.id)).toBe(true);
    expect(isUnknown(planned.status)).toBe(true);
    expect(isUnknown(planned.size)).toBe(true);
    expect(planned.mode).toBe('fast');
    expect(planned.name).toBe('a');
    expect(planned.note).toBeNull();
    expect(isUnknown((planned.tags as ObjectValue[])[0]!.value)).toBe(true);
    expect(requiresReplace).toEqual([]);
  });

  it('create: a configured value is never replaced by the default', async () => {
    const config = obj({ name: 'a', mode: 'slow' });
    const { planned } = await plan(null, config, config);
    expect(planned.mode).toBe('slow');
  });

  it('no change: the plan is the prior state exactly, with no unknowns', async () => {
    const config = obj({ name: 'a', note: 'n', tags: [tag('k', 'v')] });
    const { planned, requiresReplace } = await plan(stored, stored, config);
    expect(planned).toEqual(stored);
    expect(requiresReplace).toEqual([]);
  });

  it('in-place update: computed-only values become unknown unless kept from state; optional+computed keep state', async () => {
    const config = obj({ name: 'a', note: 'changed', tags: [tag('k', 'v')] });
    const proposed = obj({ ...stored, note: 'changed' });
    const { planned, requiresReplace } = await plan(stored, proposed, config);
    expect(planned.note).toBe('changed');
    expect(planned.id).toBe('x-1'); // useStateForUnknown
    expect(isUnknown(planned.status)).toBe(true); // computed-only: may change
    expect(planned.size).toBe(10); // optional+computed left to the API
    expect(planned.source).toBe('s');
    expect(requiresReplace).toEqual([]);
  });

  it('requires replace only for the flagged attribute whose value changed', async () => {
    const config = obj({ name: 'b', note: 'n', tags: [tag('k', 'v')] });
    const proposed = obj({ ...stored, name: 'b' });
    const { planned, requiresReplace } = await plan(stored, proposed, config);
    expect(requiresReplace).toEqual([[{ attribute: 'name' }]]);
    // a replacement gets new computed values, even those normally kept from state
    expect(isUnknown(planned.id)).toBe(true);
    expect(isUnknown(planned.size)).toBe(true);
    expect(planned.name).toBe('b');
  });

  it('a create-only input set where the state had none replaces: nothing says it is the same object', async () => {
    const withoutSource = obj({ ...stored, source: null });
    const config = obj({ name: 'a', note: 'n', source: 'new', tags: [tag('k', 'v')] });
    const proposed = obj({ ...withoutSource, source: 'new' });
    const { requiresReplace } = await plan(withoutSource, proposed, config);
    expect(requiresReplace).toEqual([[{ attribute: 'source' }]]);
  });

  it('a create-only input the resource adopts (after an import) is planned in place', async () => {
    const imported = obj({ ...stored, source: null });
    const config = obj({ name: 'a', note: 'n', source: 'new', tags: [tag('k', 'v')] });
    const proposed = obj({ ...imported, source: 'new' });
    const { planned, requiresReplace } = await plan(imported, proposed, config, (ctx) => {
      ctx.adoptedInPlace.add('source');
    });
    expect(requiresReplace).toEqual([]);
    expect(planned.source).toBe('new');
  });

  it('a change from one known value to another of a create-only input replaces', async () => {
    const config = obj({ name: 'a', note: 'n', source: 'other', tags: [tag('k', 'v')] });
    const proposed = obj({ ...stored, source: 'other' });
    const { requiresReplace } = await plan(stored, proposed, config);
    expect(requiresReplace).toEqual([[{ attribute: 'source' }]]);
  });

  it('an unknown configured value of a replace-on-change attribute replaces', async () => {
    const config = obj({ name: UNKNOWN, note: 'n', tags: [tag('k', 'v')] });
    const proposed = obj({ ...stored, name: UNKNOWN });
    const { requiresReplace } = await plan(stored, proposed, config);
    expect(requiresReplace).toEqual([[{ attribute: 'name' }]]);
  });

  it('a new tag without value plans an unknown value for it only', async () => {
    const config = obj({ name: 'a', note: 'n', tags: [tag('k', 'v'), tag('new', null)] });
    const proposed = obj({ ...stored, tags: [tag('k', 'v'), tag('new', null)] });
    const { planned } = await plan(stored, proposed, config);
    const tags = planned.tags as ObjectValue[];
    expect(tags[0]!.value).toBe('v');
    expect(isUnknown(tags[1]!.value)).toBe(true);
  });

  it('the resource hook runs after the generic rules and may ask for replacement', async () => {
    const config = obj({ name: 'a', note: 'other', tags: [tag('k', 'v')] });
    const proposed = obj({ ...stored, note: 'other' });
    const { planned, requiresReplace, diags } = await plan(stored, proposed, config, (ctx) => {
      expect(isUnknown(ctx.planned.status)).toBe(true);
      ctx.planned.status = 'ok';
      ctx.requiresReplace.push([{ attribute: 'note' }], [{ attribute: 'note' }]);
      ctx.diagnostics.warning('hook ran');
    });
    expect(requiresReplace).toEqual([[{ attribute: 'note' }]]);
    expect(diags.items.map((d) => d.summary)).toEqual(['hook ran']);
    expect(isUnknown(planned.status)).toBe(true); // replacement: computed values are new again
  });
});
