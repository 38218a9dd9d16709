#!/usr/bin/env node
// The first-run demo (`npm run demo`, which builds first): the real terraform drives the locally built provider
// against the local OUTSCALE API sandbox through examples/quickstart — apply, outputs, a plan that must be empty,
// `state rm` + `import` of one OMI, a plan again, destroy — then stops the sandbox. Nothing leaves the machine.
//
//   node scripts/demo.mjs [--keep]      --keep: leave the work directory (CLI config, copy of the example, state)
//
// Every step is announced on stdout; the first failing step stops the demo with exit status 1.

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandboxProcess } from './sandbox-process.mjs';
import { writeCliConfig } from './write-cli-config.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = join(root, 'examples', 'quickstart');
const PROVIDER = join(root, 'bin', 'terraform-provider-outscale');
const IMPORTED = 'outscale_image.from_vm';
const COMMAND_TIMEOUT_MS = 5 * 60_000;
const STEPS = 11;

class DemoError extends Error {}

let stepNumber = 0;
// Ctrl-C reaches terraform and the sandbox too (same process group); the demo then stops and cleans up.
let interrupted = false;
process.on('SIGINT', () => {
  interrupted = true;
});
function step(title) {
  stepNumber += 1;
  console.log(`\n==> [${stepNumber}/${STEPS}] ${title}`);
}

function info(text) {
  console.log(`    ${text}`);
}

function terraformVersion() {
  const result = spawnSync('terraform', ['version'], {
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) return undefined;
  return result.status === 0 ? result.stdout.split('\n')[0].trim() : undefined;
}


/** Runs terraform in `cwd`, echoing its output indented; resolves with exit code and captured stdout. */
function terraform(args, { cwd, env, quiet = false }) {
  console.log(`    $ terraform ${args.join(' ')}`);
  return new Promise((resolvePromise, reject) => {
    // same process group: Ctrl-C reaches terraform (which stops cleanly) as it would in the user's shell
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const echo = (text) => {
      if (!quiet) process.stdout.write(text.replace(/^(?=.)/gm, '      '));
    };
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      echo(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
      echo(chunk);
    });
    let timedOut = false;
    let killTimer;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM'); // terraform stops its provider processes
      killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    }, COMMAND_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new DemoError(`cannot run terraform: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      if (interrupted) reject(new DemoError(`interrupted (terraform ${args[0]} exited ${code})`));
      else if (timedOut) reject(new DemoError(`terraform ${args[0]} did not finish within ${COMMAND_TIMEOUT_MS / 1000} s`));
      else resolvePromise({ code, stdout, stderr });
    });
  });
}

async function mustSucceed(args, options) {
  const result = await terraform(args, options);
  if (result.code !== 0) {
    if (options.quiet) process.stdout.write(result.stdout + result.stderr);
    throw new DemoError(`terraform ${args[0]} failed (exit ${result.code})`);
  }
  return result;
}

/** `plan -detailed-exitcode`: 0 = no changes, 2 = changes, anything else = error. */
async function planHasChanges(options) {
  const result = await terraform(['plan', '-input=false', '-no-color', '-detailed-exitcode'], options);
  if (result.code === 0) return false;
  if (result.code === 2) return true;
  throw new DemoError(`terraform plan failed (exit ${result.code})`);
}


function terraformEnv(cliConfig, sandboxVars) {
  const env = {};
  // the user's own Terraform/OUTSCALE settings must not leak into the demo (credentials, CLI config, logs)
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(TF_|OSC_|OUTSCALE_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...sandboxVars, TF_CLI_CONFIG_FILE: cliConfig, TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
}

async function main() {
  const keep = process.argv.includes('--keep');
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--keep');
  if (unknown.length > 0) throw new DemoError(`unknown argument ${unknown.join(' ')} (usage: node scripts/demo.mjs [--keep])`);

  const version = terraformVersion();
  if (!version) {
    throw new DemoError(
      'terraform is not on PATH (or does not run). The demo drives the real terraform CLI (1.11.x):\n' +
        '       install it from https://developer.hashicorp.com/terraform/install and run `npm run demo` again.',
    );
  }
  if (!existsSync(PROVIDER)) throw new DemoError(`${PROVIDER} is missing: run \`npm run build\` (or \`npm run demo\`) first`);
  console.log(`OUTSCALE provider demo — ${version}, node ${process.version}`);

  const work = mkdtempSync(join(tmpdir(), 'outscale-demo-'));
  let sandbox;
  let ok = false;
  try {
    step('Start the local OUTSCALE API sandbox (OMIs take 1.5 s to become available)');
    sandbox = await startSandboxProcess(root, ['--image-pending-ms', '1500']).catch((e) => {
      throw new DemoError(e.message);
    });
    info(`API endpoint ${sandbox.vars.OSC_ENDPOINT_API}, region ${sandbox.vars.OSC_REGION}, access key ${sandbox.vars.OSC_ACCESS_KEY}`);

    step('Write a Terraform CLI config pointing outscale/outscale at this build (dev_overrides, no init needed)');
    const cliConfig = writeCliConfig({ out: join(work, 'dev.tfrc') });
    info(`TF_CLI_CONFIG_FILE=${cliConfig}`);

    step('Copy examples/quickstart into a scratch directory');
    const dir = join(work, 'quickstart');
    cpSync(EXAMPLE, dir, {
      recursive: true,
      filter: (source) => !/(^|[/\\])(\.terraform|terraform\.tfstate[^/\\]*|\.terraform\.lock\.hcl)$/.test(source),
    });
    info(dir);
    const options = { cwd: dir, env: terraformEnv(cliConfig, sandbox.vars) };

    step('terraform apply: create two OMIs (a copy of a public OMI, and one made from a VM)');
    await mustSucceed(['apply', '-auto-approve', '-input=false', '-no-color'], options);

    step('terraform output');
    const outputs = JSON.parse((await mustSucceed(['output', '-json'], { ...options, quiet: true })).stdout);
    for (const [name, output] of Object.entries(outputs)) info(`${name} = ${JSON.stringify(output.value)}`);
    const importedId = outputs.from_vm?.value?.id;
    if (typeof importedId !== 'string') throw new DemoError('output from_vm.id is missing');

    step('terraform plan: the applied configuration must show no changes');
    if (await planHasChanges(options)) throw new DemoError('terraform plan reports changes right after apply');
    info('No changes: plan exit code 0');

    step(`terraform state rm ${IMPORTED}: forget the OMI ${importedId} (it stays in the API)`);
    await mustSucceed(['state', 'rm', '-no-color', IMPORTED], options);

    step(`terraform import ${IMPORTED} ${importedId}: adopt it again`);
    await mustSucceed(['import', '-input=false', '-no-color', IMPORTED, importedId], options);

    step('terraform plan after the import');
    // The API does not return the creation-only arguments (vm_id, no_reboot) nor timeouts: an import cannot know them,
    // so the first plan adopts them into the state as an in-place update that makes no API call.
    const adopting = await planHasChanges(options);
    info(adopting ? 'The plan adopts the creation-only arguments of the configuration (in-place, no API call)' : 'No changes');

    step('terraform apply: adopt them, then plan again (must show no changes)');
    if (adopting) {
      const before = await sandbox.calls();
      await mustSucceed(['apply', '-auto-approve', '-input=false', '-no-color'], options);
      const mutating = (await sandbox.calls()).slice(before.length).filter((call) => !call.action.startsWith('Read'));
      if (mutating.length > 0) throw new DemoError(`adopting made API calls: ${mutating.map((call) => call.action).join(', ')}`);
      info('Adopted without any mutating API call');
    }
    if (await planHasChanges(options)) throw new DemoError('terraform plan reports changes after the import');
    info('No changes after import: plan exit code 0');

    step('terraform destroy: delete both OMIs');
    await mustSucceed(['destroy', '-auto-approve', '-input=false', '-no-color'], options);
    ok = true;
  } finally {
    if (sandbox) {
      console.log(`\n==> Stop the sandbox`);
      await sandbox.stop();
    }
    if (ok && !keep) rmSync(work, { recursive: true, force: true });
    else console.log(`    work directory kept: ${work}`);
  }
  console.log('\nDemo complete: apply, no-change plan, import and destroy all worked.');
}

main().catch((error) => {
  const message = error instanceof DemoError ? error.message : (error?.stack ?? String(error));
  console.error(`\nDEMO FAILED: ${message}`);
  process.exit(1);
});
