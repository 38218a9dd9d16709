// Injected faults: throttling, failures, dropped connections, slowness, held calls, failing images, outage.
import { ApiError, errors } from './errors.js';
import type { FaultCounters, HeldCalls, SandboxFaults, StateComment } from './types.js';

interface Queued {
  remaining: number;
  actions?: string[];
  /** Matched calls to let through untouched before this fault applies (to aim at the nth call of an action). */
  skip?: number;
}

interface ThrottleEntry extends Queued {
  status: 429 | 503;
}

interface FailEntry extends Queued {
  status: number;
  afterExecute: boolean;
}

interface DropEntry extends Queued {
  when: 'before' | 'after';
}

interface SlowEntry extends Queued {
  ms: number;
}

interface HoldEntry extends Queued {
  gate: HoldGate;
}

/**
 * Calls held at the gate wait (received, not yet executed) until release(); a test uses it to act "during" a call
 * (signal terraform, kill the provider) without guessing how long the call takes.
 */
class HoldGate implements HeldCalls {
  waiting = 0;
  private released = false;
  private readonly waiters: Array<() => void> = [];
  private readonly arrivals: Array<() => void> = [];
  readonly reached: Promise<void>;

  constructor() {
    this.reached = new Promise((resolve) => this.arrivals.push(resolve));
  }

  /** A matched call arrives: resolves when the gate is released. */
  enter(): Promise<void> {
    for (const arrived of this.arrivals.splice(0)) arrived();
    if (this.released) return Promise.resolve();
    this.waiting++;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    this.released = true;
    this.waiting = 0;
    for (const go of this.waiters.splice(0)) go();
  }
}

interface FractionRule {
  fraction: number;
  statuses: Array<429 | 503>;
  actions?: string[];
  random: () => number;
  /** At most this many throttles in a row for one request (same action and body), then it passes once. */
  maxConsecutive?: number;
  /** Current run of throttles per request key. */
  streaks: Map<string, number>;
}

/** What the server must do with one API call. */
export interface FaultPlan {
  /** Wait for this before anything else happens (a held call). */
  hold?: Promise<void>;
  /** Answer this error without executing. */
  reject?: { error: ApiError; fault: string };
  /** Execute, then answer this status instead of the result. */
  failAfter?: { status: number };
  drop?: 'before' | 'after';
  slowMs?: number;
}

export interface ListenerControl {
  refuse(): Promise<void>;
  accept(): Promise<void>;
}

/** Small seeded PRNG (mulberry32) so fractional faults are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The `actions` and `skip` options of a queued fault, when given. */
function targeting(options: { actions?: string[]; skip?: number }): Pick<Queued, 'actions' | 'skip'> {
  return { ...(options.actions ? { actions: options.actions } : {}), ...(options.skip ? { skip: options.skip } : {}) };
}

const applies = (entry: { actions?: string[] }, action: string) => !entry.actions || entry.actions.includes(action);

function take<T extends Queued>(queue: T[], action: string, accept: (e: T) => boolean = () => true): T | undefined {
  const skipping = (e: T) => {
    if (!e.skip) return false;
    e.skip--;
    return true;
  };
  // every matching entry counts this call towards its skip, so entries queued together stay aligned
  const eligible = queue.filter((e) => e.remaining > 0 && applies(e, action) && accept(e)).filter((e) => !skipping(e));
  const index = eligible.length > 0 ? queue.indexOf(eligible[0]!) : -1;
  if (index < 0) return undefined;
  const entry = queue[index]!;
  entry.remaining--;
  if (entry.remaining === 0) queue.splice(index, 1);
  return entry;
}

/** Draws whether a fractional throttle hits this request, honouring the rule's per-request streak limit. */
function fractionHits(rule: FractionRule, key: string): boolean {
  const hit = rule.random() < rule.fraction;
  if (rule.maxConsecutive === undefined) return hit;
  const streak = rule.streaks.get(key) ?? 0;
  if (!hit || streak >= rule.maxConsecutive) {
    rule.streaks.delete(key);
    return false;
  }
  rule.streaks.set(key, streak + 1);
  return true;
}

function throttleError(status: 429 | 503, perCall: boolean): ApiError {
  if (status === 503) return errors.throttledPlatform();
  return perCall ? errors.throttledCall() : errors.throttledAccount();
}

export class FaultController implements SandboxFaults {
  readonly counters: FaultCounters = { throttled: 0, failed: 0, dropped: 0, slowed: 0, held: 0, failedImages: 0, failedExportTasks: 0 };
  private throttles: ThrottleEntry[] = [];
  private fails: FailEntry[] = [];
  private drops: DropEntry[] = [];
  private slows: SlowEntry[] = [];
  private holds: HoldEntry[] = [];
  /** Every gate handed out, also those whose calls all arrived (releaseHeld lets them all go). */
  private gates: HoldGate[] = [];
  private fractions: FractionRule[] = [];
  private imageFailure?: { pattern?: RegExp; stateComment: StateComment };
  private exportFailure?: { pattern?: RegExp; comment: string };
  private downMode: 'refuse' | 'unavailable' | false = false;

  constructor(private readonly listener: ListenerControl) {}

  throttleNext(count: number, options: { status?: 429 | 503; actions?: string[]; skip?: number } = {}): void {
    this.throttles.push({ remaining: count, status: options.status ?? 429, ...targeting(options) });
  }

  throttleFraction(
    fraction: number,
    options: { statuses?: Array<429 | 503>; actions?: string[]; seed?: number; maxConsecutive?: number } = {},
  ): void {
    if (!(fraction >= 0 && fraction <= 1)) throw new RangeError('fraction must be between 0 and 1');
    const max = options.maxConsecutive;
    if (max !== undefined && !(Number.isInteger(max) && max >= 0)) throw new RangeError('maxConsecutive must be an integer >= 0');
    this.fractions.push({
      fraction,
      statuses: options.statuses?.length ? options.statuses : [429],
      ...(options.actions ? { actions: options.actions } : {}),
      random: seededRandom(options.seed ?? 1),
      ...(max !== undefined ? { maxConsecutive: max } : {}),
      streaks: new Map(),
    });
  }

  failNext(count: number, options: { status?: number; actions?: string[]; afterExecute?: boolean; skip?: number } = {}): void {
    this.fails.push({ remaining: count, status: options.status ?? 500, afterExecute: options.afterExecute ?? false, ...targeting(options) });
  }

  dropConnection(count: number, options: { when: 'before' | 'after'; actions?: string[]; skip?: number }): void {
    this.drops.push({ remaining: count, when: options.when, ...targeting(options) });
  }

  slow(ms: number, options: { actions?: string[]; count?: number } = {}): void {
    this.slows.push({ remaining: options.count ?? Number.POSITIVE_INFINITY, ms, ...(options.actions ? { actions: options.actions } : {}) });
  }

  hold(options: { actions?: string[]; count?: number; skip?: number } = {}): HeldCalls {
    const gate = new HoldGate();
    this.gates.push(gate);
    this.holds.push({ remaining: options.count ?? 1, gate, ...targeting(options) });
    return gate;
  }

  releaseHeld(): void {
    for (const gate of this.gates.splice(0)) gate.release();
  }

  failImages(options: { nameMatches?: string; stateComment?: StateComment }): void {
    this.imageFailure = {
      ...(options.nameMatches !== undefined ? { pattern: new RegExp(options.nameMatches) } : {}),
      stateComment: options.stateComment ?? { StateCode: 'Server.InternalError', StateMessage: 'Image creation failed (injected by the sandbox).' },
    };
  }

  failExportTasks(options: { bucketMatches?: string; comment?: string }): void {
    this.exportFailure = {
      ...(options.bucketMatches !== undefined ? { pattern: new RegExp(options.bucketMatches) } : {}),
      comment: options.comment ?? 'Export failed: the bucket refused the upload (injected by the sandbox).',
    };
  }

  down(mode: 'refuse' | 'unavailable' | false): void {
    const previous = this.downMode;
    this.downMode = mode;
    if (mode === 'refuse' && previous !== 'refuse') void this.listener.refuse();
    if (mode !== 'refuse' && previous === 'refuse') void this.listener.accept();
  }

  clear(): void {
    this.throttles = [];
    this.fails = [];
    this.drops = [];
    this.slows = [];
    this.releaseHeld();
    this.holds = [];
    this.fractions = [];
    delete this.imageFailure;
    delete this.exportFailure;
    this.down(false);
  }

  get isUnavailable(): boolean {
    return this.downMode === 'unavailable';
  }

  /** The StateComment a new image must fail with, counting the fault, or undefined. */
  failureForImage(name: string): StateComment | undefined {
    const rule = this.imageFailure;
    if (!rule || (rule.pattern && !rule.pattern.test(name))) return undefined;
    this.counters.failedImages++;
    return { ...rule.stateComment };
  }

  /** The Comment a new export task to this bucket must fail with, counting the fault, or undefined. */
  failureForExport(bucket: string): string | undefined {
    const rule = this.exportFailure;
    if (!rule || (rule.pattern && !rule.pattern.test(bucket))) return undefined;
    this.counters.failedExportTasks++;
    return rule.comment;
  }

  /**
   * Decides (and consumes) the faults that apply to one authenticated API call. `body` (the raw request body) tells
   * retries of one request apart from other requests, for `throttleFraction`'s `maxConsecutive`.
   */
  plan(action: string, body = ''): FaultPlan {
    const plan: FaultPlan = {};
    const hold = take(this.holds, action);
    if (hold) {
      plan.hold = hold.gate.enter();
      this.counters.held++;
    }
    const slow = take(this.slows, action);
    if (slow) {
      plan.slowMs = slow.ms;
      this.counters.slowed++;
    }
    const throttle = take(this.throttles, action);
    if (throttle) {
      this.counters.throttled++;
      plan.reject = { error: throttleError(throttle.status, throttle.actions !== undefined), fault: `throttle-${throttle.status}` };
      return plan;
    }
    for (const rule of this.fractions) {
      if (!applies(rule, action)) continue;
      if (fractionHits(rule, `${action}\n${body}`)) {
        const status = rule.statuses[Math.floor(rule.random() * rule.statuses.length)]!;
        this.counters.throttled++;
        plan.reject = { error: throttleError(status, rule.actions !== undefined), fault: `throttle-fraction-${status}` };
        return plan;
      }
    }
    const fail = take(this.fails, action);
    if (fail) {
      this.counters.failed++;
      if (fail.afterExecute) plan.failAfter = { status: fail.status };
      else plan.reject = { error: errors.internal(fail.status), fault: `fail-${fail.status}` };
      return plan;
    }
    const drop = take(this.drops, action);
    if (drop) {
      this.counters.dropped++;
      plan.drop = drop.when;
    }
    return plan;
  }
}
