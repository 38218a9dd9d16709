#!/usr/bin/env node
// Build: proto/*.proto → src/protocol/generated/descriptors.json (protobufjs), then esbuild bundles into dist/ and
// writes the bin/ launcher. `--descriptors-only` stops after the JSON (enough for typecheck and tests from source).

import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

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

async function bundle(esbuild, entry, outfile, version) {
  await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    banner: { js: BANNER },
    define: { __PROVIDER_VERSION__: JSON.stringify(version) },
    logLevel: 'warning',
  });
}

// A `#!/usr/bin/env node` ESM file importing the bundle relative to its own (symlink-resolved) location. Measured
// against a `sh` launcher (`exec node "${0%/*}/../dist/…"`) and a shebang bundle behind a symlink: all three within
// ±5 ms of each other (noise) over 3×30 interleaved launches, so the simplest and most portable one is kept.
function launcher(bundleFile) {
  return [
    '#!/usr/bin/env node',
    `import(new URL(${JSON.stringify('../' + bundleFile)}, import.meta.url).href);`,
    '',
  ].join('\n');
}

async function writeLauncher(name, bundleFile) {
  const file = join(root, 'bin', name);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, launcher(bundleFile));
  await chmod(file, 0o755);
  return file;
}

async function main() {
  const started = Date.now();
  const size = await writeDescriptors();
  console.log(`descriptors: ${relative(root, GENERATED)} (${size} bytes)`);
  if (process.argv.includes('--descriptors-only')) return;

  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const esbuild = await import('esbuild');
  await rm(join(root, 'dist'), { recursive: true, force: true });

  await bundle(esbuild, 'src/main.ts', 'dist/terraform-provider-outscale.mjs', version);
  await writeLauncher('terraform-provider-outscale', 'dist/terraform-provider-outscale.mjs');
  console.log('bundle: dist/terraform-provider-outscale.mjs, launcher: bin/terraform-provider-outscale');

  if (existsSync(join(root, 'src/sandbox/cli.ts'))) {
    await bundle(esbuild, 'src/sandbox/cli.ts', 'dist/outscale-sandbox.mjs', version);
    // bin/outscale-sandbox is a tracked launcher: it runs this bundle, or the sources through tsx before a build
    console.log('bundle: dist/outscale-sandbox.mjs');
  }
  console.log(`build done in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
