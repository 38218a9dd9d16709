#!/usr/bin/env node
// Registry-shaped release artifacts in release/ (`npm run release`, which builds first):
//
//   terraform-provider-outscale_VERSION_OS_ARCH.zip   for linux and darwin × amd64 and arm64, each holding one
//                                                      executable, terraform-provider-outscale_vVERSION
//   terraform-provider-outscale_VERSION_SHA256SUMS     "<sha256>  <file>" for every zip and the manifest
//   terraform-provider-outscale_VERSION_manifest.json  copy of terraform-registry-manifest.json (protocol 6.0)
//
// The executable is the whole provider in one JavaScript file behind a two-line `sh` header: it needs Node.js >= 20
// on PATH wherever Terraform runs, and works on every OS/architecture Node runs on (the four zips hold the same
// file). With --sea, the zip of the platform this runs on holds a Node single-executable application instead (no
// Node needed at run time; ~100 MB; needs the `postject` package): a SEA can only be made from the running node
// binary, so the other platforms keep the JavaScript executable. Signing the SHA256SUMS (GPG) is left to the
// publisher.
//
//   node scripts/release.mjs [--out DIR] [--sea]
//
// Also exports buildStandaloneProvider(), used by scripts/install-provider.mjs.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

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
    define: { __PROVIDER_VERSION__: JSON.stringify(version) },
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  return kind === 'sea' ? code : `${standalonePrologue(version, sha256(code).slice(0, 16))}\n${code}`;
}

// ---- zip (stored entries deflated with node:zlib; CRC-32 by table) ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function dosDateTime(date) {
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  return { time, day };
}

/**
 * A zip archive of `entries` ({ name, data: Buffer, mode }) with Unix permissions (Terraform keeps the executable
 * bit when it unpacks a provider). Fixed timestamps make it reproducible.
 */
export function zipArchive(entries, date = new Date(Date.UTC(2020, 0, 1))) {
  const { time, day } = dosDateTime(date);
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, spec 2.0: external attributes hold the Unix mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(day, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | (entry.mode ?? 0o644)) << 16) >>> 0, 38); // regular file + permissions
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

// ---- single-executable application (current platform only) ----

function resolvePostject() {
  const candidates = [join(REPO_ROOT, 'node_modules/postject/dist/cli.js')];
  return candidates.find((file) => existsSync(file));
}

/** A Node SEA of the provider for the platform this runs on, built from the running node binary. */
async function buildSea(version, workDir) {
  const postject = resolvePostject();
  if (!postject) throw new Error('--sea needs the postject package: npm install --save-dev postject');
  const script = join(workDir, 'provider-sea.cjs');
  writeFileSync(script, await buildStandaloneProvider({ version, kind: 'sea' }));
  const blob = join(workDir, 'sea-prep.blob');
  const config = join(workDir, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
  const binary = join(workDir, executableName(version));
  copyFileSync(realpathSync(process.execPath), binary);
  chmodSync(binary, 0o755);
  const args = [postject, binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'];
  if (process.platform === 'darwin') args.push('--macho-segment-name', 'NODE_SEA');
  execFileSync(process.execPath, args, { stdio: 'inherit' });
  if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', binary], { stdio: 'inherit' });
  return readFileSync(binary);
}

export function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes the artifacts into outDir; returns their file names (zips, SHA256SUMS, manifest). */
export async function buildRelease({ outDir = join(REPO_ROOT, 'release'), sea = false, log = console.log } = {}) {
  const version = packageVersion();
  const prefix = `terraform-provider-${PROVIDER_TYPE}_${version}`;
  if (!existsSync(MANIFEST)) throw new Error(`${MANIFEST} is missing`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const script = Buffer.from(await buildStandaloneProvider({ version }));
  let seaBinary;
  let seaPlatform;
  if (sea) {
    const workDir = join(tmpdir(), `outscale-sea-${process.pid}`);
    mkdirSync(workDir, { recursive: true });
    try {
      seaPlatform = currentPlatform();
      seaBinary = await buildSea(version, workDir);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }

  const checksums = [];
  for (const platform of PLATFORMS) {
    const isSea = seaBinary !== undefined && platform === seaPlatform;
    const data = isSea ? seaBinary : script;
    const zipName = `${prefix}_${platform}.zip`;
    const zip = zipArchive([{ name: executableName(version), data, mode: 0o755 }]);
    writeFileSync(join(outDir, zipName), zip);
    checksums.push([zipName, sha256(zip)]);
    log(`${zipName}  ${(zip.length / 1024).toFixed(0)} KiB  (${isSea ? 'single-executable application' : 'JavaScript executable, needs node >= 20'})`);
  }
  const manifestName = `${prefix}_manifest.json`;
  const manifest = readFileSync(MANIFEST);
  writeFileSync(join(outDir, manifestName), manifest);
  checksums.push([manifestName, sha256(manifest)]);
  log(manifestName);

  const sumsName = `${prefix}_SHA256SUMS`;
  checksums.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  writeFileSync(join(outDir, sumsName), checksums.map(([name, hash]) => `${hash}  ${name}\n`).join(''));
  log(sumsName);
  return { version, outDir, files: [...checksums.map(([name]) => name), sumsName] };
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
  const options = { sea: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--sea') options.sea = true;
    else if (args[i] === '--out') options.outDir = resolve(args[++i] ?? '');
    else throw new Error(`unknown argument ${args[i]} (usage: node scripts/release.mjs [--out DIR] [--sea])`);
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
