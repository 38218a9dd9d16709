// Declarative schema → tfplugin6 Schema message (proto-loader object shape).

import { typeToJSON } from '../protocol/cty-type.js';
import type { AttributeSchema, BlockSchema, NestedBlockSchema, ResourceSchema } from './schema.js';

const NESTING = { single: 1, list: 2, set: 3 } as const;
const MARKDOWN = 1;

function attributeToProto(name: string, a: AttributeSchema): Record<string, unknown> {
  return {
    name,
    type: Buffer.from(JSON.stringify(typeToJSON(a.type))),
    description: describe(a),
    description_kind: MARKDOWN,
    required: !!a.required,
    optional: !!a.optional,
    computed: !!a.computed,
    sensitive: !!a.sensitive,
    deprecated: !!a.deprecated,
  };
}

function describe(a: AttributeSchema): string {
  return a.deprecated ? `${a.description ?? ''} Deprecated: ${a.deprecated}`.trim() : (a.description ?? '');
}

/** `description` stands in for a nested block's own: Terraform reads a block's description from its inner block. */
function blockToProto(b: BlockSchema, description = b.description): Record<string, unknown> {
  return {
    version: 0,
    attributes: Object.entries(b.attributes)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([n, a]) => attributeToProto(n, a)),
    block_types: Object.entries(b.blocks ?? {})
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([n, nb]) => nestedBlockToProto(n, nb)),
    description: description ?? '',
    description_kind: MARKDOWN,
    deprecated: false,
  };
}

function nestedBlockToProto(name: string, nb: NestedBlockSchema): Record<string, unknown> {
  const single = nb.nesting === 'single';
  return {
    type_name: name,
    block: blockToProto(nb.block, nb.block.description ?? nb.description),
    nesting: NESTING[nb.nesting],
    min_items: single ? 0 : (nb.minItems ?? 0),
    max_items: single ? 0 : (nb.maxItems ?? 0),
  };
}

export function schemaToProto(s: ResourceSchema): Record<string, unknown> {
  return { version: s.version, block: blockToProto(s.block) };
}
