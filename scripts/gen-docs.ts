// Writes docs/ (Terraform Registry layout) from templates/, the declarative schemas and examples/.
// `--check` exits 1 when the committed docs are stale (CI runs the same check as a test).

import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaMarkdown } from '../src/framework/docs.js';
import { providerBlock } from '../src/provider/schema.js';
import { imageBlock } from '../src/resources/image/schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function examplesMarkdown(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'main.tf')))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => {
      const title = d.name.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
      return `### ${title}\n\n\`\`\`terraform\n${readFileSync(join(dir, d.name, 'main.tf'), 'utf8').trim()}\n\`\`\``;
    })
    .join('\n\n');
}

export function renderDocs(): Record<string, string> {
  const fill = (template: string, values: Record<string, string>) =>
    readFileSync(join(root, 'templates', template), 'utf8').replace(/\{\{(\w+)\}\}/g, (_m, key: string) => values[key] ?? '');
  return {
    'docs/index.md': fill('index.md.tmpl', { schema: schemaMarkdown(providerBlock) }),
    'docs/resources/image.md': fill('resources/image.md.tmpl', {
      schema: schemaMarkdown(imageBlock, '###'),
      examples: examplesMarkdown(join(root, 'examples/resources/outscale_image')),
    }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const [file, text] of Object.entries(renderDocs())) {
    const path = join(root, file);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === text) continue;
    stale = true;
    if (check) console.error(`${file} is stale: run npm run docs`);
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      console.log(`wrote ${file}`);
    }
  }
  if (check && stale) process.exit(1);
}
