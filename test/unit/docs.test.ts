import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDocs } from '../../scripts/gen-docs.js';
import { docDirectory } from '../../src/framework/docs.js';
import { TypeRegistry } from '../../src/framework/registry.js';
import { outscaleProvider } from '../../src/provider.js';

const root = join(import.meta.dirname, '..', '..');
const registry = new TypeRegistry(outscaleProvider);

describe('generated docs', () => {
  it.each(Object.entries(renderDocs()))('%s is up to date (npm run docs)', (file, text) => {
    const path = join(root, file);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it.each(registry.types().map((t) => [t.typeName, t] as const))('%s has a page documenting every attribute and block, with an example', (_name, t) => {
    const page = renderDocs()[`docs/${docDirectory(t.kind)}/${t.typeName.replace('outscale_', '')}.md`]!;
    expect(page).toBeDefined();
    for (const name of [...Object.keys(t.schema.block.attributes), ...Object.keys(t.schema.block.blocks ?? {})]) expect(page).toContain(`\`${name}\``);
    expect(page).toContain('```terraform');
  });
});

describe('declared schemas', () => {
  it('have no mistakes Terraform would reject', () => {
    expect(registry.problems()).toEqual([]);
  });
});
