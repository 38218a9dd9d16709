// Shared helpers of the reliability e2e tests: fast retry knobs, generated image configurations, sandbox and state
// look-ups, a terraform process we can signal ourselves, and the provider processes it launched.
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hclString, providerBlock, sandboxEnv, type RunResult, type StateFile, type TerraformWorkspace } from '../harness/index.js';
import type { Sandbox, StoredImage } from '../../../src/sandbox/index.js';

/** Testing knobs of the client's backoff (src/outscale/retry.ts): milliseconds instead of seconds. */
export const FAST_RETRY_ENV = {
  OSC_RETRY_BASE_DELAY_MS: '20',
  OSC_RETRY_JITTER_MS: '20',
  OSC_RETRY_MAX_DELAY_MS: '200',
} as const;

/** sandboxEnv plus the fast retry knobs. */
export function reliabilityEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return { ...sandboxEnv(sandbox), ...FAST_RETRY_ENV, ...extra };
}

export interface ImageResourcesOptions {
  /** Resource name (the block label). */
  name: string;
  /** `count = N` when set; names then end with `-${count.index}`. */
  count?: number;
  imageName: string;
  vmId?: string;
}

/** One `outscale_image` resource created from a VM (the seeded i-5eed0001 by default). */
export function imageResource(options: ImageResourcesOptions): string {
  const name = options.count === undefined ? hclString(options.imageName) : `"${options.imageName}-\${count.index}"`;
  return [
    `resource "outscale_image" "${options.name}" {`,
    ...(options.count === undefined ? [] : [`  count      = ${options.count}`]),
    `  image_name = ${name}`,
    `  vm_id      = ${hclString(options.vmId ?? 'i-5eed0001')}`,
    '  no_reboot  = true',
    '}',
    '',
  ].join('\n');
}

export function imageConfig(options: ImageResourcesOptions): string {
  return `${providerBlock()}\n${imageResource(options)}`;
}

/** Images of the sandbox's primary account that exist for the API (deleted ones excluded). */
export function ownImages(sandbox: Sandbox): StoredImage[] {
  return sandbox.state.liveImages().filter((i) => i.AccountId === sandbox.accountId && i.internal.deletedAtMs === undefined);
}

export function ownImagesNamed(sandbox: Sandbox, name: string): StoredImage[] {
  return ownImages(sandbox).filter((i) => i.ImageName === name);
}

/** Makes every pending image of the sandbox settle at once (and new ones after `pendingMs`). */
export function finishPendingImages(sandbox: Sandbox, pendingMs: number): void {
  sandbox.state.timing.imagePendingMs = pendingMs;
  const now = Date.now();
  for (const image of sandbox.state.images.values()) {
    if (image.State === 'pending') image.internal.readyAtMs = Math.min(image.internal.readyAtMs, now);
  }
}

export interface StateInstance {
  address: string;
  id: string | undefined;
  imageName: string | undefined;
  status: string | undefined;
}

/** Every outscale_image instance of the raw state file, with its taint status. */
export function stateInstances(state: StateFile | null): StateInstance[] {
  const out: StateInstance[] = [];
  for (const resource of state?.resources ?? []) {
    if (resource.mode !== 'managed' || resource.type !== 'outscale_image') continue;
    for (const instance of resource.instances as Array<StateFile['resources'][number]['instances'][number] & { index_key?: number | string; status?: string }>) {
      const key = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
      out.push({
        address: `outscale_image.${resource.name}${key}`,
        id: typeof instance.attributes.id === 'string' ? instance.attributes.id : undefined,
        imageName: typeof instance.attributes.image_name === 'string' ? instance.attributes.image_name : undefined,
        status: instance.status,
      });
    }
  }
  return out;
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined/false, or throws after timeoutMs. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface SpawnedTerraform {
  pid: number;
  /** Resolves when terraform exited, with its output. */
  done: Promise<RunResult>;
  /** Signals terraform's whole process group (itself and the providers it launched), like a terminal's Ctrl-C. */
  signalGroup(signal: NodeJS.Signals): void;
  /** SIGKILLs the group if still alive (cleanup). */
  kill(): void;
}

/**
 * Starts `terraform <args>` in the workspace's directory with the workspace's environment, in its own process group,
 * without waiting: for tests that must signal terraform or its provider while it runs. Killed after timeoutMs.
 */
export function spawnTerraform(tf: TerraformWorkspace, args: string[], timeoutMs: number, env: Record<string, string> = {}): SpawnedTerraform {
  const started = performance.now();
  const child = spawn('terraform', args, { cwd: tf.dir, env: { ...tf.environment, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new Error('terraform did not start');
  const pid = child.pid;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => stdout.push(c));
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup('SIGKILL');
  }, timeoutMs);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        command: 'terraform',
        args,
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: Math.round(performance.now() - started),
        timedOut,
      });
    });
  });
  return { pid, done, signalGroup, kill: () => signalGroup('SIGKILL') };
}

interface ProcessEntry {
  pid: number;
  ppid: number;
  args: string;
}

function processTable(): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may contain spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(name), ppid, args });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * Provider processes started by terraform `terraformPid`: descendants whose command line names
 * terraform-provider-outscale (the launcher script runs node on the bundle, so both may match; the deepest wins).
 */
export function providerProcesses(terraformPid: number): number[] {
  const table = processTable();
  const children = new Map<number, ProcessEntry[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: number[] = [];
  const walk = (pid: number, depth: number) => {
    if (depth > 5) return;
    for (const child of children.get(pid) ?? []) {
      if (child.args.includes('terraform-provider-outscale')) found.push(child.pid);
      walk(child.pid, depth + 1);
    }
  };
  walk(terraformPid, 0);
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Signs of a crashed or unresponsive provider in terraform's output or log. */
export const CRASH_MARKERS: RegExp[] = [
  /The plugin crashed/i,
  /Plugin did not respond/i,
  /^panic: /m,
  /goroutine \d+ \[running\]/,
  /plugin process exited:.*error=/i,
  /uncaught exception in the provider/i,
  /unhandled promise rejection in the provider/i,
];

export function crashMarkersIn(text: string): string[] {
  return CRASH_MARKERS.filter((marker) => marker.test(text)).map((marker) => {
    const match = marker.exec(text);
    return `${marker.source}: …${text.slice(Math.max(0, (match?.index ?? 0) - 200), (match?.index ?? 0) + 300)}…`;
  });
}

/** Counts of sandbox calls by action (for reports). */
export function callsByAction(sandbox: Sandbox, since = 0): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of sandbox.calls.slice(since)) counts[call.action] = (counts[call.action] ?? 0) + 1;
  return counts;
}

/** One line of numbers on stderr, so the test run shows what happened (vitest prints console output). */
export function report(test: string, numbers: Record<string, unknown>): void {
  console.info(`[reliability] ${test}: ${JSON.stringify(numbers)}`);
}

/** The configuration and the remote objects agree: the harness's expectNoChanges (plan and refresh-only plan empty). */
export async function expectConverged(tf: TerraformWorkspace, timeoutMs = 120_000): Promise<void> {
  await tf.expectNoChanges({ timeoutMs });
}

/** `terraform apply` as the interrupt tests run it in the background. */
export const APPLY_ARGS = ['apply', '-auto-approve', '-input=false', '-no-color'];
/** Long enough that an OMI is still pending when the test interrupts the apply. */
export const LONG_PENDING_MS = 60_000;

/**
 * After an interrupted create left one tainted OMI: it settles, the next apply replaces it, and then exactly one OMI
 * exists, the one in state (no orphan), and nothing more is planned. Returns the new state instance.
 */
export async function expectTaintedReplaced(tf: TerraformWorkspace, sandbox: Sandbox, pendingMs: number, timeoutMs = 120_000): Promise<StateInstance> {
  finishPendingImages(sandbox, pendingMs);
  await tf.apply({ timeoutMs });
  const after = stateInstances(await tf.state());
  expect(after).toHaveLength(1);
  expect(after[0]!.status).toBeUndefined();
  expect(ownImages(sandbox).map((i) => i.ImageId)).toEqual([after[0]!.id]);
  await expectConverged(tf);
  return after[0]!;
}
