// A throw-away Terraform working directory driven through the real `terraform` binary. Each workspace gets its own
// CLI configuration (dev_overrides → the repo's bin/), full trace logs in terraform.log (Terraform's and the
// provider's stderr) and a commands.log with every command's output. The directory is removed by cleanup() unless
// the workspace was marked failed, in which case its path is printed so the logs can be read.
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { writeCliConfig } from '../../../scripts/write-cli-config.mjs';
import { repoPaths } from './paths.js';
import { runProcess, type RunResult } from './process.js';
import { allResources, type JsonRecord, type PlanJson, type ShowJson, type ShowResource, type StateFile } from './terraform-json.js';

export type EnvOverrides = Record<string, string | undefined>;

export interface WorkspaceOptions {
  /** Initial main.tf. */
  config?: string;
  /** Extra environment for every command (e.g. sandboxEnv(sandbox)); `undefined` removes a variable. */
  env?: EnvOverrides;
  /** Directory holding terraform-provider-outscale for dev_overrides; default the repo's bin/. */
  binDir?: string;
  /** Default timeout of one terraform command. */
  timeoutMs?: number;
  /** TF_LOG level written to terraform.log; default 'trace'. */
  logLevel?: string;
  /** Directory name prefix under os.tmpdir(). */
  prefix?: string;
}

export interface RunOptions {
  /** Return non-zero exits (and timeouts) instead of throwing. */
  allowFailure?: boolean;
  timeoutMs?: number;
  env?: EnvOverrides;
}

export interface PlanResult extends RunResult {
  /** Only meaningful with detailedExitCode: exit code 2. */
  hasChanges: boolean;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const OUTPUT_TAIL_CHARS = 4000;
/** Unix socket paths must stay below ~100 bytes; the provider's socket lives in the temp directory. */
const MAX_COMFORTABLE_TMPDIR = 60;

/** Variables from the developer's shell that would change how terraform or the provider behave. */
function isolatedBaseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(TF_|OSC_|OUTSCALE_|VITEST)/.test(name)) continue;
    if (name === 'CHECKPOINT_DISABLE' || name === 'NODE_ENV' || name === 'TEST') continue;
    env[name] = value;
  }
  return env;
}

function applyOverrides(env: NodeJS.ProcessEnv, overrides: EnvOverrides | undefined): void {
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
}

function tail(text: string, chars = OUTPUT_TAIL_CHARS): string {
  return text.length <= chars ? text : `…${text.slice(-chars)}`;
}

export class TerraformCommandError extends Error {
  constructor(
    message: string,
    readonly result: RunResult,
  ) {
    super(message);
    this.name = 'TerraformCommandError';
  }
}

export class TerraformWorkspace {
  readonly dir: string;
  readonly logPath: string;
  readonly commandsLogPath: string;
  readonly cliConfigPath: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly secrets: string[];
  private readonly defaultTimeoutMs: number;
  private failed = false;
  private removed = false;
  private commandCount = 0;

  private constructor(dir: string, cliConfigPath: string, options: WorkspaceOptions) {
    this.dir = dir;
    this.logPath = join(dir, 'terraform.log');
    this.commandsLogPath = join(dir, 'commands.log');
    this.cliConfigPath = cliConfigPath;
    this.defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.env = isolatedBaseEnv();
    applyOverrides(this.env, {
      TF_CLI_CONFIG_FILE: cliConfigPath,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_LOG: options.logLevel ?? 'trace',
      TF_LOG_PATH: this.logPath,
    });
    applyOverrides(this.env, options.env);
    this.secrets = Object.entries(options.env ?? {})
      .filter(([name, value]) => value !== undefined && value.length >= 4 && /SECRET|PASSWORD|TOKEN/i.test(name))
      .map(([, value]) => value as string);
  }

  static async create(options: WorkspaceOptions = {}): Promise<TerraformWorkspace> {
    const base = tmpdir();
    if (base.length > MAX_COMFORTABLE_TMPDIR) {
      console.warn(`[e2e] temp directory ${base} is long; provider unix socket paths may exceed the 100-byte limit`);
    }
    const dir = await mkdtemp(join(base, options.prefix ?? 'tfe2e-'));
    const cliConfigPath = writeCliConfig({ binDir: options.binDir ?? repoPaths.binDir, out: join(dir, 'dev.tfrc') });
    const workspace = new TerraformWorkspace(dir, cliConfigPath, options);
    if (options.config !== undefined) await workspace.writeConfig(options.config);
    return workspace;
  }

  /** The environment terraform runs with (for assertions and debugging). */
  get environment(): Readonly<NodeJS.ProcessEnv> {
    return this.env;
  }

  get isFailed(): boolean {
    return this.failed;
  }

  path(name: string): string {
    return resolve(this.dir, name);
  }

  async writeFile(name: string, content: string): Promise<void> {
    const target = this.path(name);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }

  /** Replaces main.tf (or another .tf file). */
  async writeConfig(hcl: string, name = 'main.tf'): Promise<void> {
    await this.writeFile(name, hcl);
  }

  /** Writes terraform.tfvars.json, loaded automatically by plan/apply. */
  async writeVars(vars: Record<string, unknown>): Promise<void> {
    await this.writeFile('terraform.tfvars.json', `${JSON.stringify(vars, null, 2)}\n`);
  }

  async removeFile(name: string): Promise<void> {
    await rm(this.path(name), { force: true });
  }

  private redact(text: string): string {
    return this.secrets.reduce((acc, secret) => acc.split(secret).join('[REDACTED]'), text);
  }

  async run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    const env = { ...this.env };
    applyOverrides(env, options.env);
    const number = ++this.commandCount;
    const result = await runProcess('terraform', args, {
      cwd: this.dir,
      env,
      timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs,
    });
    const outcome = result.timedOut ? `TIMED OUT (killed, ${result.signal ?? result.code})` : `exit ${result.code}`;
    await appendFile(
      this.commandsLogPath,
      `=== #${number} terraform ${args.join(' ')} → ${outcome} in ${result.durationMs} ms\n` +
        `--- stdout\n${this.redact(result.stdout)}\n--- stderr\n${this.redact(result.stderr)}\n`,
    );
    if (!options.allowFailure && (result.timedOut || result.code !== 0)) {
      this.failed = true;
      throw new TerraformCommandError(this.redact(this.describeFailure(args, outcome, result)), result);
    }
    return result;
  }

  private describeFailure(args: string[], outcome: string, result: RunResult): string {
    return [
      `terraform ${args.join(' ')}: ${outcome} after ${result.durationMs} ms`,
      result.stderr.trim() && `stderr:\n${tail(result.stderr.trim())}`,
      result.stdout.trim() && `stdout:\n${tail(result.stdout.trim())}`,
      `workspace kept: ${this.dir} (terraform.log has Terraform's and the provider's logs)`,
    ]
      .filter(Boolean)
      .join('\n');
  }

  /** Only for configurations without our provider: with dev_overrides `init` tries the registry and fails offline. */
  init(options: RunOptions = {}): Promise<RunResult> {
    return this.run(['init', '-input=false', '-no-color'], options);
  }

  validate(options: RunOptions = {}): Promise<RunResult> {
    return this.run(['validate', '-no-color'], options);
  }

  async plan(options: RunOptions & { detailedExitCode?: boolean; args?: string[] } = {}): Promise<PlanResult> {
    const args = ['plan', '-input=false', '-no-color', ...(options.detailedExitCode ? ['-detailed-exitcode'] : []), ...(options.args ?? [])];
    if (!options.detailedExitCode) {
      const result = await this.run(args, options);
      return { ...result, hasChanges: false };
    }
    const result = await this.run(args, { ...options, allowFailure: true });
    if (result.code === 0 || result.code === 2) return { ...result, hasChanges: result.code === 2 };
    if (options.allowFailure) return { ...result, hasChanges: false };
    this.failed = true;
    throw new TerraformCommandError(this.redact(this.describeFailure(args, `exit ${result.code}`, result)), result);
  }

  /** `terraform plan -out` then `terraform show -json` of that plan. */
  async planJson(options: RunOptions & { args?: string[] } = {}): Promise<PlanJson> {
    await this.run(['plan', '-input=false', '-no-color', '-out=tfplan', ...(options.args ?? [])], options);
    const shown = await this.run(['show', '-json', '-no-color', 'tfplan'], { timeoutMs: options.timeoutMs, env: options.env });
    return JSON.parse(shown.stdout) as PlanJson;
  }

  apply(options: RunOptions & { args?: string[] } = {}): Promise<RunResult> {
    return this.run(['apply', '-auto-approve', '-input=false', '-no-color', ...(options.args ?? [])], options);
  }

  destroy(options: RunOptions & { args?: string[] } = {}): Promise<RunResult> {
    return this.run(['destroy', '-auto-approve', '-input=false', '-no-color', ...(options.args ?? [])], options);
  }

  import(address: string, id: string, options: RunOptions = {}): Promise<RunResult> {
    return this.run(['import', '-input=false', '-no-color', address, id], options);
  }

  refresh(options: RunOptions = {}): Promise<RunResult> {
    return this.run(['apply', '-refresh-only', '-auto-approve', '-input=false', '-no-color'], options);
  }

  async show(options: RunOptions = {}): Promise<ShowJson> {
    const result = await this.run(['show', '-json', '-no-color'], options);
    return JSON.parse(result.stdout) as ShowJson;
  }

  async resources(): Promise<ShowResource[]> {
    return allResources((await this.show()).values?.root_module);
  }

  /** `show -json` entry of one resource address; throws if absent. */
  async resourceEntry(address: string): Promise<ShowResource> {
    const resources = await this.resources();
    const found = resources.find((resource) => resource.address === address);
    if (!found) {
      throw new Error(`no ${address} in state; present: ${resources.map((r) => r.address).join(', ') || '(none)'}`);
    }
    return found;
  }

  /** Attribute values of one resource from `terraform show -json`. */
  async resource(address: string): Promise<JsonRecord> {
    return (await this.resourceEntry(address)).values;
  }

  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.run(['output', '-json', '-no-color']);
    const parsed = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([name, output]) => [name, output.value]));
  }

  async stateList(): Promise<string[]> {
    if (!existsSync(this.path('terraform.tfstate'))) return [];
    const result = await this.run(['state', 'list', '-no-color']);
    return result.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
  }

  /** The raw terraform.tfstate (local backend): schema_version, private bytes, sensitive paths… null if none. */
  async state(): Promise<StateFile | null> {
    const file = this.path('terraform.tfstate');
    if (!existsSync(file)) return null;
    const text = await readFile(file, 'utf8');
    // terraform killed before its first write leaves the file empty, which terraform itself reads as no state
    return text.trim() === '' ? null : (JSON.parse(text) as StateFile);
  }

  /** Fails (with the plan text) unless both a normal and a refresh-only plan are empty. */
  async expectNoChanges(options: RunOptions = {}): Promise<void> {
    for (const extra of [[], ['-refresh-only']]) {
      const result = await this.plan({ ...options, detailedExitCode: true, args: extra });
      if (result.hasChanges) {
        this.failed = true;
        throw new Error(`terraform plan ${extra.join(' ')} is not empty:\n${tail(this.redact(result.stdout))}\nworkspace kept: ${this.dir}`);
      }
    }
  }

  async readLog(): Promise<string> {
    return existsSync(this.logPath) ? readFile(this.logPath, 'utf8') : '';
  }

  /** Keep the directory at cleanup (and print its path). */
  markFailed(): void {
    this.failed = true;
  }

  /** Removes the directory unless the workspace failed or E2E_KEEP=1; returns whether it was kept. */
  async cleanup(): Promise<boolean> {
    if (this.removed) return false;
    if (this.failed || process.env.E2E_KEEP === '1') {
      console.warn(`[e2e] kept terraform workspace ${this.dir} (logs: ${this.logPath}, ${this.commandsLogPath})`);
      return true;
    }
    await rm(this.dir, { recursive: true, force: true });
    this.removed = true;
    return false;
  }
}
