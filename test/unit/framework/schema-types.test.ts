// The TS model types derived from a declarative schema (checked by `tsc` in `npm test`), and their runtime twin.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { attribute, block, impliedType, type, type Model } from '../../../src/framework/schema.js';
import { typeToJSON } from '../../../src/protocol/cty-type.js';
import type { ImageModel } from '../../../src/resources/image/schema.js';

const example = {
  attributes: {
    name: attribute(type.string, { required: true }),
    sizes: attribute(type.list(type.number), { computed: true }),
    disks: attribute(type.list(type.object({ size: type.number, tags: type.set(type.string) })), { optional: true }),
  },
  blocks: {
    timeouts: block('single', { attributes: { create: attribute(type.string, { optional: true }) } }),
    tags: block('set', { attributes: { key: attribute(type.string, { required: true }) } }),
  },
};

describe('schema-derived model types', () => {
  it('map attributes and blocks to TS types with explicit nulls', () => {
    type M = Model<typeof example>;
    expectTypeOf<M['name']>().toEqualTypeOf<string | null>();
    expectTypeOf<M['sizes']>().toEqualTypeOf<Array<number | null> | null>();
    expectTypeOf<M['disks']>().toEqualTypeOf<Array<{ size: number | null; tags: Array<string | null> | null } | null> | null>();
    expectTypeOf<M['timeouts']>().toEqualTypeOf<{ create: string | null } | null>();
    expectTypeOf<M['tags']>().toEqualTypeOf<Array<{ key: string | null }>>();
    expectTypeOf<ImageModel['block_device_mappings']>().not.toBeAny();
    expectTypeOf<ImageModel['tags']>().toEqualTypeOf<Array<{ key: string | null; value: string | null }>>();
  });

  it('the same schema implies the cty object type Terraform sees', () => {
    expect(typeToJSON(impliedType(example))).toEqual([
      'object',
      {
        disks: ['list', ['object', { size: 'number', tags: ['set', 'string'] }, ['size', 'tags']]],
        name: 'string',
        sizes: ['list', 'number'],
        tags: ['set', ['object', { key: 'string' }]],
        timeouts: ['object', { create: 'string' }],
      },
    ]);
  });
});
