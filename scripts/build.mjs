#!/usr/bin/env node
// Build: proto/*.proto → src/protocol/generated/descriptors.json (protobufjs), then esbuild bundles into dist/ and
// writes the bin/ launcher. `--descriptors-only` stops after the JSON (enough for typecheck and tests from source).

import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { buildId, compileWarmLauncher, RESIDENT_NODE_FLAGS } from './warm-launcher.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROTO_FILES = ['tfplugin6.proto', 'plugin.proto', 'health.proto'];
const GENERATED = join(root, 'src/protocol/generated/descriptors.json');

async function writeDescriptors() {
  const protoRoot = new protobuf.Root();
  // keepCase: keep the .proto field names (snake_case); tfplugin6.ts loads with keepCase too.
  protoRoot.loadSync(
    PROTO_FILES.map((f) => join(root, 'proto', f)),
    { keepCase: true },
  );
  protoRoot.resolveAll(); // fails the build on any unresolved type name
  const json = JSON.stringify(protoRoot.toJSON({ keepComments: false }));
  await mkdir(dirname(GENERATED), { recursive: true });
  await writeFile(GENERATED, json + '\n');
  return json.length;
}

// ESM output with CommonJS dependencies inside (grpc-js, protobufjs): give them a `require` and __dirname.
const BANNER = [
  "import { createRequire as __tfCreateRequire } from 'node:module';",
  "import { fileURLToPath as __tfFileURLToPath } from 'node:url';",
  "import { dirname as __tfDirname } from 'node:path';",
  'const require = __tfCreateRequire(import.meta.url);',
  'const __filename = __tfFileURLToPath(import.meta.url);',
  'const __dirname = __tfDirname(__filename);',
].join('\n');

// The version is not injected: src/common/version.ts imports package.json, which esbuild inlines.
async function bundle(esbuild, entry, outfile, format = 'esm', id = 'dev') {
  await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    minify: process.env.BUILD_MINIFY !== '0', // BUILD_MINIFY=0: readable names in CPU profiles
    legalComments: 'none',
    ...(format === 'esm' ? { banner: { js: BANNER } } : {}),
    define: { __BUILD_ID__: JSON.stringify(id) },
    logLevel: 'warning',
  });
}

// The provider is also bundled as CommonJS (dist/terraform-provider-outscale.cjs) and the launcher compiles it with
// vm.Script and a V8 code cache (dist/terraform-provider-outscale.cjs.v8cache): every terraform command starts
// several provider processes, and compiling the 0.5 MB bundle (plus the functions run before the handshake) was the
// largest part of the start-up that is ours. Measured with scripts/measure-startup.mjs, 3×15 interleaved launches:
// median 276/235/262 ms → 209/203/209 ms (node -e '' ≈ 135 ms on that loaded machine): ~1.9× → ~1.5×.
// ES module code cannot take a cache on Node 20 (module.enableCompileCache is Node 22), hence CommonJS.
// The cache is written at build time by one warm-up launch; a launch that finds it missing or rejected by V8 (another
// node version) writes a new one when it exits (temp file + rename: concurrent providers are fine). V8 checks only
// the source length, so the cache file is always rebuilt with the bundle (dist/ is emptied first).
// The ESM bundle dist/terraform-provider-outscale.mjs stays, for `node dist/terraform-provider-outscale.mjs`.
const CJS_BUNDLE = 'dist/terraform-provider-outscale.cjs';

// The launcher is CommonJS (bin/package.json says so): it starts without Node's ES module loader, ~5 ms less.
function cachingLauncher(bundleFile) {
  return [
    '#!/usr/bin/env node',
    "'use strict';",
    `// Runs ../${bundleFile} through a V8 code cache (see scripts/build.mjs).`,
    "const { readFileSync, renameSync, writeFileSync } = require('node:fs');",
    "const { dirname, join } = require('node:path');",
    "const { Script } = require('node:vm');",
    "const { createRequire } = require('node:module');",
    '',
    `const file = join(__dirname, '..', ${JSON.stringify(bundleFile)});`,
    '// V8 rejects a cache made under other V8 flags (the resident runs with its own, scripts/warm-launcher.mjs):',
    '// one cache file per set of flags, so that the two never overwrite each other.',
    "const flags = process.execArgv.join(' ');",
    "let tag = 0;",
    "for (let i = 0; i < flags.length; i++) tag = (Math.imul(tag, 31) + flags.charCodeAt(i)) >>> 0;",
    "const cacheFile = file + (flags ? '.' + tag.toString(16) : '') + '.v8cache';",
    'let cachedData;',
    'try {',
    '  cachedData = readFileSync(cacheFile);',
    '} catch {',
    '  // no cache yet',
    '}',
    "const wrapped = '(function (exports, require, module, __filename, __dirname) {' + readFileSync(file, 'utf8') + '\\n})';",
    'const script = new Script(wrapped, { filename: file, cachedData });',
    'if (!cachedData || script.cachedDataRejected) {',
    "  process.once('exit', () => {",
    '    try {',
    "      const temporary = cacheFile + '.' + process.pid;",
    '      writeFileSync(temporary, script.createCachedData());',
    '      renameSync(temporary, cacheFile);',
    '    } catch {',
    '      // read-only install: run without a cache',
    '    }',
    '  });',
    '}',
    'const bundle = { exports: {} };',
    'script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));',
    '',
  ].join('\n');
}

async function writeLauncher(name, text) {
  const file = join(root, 'bin', name);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  await chmod(file, 0o755);
  return file;
}

/** The cache file the launcher uses under Node flags `flags` (the same tag as in cachingLauncher). */
function cacheFileFor(flags) {
  const text = flags.join(' ');
  let tag = 0;
  for (let i = 0; i < text.length; i++) tag = (Math.imul(tag, 31) + text.charCodeAt(i)) >>> 0;
  return join(root, `${CJS_BUNDLE}${text ? `.${tag.toString(16)}` : ''}.v8cache`);
}

/**
 * One launch the way Terraform does (plaintext), under Node flags `flags`, ended after the provider code has loaded:
 * writes the cache for those flags.
 */
function warmUpCodeCache(launcher, flags = []) {
  return new Promise((resolvePromise, reject) => {
    const env = {
      ...process.env,
      TF_PLUGIN_MAGIC_COOKIE: 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2',
      PLUGIN_PROTOCOL_VERSIONS: '6',
    };
    for (const name of ['PLUGIN_CLIENT_CERT', 'TF_LOG', 'TF_LOG_PROVIDER', 'TF_LOG_PROVIDER_OUTSCALE']) delete env[name];
    const child = flags.length ? spawn(process.execPath, [...flags, launcher], { env, stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(launcher, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.on('data', (chunk) => (err += chunk));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGTERM'), 500));
    child.on('exit', () => {
      clearTimeout(timer);
      if (existsSync(cacheFileFor(flags))) resolvePromise();
      else reject(new Error(`the warm-up launch wrote no code cache; stderr: ${err}`));
    });
  });
}

async function main() {
  const started = Date.now();
  const size = await writeDescriptors();
  console.log(`descriptors: ${relative(root, GENERATED)} (${size} bytes)`);
  if (process.argv.includes('--descriptors-only')) return;

  const esbuild = await import('esbuild');
  await rm(join(root, 'dist'), { recursive: true, force: true });

  const id = buildId(root); // package.json (the version) is among its inputs
  await bundle(esbuild, 'src/main.ts', 'dist/terraform-provider-outscale.mjs', 'esm', id);
  await bundle(esbuild, 'src/main.ts', CJS_BUNDLE, 'cjs', id);
  const launcher = await writeLauncher('terraform-provider-outscale-node', cachingLauncher(CJS_BUNDLE));
  await warmUpCodeCache(launcher);
  await warmUpCodeCache(launcher, RESIDENT_NODE_FLAGS); // the resident's start
  console.log(`bundles: dist/terraform-provider-outscale.mjs, ${CJS_BUNDLE} (+ .v8cache), launcher: bin/terraform-provider-outscale-node`);
  // bin/terraform-provider-outscale: the warm-mode C launcher (it runs the Node launcher whenever warm is not used),
  // or the Node launcher itself when there is no C compiler.
  const warm = compileWarmLauncher({
    root,
    outfile: join(root, 'bin/terraform-provider-outscale'),
    buildId: id,
    nodeLauncher: 'terraform-provider-outscale-node',
  });
  if (!warm.ok) await writeLauncher('terraform-provider-outscale', cachingLauncher(CJS_BUNDLE));
  console.log(warm.ok ? `warm launcher: bin/terraform-provider-outscale (build ${id})` : `no warm launcher: ${warm.reason}`);

  if (existsSync(join(root, 'src/sandbox/cli.ts'))) {
    await bundle(esbuild, 'src/sandbox/cli.ts', 'dist/outscale-sandbox.mjs');
    // bin/outscale-sandbox is a tracked launcher: it runs this bundle, or the sources through tsx before a build
    console.log('bundle: dist/outscale-sandbox.mjs');
  }
  console.log(`build done in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
