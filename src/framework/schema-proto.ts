// Declarative schema → tfplugin6 Schema message.

import { typeToJSON } from '../protocol/cty-type.js';
import { BlockNesting, StringKind, type Schema } from '../protocol/messages.js';
import type { AttributeSchema, BlockSchema, NestedBlockSchema, ResourceSchema } from './schema.js';

const NESTING = { single: BlockNesting.SINGLE, list: BlockNesting.LIST, set: BlockNesting.SET } as const;

function attributeToProto(name: string, a: AttributeSchema): Schema.Attribute {
  return {
    name,
    type: Buffer.from(JSON.stringify(typeToJSON(a.type))),
    description: describe(a),
    description_kind: StringKind.MARKDOWN,
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
function blockToProto(b: BlockSchema, description = b.description): Schema.Block {
  return {
    version: 0,
    attributes: Object.entries(b.attributes)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([n, a]) => attributeToProto(n, a)),
    block_types: Object.entries(b.blocks ?? {})
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([n, nb]) => nestedBlockToProto(n, nb)),
    description: description ?? '',
    description_kind: StringKind.MARKDOWN,
    deprecated: false,
  };
}

function nestedBlockToProto(name: string, nb: NestedBlockSchema): Schema.NestedBlock {
  const single = nb.nesting === 'single';
  return {
    type_name: name,
    block: blockToProto(nb.block, nb.block.description ?? nb.description),
    nesting: NESTING[nb.nesting],
    min_items: single ? 0 : (nb.minItems ?? 0),
    max_items: single ? 0 : (nb.maxItems ?? 0),
  };
}

export function schemaToProto(s: ResourceSchema): Schema {
  return { version: s.version, block: blockToProto(s.block) };
}
