#!/usr/bin/env node
// Registry-shaped release artifacts in release/ (`npm run release`, which builds first):
//
//   terraform-provider-outscale_VERSION_OS_ARCH.zip   linux and darwin × amd64 and arm64, each holding one
//                                                      executable, terraform-provider-outscale_vVERSION
//   terraform-provider-outscale_VERSION_SHA256SUMS     "<sha256>  <file>" for every zip and the manifest
//   terraform-provider-outscale_VERSION_SHA256SUMS.sig detached GPG signature (when RELEASE_GPG_KEY is set, see
//                                                      release/sign.mjs), with the public key in
//   terraform-provider-outscale_VERSION_signing-key.asc
//   terraform-provider-outscale_VERSION_manifest.json  copy of terraform-registry-manifest.json (protocol 6.0)
//   RELEASE_NOTES.md                                   this version's CHANGELOG.md section and what each zip holds
//
// linux_amd64, linux_arm64 and darwin_amd64 hold a Node single-executable application (no Node needed where
// Terraform runs; see release/sea.mjs), made from the Node 20 binaries of the npm registry (release/node-binaries.mjs).
// darwin_arm64 holds the JavaScript executable, which needs Node.js >= 20 on PATH: the registry has no Node 20 for
// darwin-arm64, and arm64 macOS code must be signed, which cannot be done here. --no-sea gives the JavaScript
// executable to every platform (quick builds).
//
//   node scripts/release.mjs [--out DIR] [--no-sea] [--node-version 20.x.y]
//
// Also exports buildStandaloneProvider(), used by scripts/install-provider.mjs.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_PACKAGES, chooseNodeVersion, nodeBinary } from './release/node-binaries.mjs';
import { injectSea, seaBlob } from './release/sea.mjs';
import { signSums, signingKeyFromEnv } from './release/sign.mjs';
import { zipArchive } from './release/zip.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PROVIDER_TYPE = 'outscale';
export const PLATFORMS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64'];
const DESCRIPTORS = join(REPO_ROOT, 'src/protocol/generated/descriptors.json');
const MANIFEST = join(REPO_ROOT, 'terraform-registry-manifest.json');

export function packageVersion() {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version;
}

/** Terraform's name for the platform Node runs on (linux_amd64, darwin_arm64…). */
export function currentPlatform() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows', freebsd: 'freebsd', openbsd: 'openbsd' }[process.platform];
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch];
  if (!os || !arch) throw new Error(`unsupported platform ${process.platform}/${process.arch}`);
  return `${os}_${arch}`;
}

export function executableName(version) {
  return `terraform-provider-${PROVIDER_TYPE}_v${version}`;
}

// The executable is a `sh` script whose second line hands the file itself to `node -e`, which compiles the rest as
// CommonJS: `node FILE` would not do, since Node treats a file named *_v1.2.3 as an ES module with an unknown
// extension ".3" when a package.json with "type": "module" sits above the directory Terraform unpacks it into.
// For JavaScript the first two lines are a comment (the loader turns `#!` into `//`) and a string then a comment.
// Like bin/terraform-provider-outscale (see scripts/build.mjs), the loader uses a V8 code cache, kept in
// $XDG_CACHE_HOME (or ~/.cache)/terraform-provider-outscale/ under the bundle's hash and the node version, written
// by the first launch as a plugin (no arguments) that finds none (temp file + rename; a failure means no cache;
// no recursive mkdir: on some file systems, such as /proc, Node 20's hangs).
const loader = (hash) =>
  [
    'var fs=require("fs"),vm=require("vm"),p=require("path"),f=fs.realpathSync(process.argv[1]),b,',
    'c=p.join(process.env.XDG_CACHE_HOME||p.join(require("os").homedir(),".cache"),"terraform-provider-outscale",',
    `"${hash}-"+process.version+"-"+process.arch+".v8cache");try{b=fs.readFileSync(c)}catch(e){}`,
    'var s=new vm.Script("(function(exports,require,module,__filename,__dirname){//"+fs.readFileSync(f,"utf8").slice(2)+"\\n})",',
    '{filename:f,cachedData:b}),m={exports:{}};',
    'if((!b||s.cachedDataRejected)&&process.argv.length<3)process.once("exit",function(){try{[p.dirname(p.dirname(c)),p.dirname(c)].forEach(function(d){try{fs.mkdirSync(d)}catch(e){}});',
    'var t=c+"."+process.pid;fs.writeFileSync(t,s.createCachedData());fs.renameSync(t,c)}catch(e){}});',
    's.runInThisContext()(m.exports,require,m,f,p.dirname(f))',
  ].join('');
const standalonePrologue = (version, hash) =>
  [
    '#!/bin/sh',
    `':' //; exec node -e '${loader(hash)}' "$0" "$@"`,
    `// terraform-provider-outscale ${version} — Terraform provider for the OUTSCALE cloud. Needs Node.js >= 20 on PATH.`,
  ].join('\n');

/**
 * The provider as one self-contained JavaScript text (all dependencies bundled; only Node built-ins required).
 * kind 'executable': shebang file for `node` on PATH; kind 'sea': plain CommonJS for a single-executable application.
 */
export async function buildStandaloneProvider({ version = packageVersion(), kind = 'executable' } = {}) {
  if (!existsSync(DESCRIPTORS)) throw new Error(`${DESCRIPTORS} is missing: run \`npm run build\` first`);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(REPO_ROOT, 'src/main.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  return kind === 'sea' ? code : `${standalonePrologue(version, sha256(code).slice(0, 16))}\n${code}`;
}

export function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

const SEA_PLATFORMS = Object.keys(NODE_PACKAGES);

/** This version's section of CHANGELOG.md (from its heading to the next version heading). */
export function changelogSection(version) {
  const text = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
  const start = text.search(new RegExp(`^## \\[${version.replaceAll('.', '\\.')}\\]`, 'm'));
  if (start < 0) throw new Error(`CHANGELOG.md has no section for ${version}`);
  const next = text.slice(start + 1).search(/^## \[/m);
  return text.slice(start, next < 0 ? undefined : start + 1 + next).trim();
}

/** The SEA executables of `platforms`, built side by side; returns platform → bytes. */
async function buildSeas(version, platforms, nodeVersion, log) {
  const postject = join(REPO_ROOT, 'node_modules/postject/dist/cli.js');
  if (!existsSync(postject)) throw new Error('the postject package is missing: npm ci');
  const workDir = mkdtempSync(join(tmpdir(), 'outscale-sea-'));
  try {
    const chosen = chooseNodeVersion(platforms, nodeVersion);
    const nodes = Object.fromEntries(platforms.map((platform) => [platform, nodeBinary(platform, chosen, log)]));
    const bundle = await buildStandaloneProvider({ version, kind: 'sea' });
    // The blob format belongs to the node version: made by the embedded node itself when it runs here.
    const host = currentPlatform();
    const blobNode = chosen === process.versions.node || !nodes[host] ? process.execPath : nodes[host];
    const blob = await seaBlob({ node: blobNode, bundle, hash: sha256(bundle).slice(0, 16), workDir });
    const binaries = await Promise.all(
      platforms.map((platform) =>
        injectSea({ platform, node: nodes[platform], blob, output: join(workDir, `provider-${platform}`), postject }),
      ),
    );
    return { nodeVersion: chosen, binaries: Object.fromEntries(platforms.map((platform, i) => [platform, binaries[i]])) };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Writes the artifacts into outDir; returns their file names (zips, manifest, SHA256SUMS, signature, key). */
export async function buildRelease({
  outDir = join(REPO_ROOT, 'release'),
  sea = true,
  nodeVersion,
  signing = signingKeyFromEnv(),
  log = console.log,
} = {}) {
  const started = Date.now();
  const version = packageVersion();
  const prefix = `terraform-provider-${PROVIDER_TYPE}_${version}`;
  if (!existsSync(MANIFEST)) throw new Error(`${MANIFEST} is missing`);
  const notes = changelogSection(version);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const script = Buffer.from(await buildStandaloneProvider({ version }));
  const seas = sea ? await buildSeas(version, SEA_PLATFORMS, nodeVersion, log) : { binaries: {} };
  if (sea) log(`single executables built in ${Date.now() - started} ms`);
  const contents = [];
  const checksums = [];
  const zips = await Promise.all(
    PLATFORMS.map((platform) =>
      zipArchive([{ name: executableName(version), data: seas.binaries[platform] ?? script, mode: 0o755 }]),
    ),
  );
  PLATFORMS.forEach((platform, i) => {
    const zipName = `${prefix}_${platform}.zip`;
    writeFileSync(join(outDir, zipName), zips[i]);
    checksums.push([zipName, sha256(zips[i])]);
    const holds = seas.binaries[platform]
      ? `single executable with Node.js ${seas.nodeVersion} embedded`
      : 'JavaScript executable: needs Node.js >= 20 on PATH';
    contents.push(`| ${platform} | ${holds} |`);
    log(`${zipName}  ${(zips[i].length / 1024 / 1024).toFixed(1)} MiB  (${holds})`);
  });
  const manifestName = `${prefix}_manifest.json`;
  const manifest = readFileSync(MANIFEST);
  writeFileSync(join(outDir, manifestName), manifest);
  checksums.push([manifestName, sha256(manifest)]);

  const sumsName = `${prefix}_SHA256SUMS`;
  checksums.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  writeFileSync(join(outDir, sumsName), checksums.map(([name, hash]) => `${hash}  ${name}\n`).join(''));
  const files = [...checksums.map(([name]) => name), sumsName];
  if (signing) {
    const keyName = `${prefix}_signing-key.asc`;
    signSums({ sums: join(outDir, sumsName), publicKeyFile: join(outDir, keyName), ...signing });
    files.push(`${sumsName}.sig`, keyName);
    log(`${sumsName}.sig signed with ${signing.key}; public key in ${keyName}`);
  } else {
    log(`${sumsName} is not signed: set RELEASE_GPG_KEY (and GNUPGHOME) to sign it`);
  }
  writeFileSync(
    join(outDir, 'RELEASE_NOTES.md'),
    `${notes}\n\n### Downloads\n\n| platform | the zip holds |\n|---|---|\n${contents.join('\n')}\n\n` +
      'darwin_arm64 keeps the JavaScript executable: the npm registry has no Node 20 build for darwin-arm64 and ' +
      'arm64 code on macOS must carry a valid signature, which this build cannot make. The darwin_amd64 executable ' +
      'is unsigned (macOS runs unsigned x86_64 code, also under Rosetta 2).\n',
  );
  log(`release ${version} in ${Date.now() - started} ms`);
  return { version, outDir, files, nodeVersion: seas.nodeVersion };
}

function invokedDirectly() {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

async function main() {
  const args = process.argv.slice(2);
  const options = {};
  const usage = 'usage: node scripts/release.mjs [--out DIR] [--no-sea] [--node-version 20.x.y]';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--no-sea') options.sea = false;
    else if (args[i] === '--out') options.outDir = resolve(args[++i] ?? '');
    else if (args[i] === '--node-version') options.nodeVersion = args[++i];
    else throw new Error(`unknown argument ${args[i]} (${usage})`);
  }
  const { outDir } = await buildRelease(options);
  console.log(`release artifacts in ${outDir} (${basename(outDir)}/)`);
}

if (invokedDirectly()) {
  main().catch((error) => {
    console.error(`release: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
