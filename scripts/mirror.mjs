#!/usr/bin/env node
// A provider network mirror (Terraform's provider network mirror protocol) of this release, in DIR:
//
//   DIR/registry.terraform.io/outscale/outscale/index.json      {"versions": {"VERSION": {}, …}}
//   DIR/registry.terraform.io/outscale/outscale/VERSION.json    {"archives": {"OS_ARCH": {"url": "<zip>", "hashes": ["zh:…"]}}}
//   DIR/registry.terraform.io/outscale/outscale/<zip>           the release zips
//
// Serve DIR over HTTPS at any base URL and point Terraform at it:
//   provider_installation { network_mirror { url = "https://mirror.example/" } }
// Versions already in DIR stay listed. The zips come from --from RELEASE_DIR (checked against its SHA256SUMS) or
// from a fresh `scripts/release.mjs` build.
//
//   node scripts/mirror.mjs DIR [--from RELEASE_DIR] [--no-sea]     (npm run mirror -- DIR builds first)

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PLATFORMS, PROVIDER_TYPE, buildRelease, packageVersion, sha256 } from './release.mjs';

export const MIRROR_PROVIDER_PATH = join('registry.terraform.io', 'outscale', PROVIDER_TYPE);

function readSums(releaseDir, prefix) {
  const file = join(releaseDir, `${prefix}_SHA256SUMS`);
  if (!existsSync(file)) throw new Error(`${file} is missing: is ${releaseDir} a release directory of this version?`);
  return new Map(
    readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => {
        const [hash, name] = line.split(/ {2}/);
        return [name, hash];
      }),
  );
}

/** Writes (or adds this version to) the mirror in `dir`; returns the provider directory inside it. */
export async function writeMirror({ dir, from, sea = true, log = console.log }) {
  const version = packageVersion();
  const prefix = `terraform-provider-${PROVIDER_TYPE}_${version}`;
  let releaseDir = from;
  let temporary;
  if (releaseDir === undefined) {
    temporary = mkdtempSync(join(tmpdir(), 'outscale-mirror-'));
    releaseDir = join(temporary, 'release');
    await buildRelease({ outDir: releaseDir, sea, log });
  }
  try {
    const sums = readSums(releaseDir, prefix);
    const providerDir = join(dir, MIRROR_PROVIDER_PATH);
    mkdirSync(providerDir, { recursive: true });
    const archives = {};
    for (const platform of PLATFORMS) {
      const zipName = `${prefix}_${platform}.zip`;
      const hash = sha256(readFileSync(join(releaseDir, zipName)));
      if (sums.get(zipName) !== hash) throw new Error(`${zipName} does not match ${prefix}_SHA256SUMS`);
      copyFileSync(join(releaseDir, zipName), join(providerDir, zipName));
      archives[platform] = { url: zipName, hashes: [`zh:${hash}`] };
    }
    writeFileSync(join(providerDir, `${version}.json`), `${JSON.stringify({ archives }, null, 2)}\n`);
    const indexFile = join(providerDir, 'index.json');
    const versions = existsSync(indexFile) ? (JSON.parse(readFileSync(indexFile, 'utf8')).versions ?? {}) : {};
    versions[version] = {};
    writeFileSync(indexFile, `${JSON.stringify({ versions }, null, 2)}\n`);
    log(`mirror of outscale/outscale ${version} (${PLATFORMS.join(', ')}) in ${providerDir}`);
    return providerDir;
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

async function main() {
  const args = process.argv.slice(2);
  const options = {};
  const usage = 'usage: node scripts/mirror.mjs DIR [--from RELEASE_DIR] [--no-sea]';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--from') options.from = resolve(args[++i] ?? '');
    else if (args[i] === '--no-sea') options.sea = false;
    else if (!args[i].startsWith('-') && options.dir === undefined) options.dir = resolve(args[i]);
    else throw new Error(`unknown argument ${args[i]} (${usage})`);
  }
  if (options.dir === undefined) throw new Error(usage);
  await writeMirror(options);
}

main().catch((error) => {
  console.error(`mirror: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
