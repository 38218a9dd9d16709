// One cell of the fault matrix: an operation, one call of its command, one fault. Its own sandbox and workspace;
// the invariants are checked after the command and again after convergence, every problem is kept for the table.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { TerraformWorkspace, type RunResult } from '../harness/index.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import type { SerializedState } from '../../../src/sandbox/state.js';
import { FAST_RETRY_ENV, crashMarkersIn } from '../reliability/helpers.js';
import type { CallTarget, Fault } from './faults.js';
import { apiVsDesired, omiProblems, orphans, secretLeaks, stateVsApi } from './invariants.js';
import { ADDRESS, type Operation, type Prepared } from './operations.js';

export const MATRIX_ACCESS_KEY = 'AKIAFAULTMATRIXTEST1';
/** Distinctive enough that any occurrence anywhere is a leak. */
export const MATRIX_SECRET_KEY = 'zzMATRIXsecret7Qp2Lk9Vn4Tb6Rc8Yx0Wm3Hj5';
/** Images settle at their first read: the number and order of the calls stay the same from run to run. */
const PENDING_MS = 0;
const PLAN_TIMEOUT_MS = 120_000;

export interface CellResult {
  passed: boolean;
  /** The command's exit code (null: ended by a signal). */
  exit: number | null;
  /** What went wrong, in order; empty when the cell passed. */
  problems: string[];
  /** Facts worth showing even when it passed (e.g. an orphan adopted by import after a crash). */
  notes: string[];
  /** The calls the command made, in order (`Action`), for the fault-free recording. */
  calls: string[];
  durationMs: number;
}

/** No fault: the recording run (and the matrix's first column). */
export const NO_FAULT: Fault = {
  name: 'no fault',
  description: 'the command runs without any fault',
  async run(tf, _sandbox, args) {
    return { result: await tf.run(args, { allowFailure: true, timeoutMs: PLAN_TIMEOUT_MS }), hit: true };
  },
};

const IMPORT_HINT = (id: string) => new RegExp(`terraform import outscale_image\\.\\S+ ${id}`);

function planSummary(result: RunResult): string {
  const lines = result.stdout.split('\n').filter((l) => /^\s*[~+-]|will be|must be|has changed|Plan:/.test(l));
  return lines.slice(0, 8).map((l) => l.trim()).join(' | ') || result.stderr.trim().split('\n').slice(0, 4).join(' | ');
}

/** The only difference between state and the API is OMIs that were pending and are available now. */
const onlySettled = (differences: string[]) =>
  differences.length > 0 && differences.every((d) => /^ami-\S+ state: state "pending", API "available"$/.test(d));

async function checkRefreshOnly(tf: TerraformWorkspace, sandbox: Sandbox, when: string): Promise<string[]> {
  const plan = await tf.plan({ detailedExitCode: true, args: ['-refresh-only'], allowFailure: true, timeoutMs: PLAN_TIMEOUT_MS });
  if (plan.code === 0) return [];
  const detail = [...stateVsApi(sandbox, await tf.state()), planSummary(plan)].join('; ');
  return [`${when}: plan -refresh-only exit ${plan.code} (${detail})`];
}

/** What an operation's setup left behind, copied into every cell of its row instead of setting up again. */
export interface Fixture {
  sandboxState: SerializedState;
  tfstate: string | null;
  prepared: Prepared;
}

const startMatrixSandbox = () =>
  startSandbox({ port: 0, imagePendingMs: PENDING_MS, keys: [{ accessKey: MATRIX_ACCESS_KEY, secretKey: MATRIX_SECRET_KEY }] });

const matrixWorkspace = (sandbox: Sandbox, config: string) =>
  TerraformWorkspace.create({
    env: { OSC_ENDPOINT_API: sandbox.url, OSC_ACCESS_KEY: sandbox.accessKey, OSC_SECRET_KEY: sandbox.secretKey, OSC_REGION: sandbox.region, ...FAST_RETRY_ENV },
    config,
    prefix: 'tfmx-',
    // another build of the provider (e.g. the code before a fix, to see a cell fail on it)
    ...(process.env.MATRIX_BIN_DIR ? { binDir: process.env.MATRIX_BIN_DIR } : {}),
  });

/** Runs the operation's setup once; its sandbox and state are then copied into each cell. */
export async function prepareFixture(operation: Operation): Promise<Fixture> {
  const sandbox = await startMatrixSandbox();
  const tf = await matrixWorkspace(sandbox, operation.config);
  try {
    const prepared = await operation.prepare(tf, sandbox);
    const tfstate = existsSync(tf.path('terraform.tfstate')) ? await readFile(tf.path('terraform.tfstate'), 'utf8') : null;
    return { sandboxState: structuredClone(sandbox.state.serialize()), tfstate, prepared };
  } catch (e) {
    tf.markFailed();
    throw e;
  } finally {
    await sandbox.close();
    await tf.cleanup();
  }
}

export async function runCell(operation: Operation, fixture: Fixture, fault: Fault, target: CallTarget | undefined): Promise<CellResult> {
  const started = Date.now();
  const sandbox = await startMatrixSandbox();
  sandbox.state.load(structuredClone(fixture.sandboxState));
  const tf = await matrixWorkspace(sandbox, operation.config);
  if (fixture.tfstate !== null) await tf.writeFile('terraform.tfstate', fixture.tfstate);
  const problems: string[] = [];
  const notes: string[] = [];
  const outputs: RunResult[] = [];
  let exit: number | null = null;
  let calls: string[] = [];
  try {
    const prepared = fixture.prepared;
    const since = sandbox.calls.length;
    const outcome = await fault.run(tf, sandbox, prepared.args, target ?? { action: '', occurrence: 0 });
    outputs.push(outcome.result);
    exit = outcome.result.code;
    calls = sandbox.calls.slice(since).map((c) => c.action);
    if (!outcome.hit) problems.push(`the fault never hit ${target?.action} #${target?.occurrence} (calls: ${calls.join(' ')})`);
    if (fault === NO_FAULT && exit !== 0) problems.push(`the command failed without any fault: ${outcome.result.stderr.trim().slice(0, 300)}`);
    const crashes = crashMarkersIn(outcome.result.stdout + outcome.result.stderr);
    if (crashes.length > 0 && !fault.providerDies) problems.push(`the provider crashed: ${crashes[0]!.slice(0, 200)}`);

    // after the command: OMIs against state, state against the API
    const lost = orphans(sandbox, await tf.state(), prepared.unmanaged);
    const adoptable = fault.providerDies ? lost : [];
    const dies = fault.providerDies === true;
    problems.push(...omiProblems(sandbox, await tf.state(), [...prepared.unmanaged, ...adoptable], dies).map((p) => `after the command: ${p}`));
    const drift = await checkRefreshOnly(tf, sandbox, 'after the command');
    // A killed provider cannot record what its last call did: state may lag the API until the next refresh. An OMI
    // recorded pending when the run was cut short may have become available since: that is time, not a lie.
    if (dies || (drift.length > 0 && onlySettled(stateVsApi(sandbox, await tf.state())))) notes.push(...drift.map((d) => `tolerated: ${d}`));
    else problems.push(...drift);

    // convergence: an orphan of a killed provider must be named with its import command, then adopted
    for (const id of adoptable) {
      const refused = await tf.apply({ allowFailure: true, timeoutMs: PLAN_TIMEOUT_MS });
      outputs.push(refused);
      if (refused.code === 0 || !IMPORT_HINT(id).test(refused.stderr.replace(/\s+/g, ' '))) {
        problems.push(`orphan ${id} of the killed provider: the next apply ${refused.code === 0 ? 'succeeded' : 'failed'} without the import command for it`);
      }
      outputs.push(await tf.import(ADDRESS, id, { allowFailure: true }));
      notes.push(`orphan ${id} named by the next apply, adopted with terraform import`);
    }
    // a command that succeeded and left nothing to do has converged already: the plan below proves it
    let plan = exit === 0 && adoptable.length === 0 ? await tf.plan({ detailedExitCode: true, allowFailure: true, timeoutMs: PLAN_TIMEOUT_MS }) : undefined;
    if (plan?.code !== 0) {
      if (plan) outputs.push(plan);
      const converged = await prepared.converge(tf);
      outputs.push(...converged);
      const failed = converged.find((r) => r.code !== 0);
      if (failed) problems.push(`converge: terraform ${failed.args[0]} exit ${failed.code}: ${failed.stderr.trim().replace(/\s+/g, ' ').slice(0, 400)}`);
      plan = await tf.plan({ detailedExitCode: true, allowFailure: true, timeoutMs: PLAN_TIMEOUT_MS });
    }
    outputs.push(plan);
    if (plan.code !== 0) problems.push(`after converging: plan exit ${plan.code} (${planSummary(plan)})`);
    problems.push(...omiProblems(sandbox, await tf.state(), []).map((p) => `after converging: ${p}`));
    problems.push(...apiVsDesired(sandbox, operation.desired).map((p) => `after converging: ${p}`));
    problems.push(...stateVsApi(sandbox, await tf.state()).map((p) => `after converging: ${p}`));
    problems.push(...(await secretLeaks(tf, sandbox, MATRIX_SECRET_KEY, outputs)).map((p) => `leak: ${p}`));
  } catch (e) {
    problems.push(`the cell could not run: ${(e as Error).message.slice(0, 500)}`);
  } finally {
    sandbox.faults.clear();
    await sandbox.close();
    if (problems.length > 0) {
      tf.markFailed();
      notes.push(`workspace kept: ${tf.dir}`);
    }
    await tf.cleanup();
  }
  return { passed: problems.length === 0, exit, problems, notes, calls, durationMs: Date.now() - started };
}
