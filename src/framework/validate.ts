// Config validation driven by the schema: what Terraform core does not check itself (computed-only attributes set in
// config) plus each attribute's validators. Unknown values pass: they come from other resources.

import { pathToString, type AttributePath } from '../protocol/path.js';
import { isObjectValue, isUnknown, type ObjectValue, type Value } from '../protocol/value.js';
import type { Diagnostics } from './diagnostics.js';
import { isComputedOnly, type BlockSchema } from './schema.js';

/** `setPath`: inside a set element nothing can be addressed, so every diagnostic points at the set itself. */
export function validateBlock(schema: BlockSchema, value: Value, path: AttributePath, diags: Diagnostics, setPath?: AttributePath): void {
  if (!isObjectValue(value)) return;
  for (const [name, a] of Object.entries(schema.attributes)) {
    const v = value[name] ?? null;
    const at = setPath ?? [...path, { attribute: name }];
    if (isComputedOnly(a) && v !== null) {
      diags.error(
        'Invalid configuration',
        `"${name}" is read-only: it is filled in by the provider and cannot be set in the configuration.`,
        at,
      );
      continue;
    }
    if (a.required && v === null) {
      diags.error('Missing required argument', `The argument "${name}" is required.`, at);
      continue;
    }
    if (v === null || isUnknown(v)) continue;
    const before = diags.items.length;
    for (const validator of a.validators ?? []) validator.validate(v, at, diags);
    // Terraform cannot point into a set element, so the message itself names the attribute.
    if (setPath) nameAttributeInDetails(diags, before, `${pathToString(setPath)}.${name}`);
  }
  for (const [name, nb] of Object.entries(schema.blocks ?? {})) {
    const v = value[name] ?? null;
    const at = setPath ?? [...path, { attribute: name }];
    if (v === null || isUnknown(v)) continue;
    if (nb.nesting === 'single') {
      validateBlock(nb.block, v, at, diags, setPath);
      continue;
    }
    if (!Array.isArray(v)) continue;
    if (nb.minItems !== undefined && v.length < nb.minItems)
      diags.error('Too few blocks', `At least ${nb.minItems} "${name}" block(s) are required.`, at);
    if (nb.maxItems && v.length > nb.maxItems)
      diags.error('Too many blocks', `No more than ${nb.maxItems} "${name}" block(s) are allowed.`, at);
    v.forEach((el, i) =>
      nb.nesting === 'list' ? validateBlock(nb.block, el, [...at, { index: i }], diags, setPath) : validateBlock(nb.block, el, at, diags, at),
    );
  }
}

function nameAttributeInDetails(diags: Diagnostics, from: number, name: string): void {
  for (let i = from; i < diags.items.length; i++) {
    const d = diags.items[i]!;
    diags.items[i] = { ...d, detail: `${name}: ${d.detail}` };
  }
}

/** What a configurable thing (provider, resource, data source) has for validation. */
export interface Validatable {
  readonly schema: { readonly block: BlockSchema };
  validate?(config: ObjectValue, diagnostics: Diagnostics): void;
}

/** The schema's checks, then the definition's own cross-attribute checks. */
export function validateConfig(target: Validatable, config: ObjectValue | null, diags: Diagnostics): void {
  if (!config) return;
  validateBlock(target.schema.block, config, [], diags);
  target.validate?.(config, diags);
}
