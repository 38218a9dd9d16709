// The faults of the matrix, each aimed at one call (the nth call of an action) of the command under test, and the
// way the command is run under it: plainly for the API faults, as a signalable process for Ctrl-C and a killed
// provider (the call is held by the sandbox while the signal lands, then released: it runs, as a call that reached
// the API would).
import { appendFile } from 'node:fs/promises';
import type { RunResult, TerraformWorkspace } from '../harness/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { providerProcesses, spawnTerraform } from '../reliability/helpers.js';

/** One call of the command: the `occurrence`th (from 1) call of `action`. */
export interface CallTarget {
  action: string;
  occurrence: number;
}

export interface FaultOutcome {
  result: RunResult;
  /** Whether the fault really hit the targeted call. */
  hit: boolean;
}

export interface Fault {
  name: string;
  /** What the fault does, for the guarantees page. */
  description: string;
  /** A killed provider cannot record what its last call did: state may lag until the next refresh. */
  providerDies?: boolean;
  run(tf: TerraformWorkspace, sandbox: Sandbox, args: string[], target: CallTarget): Promise<FaultOutcome>;
}

const COMMAND_TIMEOUT_MS = 120_000;
/**
 * After the signal, the held call is released once terraform has exited, or after this long if terraform waits for
 * it (a provider that lets an in-flight call finish before stopping): it is not a timing assertion.
 */
const RELEASE_AFTER_SIGNAL_MS = 1_500;
/** Throttles in a row on the targeted call: within the client's budget of 10 attempts. */
const STORM_429 = 4;
const STORM_503 = 4;
/** More than the client's attempts for a failing call (4), so the command meets the failure for good. */
const PERSISTENT_FAILURES = 10;

const aimed = (target: CallTarget) => ({ actions: [target.action], ...(target.occurrence > 1 ? { skip: target.occurrence - 1 } : {}) });

function targetedCalls(sandbox: Sandbox, since: number, target: CallTarget) {
  return sandbox.calls.slice(since).filter((c) => c.action === target.action);
}

/** An API fault set up before the command, which then runs to its end. */
function apiFault(name: string, description: string, inject: (sandbox: Sandbox, target: CallTarget) => void, faultTag: RegExp): Fault {
  return {
    name,
    description,
    async run(tf, sandbox, args, target) {
      const since = sandbox.calls.length;
      inject(sandbox, target);
      const result = await tf.run(args, { allowFailure: true, timeoutMs: COMMAND_TIMEOUT_MS });
      const hitCall = targetedCalls(sandbox, since, target)[target.occurrence - 1];
      sandbox.faults.clear();
      return { result, hit: hitCall?.fault !== undefined && faultTag.test(hitCall.fault) };
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The command runs until the targeted call reaches the sandbox; `strike` then hits terraform or its provider. */
function duringCall(name: string, description: string, strike: (run: ReturnType<typeof spawnTerraform>) => void, providerDies: boolean): Fault {
  return {
    name,
    description,
    providerDies,
    async run(tf, sandbox, args, target) {
      const held = sandbox.faults.hold(aimed(target));
      const run = spawnTerraform(tf, args, COMMAND_TIMEOUT_MS);
      try {
        const reached = await Promise.race([held.reached.then(() => true), run.done.then(() => false)]);
        if (reached) {
          strike(run);
          await Promise.race([run.done, sleep(RELEASE_AFTER_SIGNAL_MS)]);
        }
        held.release();
        const result = await run.done;
        await appendFile(
          tf.commandsLogPath,
          `=== terraform ${args.join(' ')} (${name}) → exit ${result.code ?? result.signal} in ${result.durationMs} ms\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}\n`,
        );
        // let a released call that nobody waits for any more finish in the sandbox before the checks
        await sleep(50);
        return { result, hit: reached };
      } finally {
        held.release();
        run.kill();
      }
    },
  };
}

export const FAULTS: Fault[] = [
  apiFault('500 before', 'HTTP 500 answered before the call runs', (s, t) => s.faults.failNext(1, aimed(t)), /^fail-500$/),
  apiFault(
    '500 for good',
    `HTTP 500 before the call runs, to it and to each of the next ${PERSISTENT_FAILURES - 1} calls of its action (retries exhausted)`,
    (s, t) => s.faults.failNext(PERSISTENT_FAILURES, aimed(t)),
    /^fail-500$/,
  ),
  apiFault('500 after', 'the call runs, then HTTP 500 is answered', (s, t) => s.faults.failNext(1, { ...aimed(t), afterExecute: true }), /^fail-after-500$/),
  apiFault('drop before', 'the connection is closed before the call runs', (s, t) => s.faults.dropConnection(1, { ...aimed(t), when: 'before' }), /^drop-before$/),
  apiFault('drop after', 'the call runs, then the connection is closed without an answer', (s, t) => s.faults.dropConnection(1, { ...aimed(t), when: 'after' }), /^drop-after$/),
  apiFault(
    'throttle storm',
    `${STORM_429} × HTTP 429 then ${STORM_503} × HTTP 503 on the call and its retries`,
    (s, t) => {
      s.faults.throttleNext(STORM_429, { ...aimed(t), status: 429 });
      s.faults.throttleNext(STORM_503, { ...aimed(t), status: 503 });
    },
    /^throttle-429$/,
  ),
  duringCall('Ctrl-C', 'SIGINT to terraform and its provider (a terminal\'s Ctrl-C) while the call is in flight', (run) => run.signalGroup('SIGINT'), false),
  duringCall(
    'provider killed',
    'SIGKILL to the provider process while the call is in flight',
    (run) => {
      for (const pid of providerProcesses(run.pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    true,
  ),
];
