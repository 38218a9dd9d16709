// Writes docs/ (Terraform Registry layout) for the provider and every registered type, from templates/, the
// declarative schemas and examples/. A type needs no entry here: registering it in src/provider.ts is enough.
//   docs/resources/<name>.md     templates/resources/<name>.md.tmpl, else templates/resource.md.tmpl
//   docs/data-sources/<name>.md  templates/data-sources/<name>.md.tmpl, else templates/data-source.md.tmpl
// where <name> is the type name without "outscale_"; examples come from examples/<kind>/<type name>/*/main.tf.
// Placeholders: {{type_name}}, {{description}}, {{schema}}, {{examples}}.
// `--check` exits 1 when the committed docs are stale (CI runs the same check as a test).

import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docDirectory, schemaMarkdown } from '../src/framework/docs.js';
import { TypeRegistry } from '../src/framework/registry.js';
import { outscaleProvider } from '../src/provider.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function exampleMarkdown(title: string, file: string): string {
  return `### ${title}\n\n\`\`\`terraform\n${readFileSync(file, 'utf8').trim()}\n\`\`\``;
}

/** examples/<kind>/<type>/main.tf (one untitled example) and examples/<kind>/<type>/<example>/main.tf. */
function examplesMarkdown(dir: string): string {
  if (!existsSync(dir)) return '';
  const own = existsSync(join(dir, 'main.tf')) ? [exampleMarkdown('Example', join(dir, 'main.tf'))] : [];
  const sub = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'main.tf')))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => exampleMarkdown(d.name.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()), join(dir, d.name, 'main.tf')));
  return [...own, ...sub].join('\n\n');
}

function fill(template: string, values: Record<string, string>): string {
  return readFileSync(join(root, 'templates', template), 'utf8').replace(/\{\{(\w+)\}\}/g, (_m, key: string) => values[key] ?? '');
}

export function renderDocs(): Record<string, string> {
  const registry = new TypeRegistry(outscaleProvider);
  const pages: Record<string, string> = {
    'docs/index.md': fill('index.md.tmpl', { schema: schemaMarkdown(outscaleProvider.schema.block) }),
  };
  for (const t of registry.types()) {
    const dir = docDirectory(t.kind);
    const name = t.typeName.replace(`${outscaleProvider.typeName}_`, '');
    const own = `${dir}/${name}.md.tmpl`;
    const template = existsSync(join(root, 'templates', own)) ? own : `${t.kind}.md.tmpl`;
    pages[`docs/${dir}/${name}.md`] = fill(template, {
      type_name: t.typeName,
      description: t.schema.block.description ?? '',
      schema: schemaMarkdown(t.schema.block, '###'),
      examples: examplesMarkdown(join(root, 'examples', dir, t.typeName)),
    });
  }
  return pages;
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
