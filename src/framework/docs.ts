// Markdown reference of a schema (Terraform Registry style): arguments, read-only attributes and nested blocks.

import { typeName } from '../protocol/cty-type.js';
import type { AttributeSchema, BlockSchema } from './schema.js';

function kind(a: AttributeSchema): string {
  if (a.required) return 'Required';
  if (a.optional) return 'Optional';
  return 'Read-only';
}

function line(name: string, a: AttributeSchema): string {
  const flags = [typeName(a.type), a.sensitive ? 'sensitive' : '', a.requiresReplace ? 'forces replacement when changed' : '']
    .filter(Boolean)
    .join(', ');
  return `- \`${name}\` (${flags}) ${a.description ?? ''}`.trimEnd();
}

/** Argument and attribute reference of a block, nested blocks as sub-sections. */
export function schemaMarkdown(b: BlockSchema, heading = '##'): string {
  const entries = Object.entries(b.attributes).sort(([x], [y]) => x.localeCompare(y));
  const args = entries.filter(([, a]) => a.required || a.optional);
  const readOnly = entries.filter(([, a]) => !a.required && !a.optional);
  const out: string[] = [];
  const required = args.filter(([, a]) => a.required);
  const optional = args.filter(([, a]) => !a.required);
  if (required.length) out.push(`${heading} Required arguments`, '', ...required.map(([n, a]) => line(n, a)), '');
  if (optional.length || b.blocks)
    out.push(
      `${heading} Optional arguments`,
      '',
      ...optional.map(([n, a]) => line(n, a)),
      ...Object.entries(b.blocks ?? {}).map(
        ([n, nb]) => `- \`${n}\` (block, ${nb.nesting === 'single' ? 'at most one' : nb.nesting === 'set' ? 'repeatable, a set' : 'repeatable'}) ${nb.description ?? ''} See [below](#nested-schema-for-${n}).`,
      ),
      '',
    );
  if (readOnly.length) out.push(`${heading} Attribute reference`, '', 'In addition to the arguments above:', '', ...readOnly.map(([n, a]) => line(n, a)), '');
  for (const [n, nb] of Object.entries(b.blocks ?? {})) {
    out.push(`<a id="nested-schema-for-${n}"></a>`, `${heading}# Nested schema for \`${n}\``, '');
    for (const [an, a] of Object.entries(nb.block.attributes)) out.push(`- \`${an}\` (${kind(a)}, ${typeName(a.type)}) ${a.description ?? ''}`.trimEnd());
    out.push('');
  }
  return out.join('\n');
}

/** The Registry's folder for a kind of type (docs/resources, docs/data-sources; the same under templates/, examples/). */
export function docDirectory(kind: 'resource' | 'data-source'): 'resources' | 'data-sources' {
  return kind === 'resource' ? 'resources' : 'data-sources';
}
