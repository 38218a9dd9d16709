// Self-tests of the e2e harness against the real terraform binary. Only the built-in terraform_data resource and
// local-exec provisioner are used, except one test that loads our provider through dev_overrides.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROVIDER_ADDRESS,
  TerraformCommandError,
  TerraformWorkspace,
  describeE2e,
  providerBlock,
  providerGate,
  repoPaths,
  runProcess,
  sandboxEnv,
  terraformGate,
  workspaceForTest,
} from './harness/index.js';

const E2E_TIMEOUT_MS = 120_000;

const TERRAFORM_DATA_CONFIG = `
variable "greeting" {
  type    = string
  default = "hello"
}

resource "terraform_data" "example" {
  input = {
    greeting = var.greeting
    count    = 3
  }
}

output "echo" {
  value = terraform_data.example.output
}
`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
  return condition();
}

describe('CLI config script', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tfcfg-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes dev_overrides for the repo bin/ and prints the export line', () => {
    const out = join(dir, 'sub dir', 'dev.tfrc');
    const result = spawnSync(process.execPath, [join(repoPaths.root, 'scripts', 'write-cli-config.mjs'), '--out', out], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`export TF_CLI_CONFIG_FILE='${out}'\n`);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`"outscale/outscale" = ${JSON.stringify(repoPaths.binDir)}`);
    expect(text).toMatch(/provider_installation\s*\{\s*dev_overrides\s*\{[^}]*\}\s*direct\s*\{\}\s*\}/);
  });

  it('rejects unknown arguments with a usage message', () => {
    const result = spawnSync(process.execPath, [join(repoPaths.root, 'scripts', 'write-cli-config.mjs'), '--nope'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('usage:');
  });
});

describe('terraform gate', () => {
  let emptyDir: string;
  beforeAll(() => {
    emptyDir = mkdtempSync(join(tmpdir(), 'tfnopath-'));
  });
  afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

  it('skips outside CI and fails under CI when terraform is not on PATH', () => {
    const outside = terraformGate({ PATH: emptyDir });
    expect(outside.mode).toBe('skip');
    expect(outside.mode !== 'run' && outside.reason).toContain('terraform not found on PATH');

    for (const ciValue of ['false', '0', '']) {
      expect(terraformGate({ PATH: emptyDir, CI: ciValue }).mode).toBe('skip');
    }
    const underCi = terraformGate({ PATH: emptyDir, CI: 'true' });
    expect(underCi.mode).toBe('fail');
    expect(underCi.mode !== 'run' && underCi.reason).toMatch(/CI=true.*terraform not found on PATH/);
  });

  it('requires the built provider binary for provider tests', () => {
    const missing = join(emptyDir, 'terraform-provider-outscale');
    const gate = providerGate({ ...process.env, CI: '' }, missing);
    if (terraformGate({ ...process.env, CI: '' }).mode === 'run') {
      expect(gate).toEqual({ mode: 'skip', reason: `${missing} does not exist (run \`npm run build\`)` });
      expect(providerGate({ ...process.env, CI: 'true' }, missing).mode).toBe('fail');
    } else {
      expect(gate.mode).toBe('skip');
    }
  });

  // A nested vitest run of a describeE2e block with a PATH lacking terraform: the real skip / fail behaviour.
  it.each([
    { ci: undefined, expected: { passed: 0, failed: 0, skipped: 1 } },
    { ci: 'true', expected: { passed: 0, failed: 1, skipped: 0 } },
  ])('describeE2e without terraform, CI=$ci', async ({ ci, expected }) => {
    const report = join(emptyDir, `report-${ci ?? 'unset'}.json`);
    const env: NodeJS.ProcessEnv = { PATH: emptyDir, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
    if (ci !== undefined) env.CI = ci;
    const result = await runProcess(
      process.execPath,
      [
        join(repoPaths.root, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        join(repoPaths.root, 'test', 'e2e', 'harness', 'fixtures', 'vitest.gate.config.ts'),
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
      ],
      { cwd: repoPaths.root, env, timeoutMs: 90_000 },
    );
    expect(existsSync(report), `no report; vitest said:\n${result.stdout}\n${result.stderr}`).toBe(true);
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      testResults: Array<{ assertionResults: Array<{ failureMessages: string[] }> }>;
    };
    expect({ passed: parsed.numPassedTests, failed: parsed.numFailedTests, skipped: parsed.numPendingTests }).toEqual(expected);
    const output = result.stdout + result.stderr;
    if (ci === 'true') {
      const messages = parsed.testResults.flatMap((file) => file.assertionResults.flatMap((test) => test.failureMessages));
      expect(messages.join('\n')).toMatch(/CI=true: the e2e tests need terraform .* terraform not found on PATH/);
      expect(result.code).not.toBe(0);
    } else {
      expect(output).toContain('[e2e] skipping "needs terraform": terraform not found on PATH');
      expect(result.code).toBe(0);
    }
  }, 120_000);
});

describeE2e('TerraformWorkspace with terraform_data', () => {
  it(
    'applies, shows, re-plans empty, plans an update, imports and destroys',
    async () => {
      const tf = await workspaceForTest({ config: TERRAFORM_DATA_CONFIG });
      await tf.validate();

      const applied = await tf.apply();
      expect(applied.code).toBe(0);
      expect(applied.stdout).toContain('Apply complete! Resources: 1 added');

      const entry = await tf.resourceEntry('terraform_data.example');
      expect(entry).toMatchObject({ type: 'terraform_data', name: 'example', mode: 'managed' });
      expect(entry.values.input).toEqual({ greeting: 'hello', count: 3 });
      expect(entry.values.output).toEqual({ greeting: 'hello', count: 3 });
      expect(typeof entry.values.id).toBe('string');
      expect(entry.sensitive_values).toEqual({ input: {}, output: {} });
      expect(await tf.outputs()).toEqual({ echo: { greeting: 'hello', count: 3 } });
      expect(await tf.stateList()).toEqual(['terraform_data.example']);
      const state = await tf.state();
      expect(state?.resources[0]?.instances[0]?.attributes.id).toBe(entry.values.id);

      const replan = await tf.plan({ detailedExitCode: true });
      expect(replan.code).toBe(0);
      expect(replan.hasChanges).toBe(false);
      await tf.expectNoChanges();

      await tf.writeVars({ greeting: 'bonjour' });
      const changed = await tf.plan({ detailedExitCode: true });
      expect(changed).toMatchObject({ code: 2, hasChanges: true });
      const plan = await tf.planJson();
      expect(plan.resource_changes?.map((change) => [change.address, change.change.actions])).toEqual([
        ['terraform_data.example', ['update']],
      ]);
      expect(plan.resource_changes?.[0]?.change.after).toMatchObject({ input: { greeting: 'bonjour', count: 3 } });
      await tf.removeFile('terraform.tfvars.json');

      await tf.writeConfig(`${TERRAFORM_DATA_CONFIG}\nresource "terraform_data" "imported" {}\n`);
      await tf.import('terraform_data.imported', 'external-id-1');
      expect(await tf.resource('terraform_data.imported')).toMatchObject({ id: 'external-id-1' });

      const destroyed = await tf.destroy();
      expect(destroyed.stdout).toContain('Destroy complete! Resources: 2 destroyed');
      expect(await tf.stateList()).toEqual([]);
      expect((await tf.show()).values?.root_module.resources ?? []).toEqual([]);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'isolates the environment, passes caller env through and logs at trace level',
    async () => {
      const previous = process.env.OSC_SECRET_KEY;
      process.env.OSC_SECRET_KEY = 'inherited-real-secret';
      let tf: TerraformWorkspace;
      try {
        tf = await workspaceForTest({
          config: TERRAFORM_DATA_CONFIG,
          env: { TF_VAR_greeting: 'from-env', ...sandboxEnv({ url: 'http://127.0.0.1:9/api/v1', accessKey: 'AK', secretKey: 'SK-sandbox', region: 'eu-west-2' }) },
        });
      } finally {
        if (previous === undefined) delete process.env.OSC_SECRET_KEY;
        else process.env.OSC_SECRET_KEY = previous;
      }
      const env = tf.environment;
      expect(env.TF_CLI_CONFIG_FILE).toBe(tf.cliConfigPath);
      expect(env.TF_CLI_CONFIG_FILE).not.toBe(process.env.TF_CLI_CONFIG_FILE);
      expect(env).toMatchObject({ CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', TF_LOG: 'trace', TF_LOG_PATH: tf.logPath });
      expect(env).toMatchObject({ OSC_ENDPOINT_API: 'http://127.0.0.1:9/api/v1', OSC_ACCESS_KEY: 'AK', OSC_SECRET_KEY: 'SK-sandbox', OSC_REGION: 'eu-west-2' });
      expect(env.VITEST).toBeUndefined();
      // short directory straight under the temp dir (the provider's unix socket also lives under the temp dir)
      expect(dirname(tf.dir)).toBe(tmpdir());
      expect(basename(tf.dir)).toMatch(/^tfe2e-\w{6}$/);
      expect(readFileSync(tf.cliConfigPath, 'utf8')).toContain(`"outscale/outscale" = ${JSON.stringify(repoPaths.binDir)}`);

      const applied = await tf.apply();
      expect(applied.stdout + applied.stderr).not.toContain('problems with the CLI configuration');
      expect(await tf.outputs()).toEqual({ echo: { greeting: 'from-env', count: 3 } });
      const log = await tf.readLog();
      expect(log).toMatch(/\[TRACE\]/);
      expect(log).toContain(tf.cliConfigPath);
      expect(readFileSync(tf.commandsLogPath, 'utf8')).toMatch(/=== #1 terraform apply -auto-approve .* → exit 0/);
      await tf.destroy();
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'reports failures with terraform output and keeps the workspace',
    async () => {
      const tf = await TerraformWorkspace.create({
        config: 'resource "terraform_data" "broken" {\n  input = var.missing\n}\n',
        env: { OSC_SECRET_KEY: 'secret-to-hide' },
      });
      try {
        const tolerated = await tf.apply({ allowFailure: true });
        expect(tolerated.code).toBe(1);
        expect(tf.isFailed).toBe(false);

        const error = await tf.apply().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(TerraformCommandError);
        const message = (error as TerraformCommandError).message;
        expect(message).toContain('terraform apply -auto-approve -input=false -no-color: exit 1');
        expect(message).toContain('Reference to undeclared input variable');
        expect(message).toContain(`workspace kept: ${tf.dir}`);
        expect(tf.isFailed).toBe(true);
        expect(await tf.cleanup()).toBe(true);
        expect(existsSync(tf.dir)).toBe(true);
      } finally {
        rmSync(tf.dir, { recursive: true, force: true });
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'kills terraform and its children when a command times out',
    async () => {
      const tf = await TerraformWorkspace.create({
        config: `
resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "echo $$ > sleeper.pid; exec sleep 600"
  }
}
`,
      });
      try {
        const pidFile = tf.path('sleeper.pid');
        // terraform reaches the provisioner within a second; the timeout is what ends the command
        const result = await tf.apply({ allowFailure: true, timeoutMs: 8_000 });
        expect(result.timedOut).toBe(true);
        // terraform may exit on SIGTERM itself (code 1) or die from the signal (code null)
        expect(result.code).not.toBe(0);
        expect(existsSync(pidFile)).toBe(true);
        const sleeperPid = Number(readFileSync(pidFile, 'utf8').trim());
        expect(Number.isInteger(sleeperPid) && sleeperPid > 0).toBe(true);
        expect(await waitUntil(() => !processAlive(sleeperPid), 10_000)).toBe(true);

        const error = await tf.apply({ timeoutMs: 1 }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(TerraformCommandError);
        expect((error as TerraformCommandError).message).toContain('TIMED OUT');
        expect((error as TerraformCommandError).result.timedOut).toBe(true);
      } finally {
        rmSync(tf.dir, { recursive: true, force: true });
      }
    },
    E2E_TIMEOUT_MS,
  );
});

describeE2e(
  'our provider through dev_overrides',
  () => {
    it(
      'terraform providers schema -json lists outscale/outscale with a provider schema',
      async () => {
        const tf = await workspaceForTest({ config: providerBlock() });
        const result = await tf.run(['providers', 'schema', '-json']);
        const schema = JSON.parse(result.stdout) as {
          provider_schemas?: Record<string, { provider?: { version?: number; block?: Record<string, unknown> }; resource_schemas?: Record<string, unknown> }>;
        };
        const ours = schema.provider_schemas?.[PROVIDER_ADDRESS];
        expect(ours, `provider schemas: ${Object.keys(schema.provider_schemas ?? {}).join(', ')}`).toBeDefined();
        expect(ours?.provider?.block).toBeTypeOf('object');
        // terraform really launched the binary from the repo's bin/ (dev_overrides), not something from a cache
        expect(await tf.readLog()).toContain(repoPaths.providerBinary);
      },
      E2E_TIMEOUT_MS,
    );
  },
  { needsProvider: true },
);
