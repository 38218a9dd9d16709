import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDocs } from '../../scripts/gen-docs.js';
import { imageBlock } from '../../src/resources/image/schema.js';
import { providerBlock } from '../../src/provider/schema.js';
import { schemaProblems } from '../../src/framework/schema.js';

const root = join(import.meta.dirname, '..', '..');

describe('generated docs', () => {
  it.each(Object.entries(renderDocs()))('%s is up to date (npm run docs)', (file, text) => {
    const path = join(root, file);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('documents every attribute of outscale_image', () => {
    const page = renderDocs()['docs/resources/image.md']!;
    for (const name of Object.keys(imageBlock.attributes)) expect(page).toContain(`\`${name}\``);
  });
});

describe('declared schemas', () => {
  it('have no mistakes Terraform would reject', () => {
    expect(schemaProblems(imageBlock)).toEqual([]);
    expect(schemaProblems(providerBlock)).toEqual([]);
  });
});
