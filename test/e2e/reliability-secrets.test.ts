// Secrets through the real terraform at TF_LOG=trace: the secret key (given in the provider block or in
// OSC_SECRET_KEY) and every request signature the sandbox received must appear nowhere — not in terraform's log
// (which carries the provider's stderr), not in any command's stdout/stderr, not in the state or the plan JSON.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeE2e, PROVIDER_ADDRESS, providerBlock, workspaceForTest, type RunResult, type TerraformWorkspace } from './harness/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { FAST_RETRY_ENV, imageResource, report } from './reliability/helpers.js';

const ACCESS_KEY = 'AKIARELIABILITYTEST1';
/** 40 characters, distinctive enough that any occurrence is a leak. */
const SECRET_KEY = 'zzSECRETreliabilityQ7xW2kP9vN4mT6bR8cY0';

interface Collected {
  outputs: RunResult[];
}

async function exercise(tf: TerraformWorkspace, sandbox: Sandbox): Promise<Collected> {
  const outputs: RunResult[] = [];
  // error and retry paths log too: throttling (debug), a failed safe read (warn), an ambiguous create
  sandbox.faults.throttleNext(2);
  sandbox.faults.failNext(1, { actions: ['ReadImages'] });
  sandbox.faults.failNext(1, { actions: ['CreateImage'], afterExecute: true });
  outputs.push(await tf.apply({ timeoutMs: 120_000 }));
  outputs.push(await tf.run(['show', '-json', '-no-color']));
  outputs.push(await tf.run(['plan', '-input=false', '-no-color', '-out=tfplan']));
  outputs.push(await tf.run(['show', '-json', '-no-color', 'tfplan']));
  outputs.push(await tf.run(['state', 'pull']));
  outputs.push(await tf.destroy({ timeoutMs: 120_000 }));
  return { outputs };
}

/**
 * Terraform itself copies literal configuration into `show -json PLANFILE` (configuration.provider_config…
 * expressions.secret_key_id.constant_value), whatever the schema says: core behaviour the provider cannot change, and
 * the reason to pass secrets through OSC_SECRET_KEY or variables. That one exposure is cut out before the checks.
 */
const CONFIG_ECHO = `"secret_key_id":{"constant_value":${JSON.stringify(SECRET_KEY)}}`;

async function expectNoLeak(tf: TerraformWorkspace, sandbox: Sandbox, collected: Collected, label: string): Promise<void> {
  const signatures = [...new Set(sandbox.calls.map((c) => c.signature).filter((s): s is string => typeof s === 'string'))];
  expect(signatures.length).toBeGreaterThanOrEqual(5); // create, waits, refreshes, delete: each signed anew
  expect(sandbox.calls.every((c) => c.authError === undefined)).toBe(true); // the secret really was the one used
  const log = await tf.readLog();
  expect(log.length).toBeGreaterThan(10_000); // trace level really was on
  expect(log).toContain('provider.terraform-provider-outscale'); // and it holds the provider's output
  const texts: Record<string, string> = {
    'terraform.log': log,
    'commands.log': await readFile(tf.commandsLogPath, 'utf8'),
    'terraform.tfstate': await readFile(tf.path('terraform.tfstate'), 'utf8'),
  };
  collected.outputs.forEach((r, i) => {
    texts[`#${i} terraform ${r.args.join(' ')} stdout`] = r.stdout;
    texts[`#${i} terraform ${r.args.join(' ')} stderr`] = r.stderr;
  });
  const leaks: string[] = [];
  let configEchoes = 0;
  for (const [where, raw] of Object.entries(texts)) {
    configEchoes += raw.split(CONFIG_ECHO).length - 1;
    const text = raw.split(CONFIG_ECHO).join('');
    if (text.includes(SECRET_KEY)) leaks.push(`secret key in ${where}`);
    for (const signature of signatures) if (text.includes(signature)) leaks.push(`signature ${signature.slice(0, 8)}… in ${where}`);
    if (/Signature=[0-9a-f]{16}/.test(text)) leaks.push(`a Signature= value in ${where}`);
  }
  expect(leaks).toEqual([]);
  report(`secrets ${label}`, {
    signaturesChecked: signatures.length,
    calls: sandbox.calls.length,
    logBytes: log.length,
    textsChecked: Object.keys(texts).length,
    terraformConfigEchoes: configEchoes,
    faults: { ...sandbox.faults.counters },
  });
}

describeE2e('reliability: secrets never leak', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: 300, keys: [{ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }] });
  });
  afterEach(() => sandbox.close());

  it('secret_key_id in the provider block', async () => {
    const tf = await workspaceForTest({
      env: { OSC_ENDPOINT_API: sandbox.url, OSC_REGION: sandbox.region, ...FAST_RETRY_ENV },
      config: `${providerBlock({ attributes: { access_key_id: ACCESS_KEY, secret_key_id: SECRET_KEY } })}\n${imageResource({ name: 'x', imageName: 'secret-block' })}`,
    });
    expect(tf.environment.OSC_SECRET_KEY).toBeUndefined();
    const collected = await exercise(tf, sandbox);
    await expectNoLeak(tf, sandbox, collected, 'provider block');

    const schema = JSON.parse((await tf.run(['providers', 'schema', '-json'])).stdout) as {
      provider_schemas: Record<string, { provider: { block: { attributes: Record<string, { sensitive?: boolean }> } } }>;
    };
    const attributes = schema.provider_schemas[PROVIDER_ADDRESS]!.provider.block.attributes;
    expect(attributes.secret_key_id!.sensitive).toBe(true);
  }, 240_000);

  it('OSC_SECRET_KEY in the environment', async () => {
    const tf = await workspaceForTest({
      env: { OSC_ENDPOINT_API: sandbox.url, OSC_REGION: sandbox.region, OSC_ACCESS_KEY: ACCESS_KEY, OSC_SECRET_KEY: SECRET_KEY, ...FAST_RETRY_ENV },
      config: `${providerBlock()}\n${imageResource({ name: 'x', imageName: 'secret-env' })}`,
    });
    const collected = await exercise(tf, sandbox);
    await expectNoLeak(tf, sandbox, collected, 'environment');
  }, 240_000);
}, { needsProvider: true });
