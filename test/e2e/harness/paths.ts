import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const repoPaths = {
  root: repoRoot,
  binDir: resolve(repoRoot, 'bin'),
  providerBinary: resolve(repoRoot, 'bin', 'terraform-provider-outscale'),
  /** gitignored scratch space */
  tmpDir: resolve(repoRoot, 'tmp'),
};

export const PROVIDER_ADDRESS = 'registry.terraform.io/outscale/outscale';
