// Editors and the registry show the descriptions of `terraform providers schema -json`: every block and attribute of
// the provider and of every resource must have one, nested blocks included.
import { expect, it } from 'vitest';
import { describeE2e, PROVIDER_ADDRESS, providerBlock, workspaceForTest } from './harness/index.js';

interface JsonBlock {
  description?: string;
  attributes?: Record<string, { description?: string }>;
  block_types?: Record<string, { block: JsonBlock }>;
}

interface SchemaJson {
  provider_schemas?: Record<string, { provider: { block: JsonBlock }; resource_schemas?: Record<string, { block: JsonBlock }> }>;
}

/** Paths (e.g. `outscale_image.tags.key`) whose description is missing or blank. */
function undescribed(block: JsonBlock, at: string): string[] {
  const missing = (block.description ?? '').trim() === '' ? [at] : [];
  for (const [name, a] of Object.entries(block.attributes ?? {}))
    if ((a.description ?? '').trim() === '') missing.push(`${at}.${name}`);
  for (const [name, nested] of Object.entries(block.block_types ?? {})) missing.push(...undescribed(nested.block, `${at}.${name}`));
  return missing;
}

describeE2e(
  'schema descriptions',
  () => {
    it('every block and attribute of the provider and of every resource has a description', async () => {
      const tf = await workspaceForTest({ config: providerBlock() });
      const schema = JSON.parse((await tf.run(['providers', 'schema', '-json'])).stdout) as SchemaJson;
      const ours = schema.provider_schemas?.[PROVIDER_ADDRESS];
      expect(ours).toBeDefined();
      const resources = Object.entries(ours!.resource_schemas ?? {});
      expect(resources.map(([name]) => name)).toContain('outscale_image');
      const missing = [
        ...undescribed(ours!.provider.block, 'provider'),
        ...resources.flatMap(([name, r]) => undescribed(r.block, name)),
      ];
      expect(missing).toEqual([]);
    }, 120_000);
  },
  { needsProvider: true },
);
