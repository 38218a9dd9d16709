// Warm mode at build time (see docs/warm-mode.md): the build id that keys a resident provider process to this exact
// build, and the C launcher that Terraform runs as bin/terraform-provider-outscale when a C compiler is there.
// Without one, bin/terraform-provider-outscale is the Node launcher itself (today's normal start, no warm mode).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const INPUTS = ['src', 'proto', 'package.json', 'package-lock.json'];
export const LAUNCHER_SOURCE = 'src/host/warm/launcher.c';
/** Whether a launch is warm when OUTSCALE_PROVIDER_WARM is not set (docs/warm-mode.md says why). */
export const WARM_BY_DEFAULT = true;

function filesUnder(root, path) {
  const full = join(root, path);
  if (!statSync(full, { throwIfNoEntry: false })) return [];
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => filesUnder(root, join(path, entry.name)));
}

/** sha256 of the build inputs (paths and contents), 16 hex digits. */
export function buildId(root, extra = '') {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((path) => filesUnder(root, path))) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.update(extra).digest('hex').slice(0, 16);
}

/** A C compiler: $CC, cc or gcc; undefined when there is none. */
export function findCompiler(env = process.env) {
  for (const candidate of [env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

/**
 * Node's flags for the resident, a long-lived process that serves several launches at once. V8's defaults (a
 * semi-space growing to 16 MB, the first old-space collection put off) let it reach 130 MiB with five terraform
 * processes of 100 OMIs each; with these, 91 MiB, and its CPU per resource was the same or lower (interleaved runs,
 * docs/warm-mode.md). A one-launch provider process keeps Node's defaults.
 */
export const RESIDENT_NODE_FLAGS = ['--max-semi-space-size=4', '--initial-old-space-size=8'];

/** The build id of the last build, for tests and the bench. */
export const BUILD_ID_FILE = 'dist/warm-build-id';

/** Compiles the launcher into `outfile`; returns a reason when it could not. */
export function compileWarmLauncher({ root, outfile, buildId: id, nodeLauncher, compiler = findCompiler() }) {
  writeFileSync(join(root, BUILD_ID_FILE), `${id}\n`);
  if (!compiler) return { ok: false, reason: 'no C compiler (cc, gcc, clang or $CC)' };
  const result = spawnSync(
    compiler,
    [
      '-O2',
      '-Wall',
      `-DBUILD_ID="${id}"`,
      `-DNODE_LAUNCHER="${nodeLauncher}"`,
      `-DWARM_DEFAULT=${WARM_BY_DEFAULT ? 1 : 0}`,
      `-DRESIDENT_NODE_FLAGS=${RESIDENT_NODE_FLAGS.map((flag) => JSON.stringify(flag)).join(',')}`,
      '-o',
      outfile,
      join(root, LAUNCHER_SOURCE),
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) return { ok: false, reason: `${compiler} failed: ${result.stderr || result.error}` };
  return { ok: true };
}
