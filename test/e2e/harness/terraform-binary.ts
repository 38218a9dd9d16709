// Finds the terraform binary and decides whether the e2e tests run, are skipped (terraform missing on a developer
// machine) or must fail (terraform missing under CI, where a silent skip would hide the whole e2e tier).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { repoPaths } from './paths.js';

export type Availability = { ok: true; version: string } | { ok: false; reason: string };

export type E2eGate =
  | { mode: 'run'; version: string }
  | { mode: 'skip'; reason: string }
  | { mode: 'fail'; reason: string };

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

/** Runs `terraform version -json` with the given environment (its PATH decides which binary is found). */
export function terraformAvailable(env: NodeJS.ProcessEnv = process.env): Availability {
  const result = spawnSync('terraform', ['version', '-json'], {
    // an empty config: the machine's TF_CLI_CONFIG_FILE may point at a missing file and add warnings
    env: { ...env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? { ok: false, reason: `terraform not found on PATH (${env.PATH ?? '<unset>'})` }
      : { ok: false, reason: `terraform could not be started: ${result.error.message}` };
  }
  if (result.status !== 0) {
    return { ok: false, reason: `\`terraform version -json\` exited ${result.status}: ${result.stderr.trim().slice(0, 500)}` };
  }
  try {
    const parsed = JSON.parse(result.stdout) as { terraform_version?: unknown };
    if (typeof parsed.terraform_version !== 'string') throw new Error('no terraform_version');
    return { ok: true, version: parsed.terraform_version };
  } catch {
    return { ok: false, reason: `unexpected \`terraform version -json\` output: ${result.stdout.slice(0, 200)}` };
  }
}

/** run when terraform works; otherwise fail under CI, skip elsewhere. */
export function terraformGate(env: NodeJS.ProcessEnv = process.env): E2eGate {
  const availability = terraformAvailable(env);
  if (availability.ok) return { mode: 'run', version: availability.version };
  if (isCi(env)) {
    return { mode: 'fail', reason: `CI=${env.CI}: the e2e tests need terraform (1.11.x) on PATH but ${availability.reason}` };
  }
  return { mode: 'skip', reason: `${availability.reason}; install terraform 1.11.x to run the e2e tests` };
}

export function providerBinaryAvailable(binary = repoPaths.providerBinary): Availability {
  if (!existsSync(binary)) return { ok: false, reason: `${binary} does not exist (run \`npm run build\`)` };
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { ok: false, reason: `${binary} is not executable` };
  }
  return { ok: true, version: 'local build' };
}

/** Gate for tests that drive the built provider through dev_overrides: terraform and the built binary. */
export function providerGate(env: NodeJS.ProcessEnv = process.env, binary = repoPaths.providerBinary): E2eGate {
  const terraform = terraformGate(env);
  if (terraform.mode !== 'run') return terraform;
  const built = providerBinaryAvailable(binary);
  if (built.ok) return terraform;
  if (isCi(env)) return { mode: 'fail', reason: `CI=${env.CI}: ${built.reason}` };
  return { mode: 'skip', reason: built.reason };
}
