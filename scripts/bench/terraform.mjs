// Throw-away Terraform working directories for the benchmark and a timed command runner.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const COMMAND_TIMEOUT_MS = 15 * 60_000;

/** The environment for terraform: none of the caller's TF_/OSC_ settings, no logging (it would cost time). */
export function terraformEnv(extra) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(TF_|OSC_|OUTSCALE_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', ...extra };
}

export function imageConfig(count) {
  return `terraform {
  required_providers {
    outscale = { source = "outscale/outscale" }
  }
}

provider "outscale" {}

resource "outscale_image" "bench" {
  count              = ${count}
  image_name         = "bench-\${count.index}"
  source_image_id    = "ami-5eed0001"
  source_region_name = "eu-west-2"
}
`;
}

export function terraformDataConfig(count) {
  return `resource "terraform_data" "bench" {
  count = ${count}
  input = "bench-\${count.index}"
}
`;
}

export function writeWorkspace(dir, config) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf'), config);
  return dir;
}

/** Runs `terraform ...args` in dir; resolves { ms, code, stdout, stderr }; rejects on a timeout. */
export function runTerraform(dir, args, env) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('terraform', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
      reject(new Error(`terraform ${args.join(' ')} timed out in ${dir}`));
    }, COMMAND_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr });
    });
  });
}

/** Like runTerraform, but a non-zero exit (other than `allowed`) is an error carrying the output tail. */
export async function mustRun(dir, args, env, allowed = [0]) {
  const result = await runTerraform(dir, args, env);
  if (!allowed.includes(result.code)) {
    throw new Error(`terraform ${args.join(' ')} exited ${result.code} in ${dir}:\n${(result.stderr + result.stdout).slice(-3000)}`);
  }
  return result;
}
