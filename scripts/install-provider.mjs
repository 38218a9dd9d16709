#!/usr/bin/env node
// Installs the provider into Terraform's implied local filesystem mirror (`npm run install-provider`, which builds
// first), so that a plain `terraform init` finds outscale/outscale there — offline, no dev_overrides — and records it
// in .terraform.lock.hcl:
//
//   ~/.terraform.d/plugins/registry.terraform.io/outscale/outscale/VERSION/OS_ARCH/terraform-provider-outscale_vVERSION
//
// The installed file is self-contained (the whole provider in one file; it needs Node.js >= 20 on PATH, not this
// checkout). VERSION comes from package.json. Configurations may pin it: `version = "VERSION"`.
//
//   node scripts/install-provider.mjs [--plugins-dir DIR]   (default ~/.terraform.d/plugins)

import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildStandaloneProvider, currentPlatform, executableName, packageVersion } from './release.mjs';

export const PROVIDER_HOST_PATH = join('registry.terraform.io', 'outscale', 'outscale');

/** Terraform's per-user implied mirror directory on Unix-like systems. */
export function defaultPluginsDir() {
  if (process.platform === 'win32') {
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'terraform.d', 'plugins');
  }
  return join(process.env.HOME || homedir(), '.terraform.d', 'plugins');
}

/** Builds and installs; returns the installed executable's path. */
export async function installProvider({ pluginsDir = defaultPluginsDir(), platform = currentPlatform() } = {}) {
  if (platform.startsWith('windows_')) {
    throw new Error('Windows is not supported: the installed provider is a sh script running node');
  }
  const version = packageVersion();
  const dir = join(pluginsDir, PROVIDER_HOST_PATH, version, platform);
  // A clean directory: Terraform hashes the whole package directory into the lock file.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, executableName(version));
  writeFileSync(file, await buildStandaloneProvider({ version }));
  chmodSync(file, 0o755);
  return file;
}

async function main() {
  const args = process.argv.slice(2);
  const options = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--plugins-dir') options.pluginsDir = resolve(args[++i] ?? '');
    else throw new Error(`unknown argument ${args[i]} (usage: node scripts/install-provider.mjs [--plugins-dir DIR])`);
  }
  const file = await installProvider(options);
  const version = packageVersion();
  console.log(`installed ${file}`);
  console.log('It needs Node.js >= 20 on PATH. Use it from any configuration with a plain `terraform init`:');
  console.log(`  terraform {\n    required_providers {\n      outscale = { source = "outscale/outscale", version = "${version}" }\n    }\n  }`);
  console.log('(remove any dev_overrides for outscale/outscale from your Terraform CLI configuration first)');
}

main().catch((error) => {
  console.error(`install-provider: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
