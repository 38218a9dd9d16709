// Retry policy of the OUTSCALE client.
// - Throttling (HTTP 429 codes 24/25, HTTP 503 code 6 — or any 429/503) means the gateway rejected the request before
//   executing it, so every call is retried, including CreateImage (up to maxThrottleAttempts).
// - Other 5xx and network failures after sending are retried only for calls that are safe to repeat.
// - A network failure before sending (connection refused, DNS) is retried for every call; TLS failures are not.
// Backoff: delay = min(cap, base·2^retryIndex) + U(0, jitter), bounded by the caller's optional deadline.
import { log as processLog, type Logger } from '../common/log.js';
import { OscAbortError, OscApiError, OscNetworkError, isAbortError } from './errors.js';

export interface RetrySettings {
  baseDelayMs: number;
  jitterMs: number;
  maxDelayMs: number;
  /** Total attempts allowed while the failures are throttling. */
  maxThrottleAttempts: number;
  /** Total attempts allowed while the failures are 5xx / network errors. */
  maxErrorAttempts: number;
}

export const DEFAULT_RETRY_SETTINGS: Readonly<RetrySettings> = Object.freeze({
  baseDelayMs: 1000,
  jitterMs: 1000,
  maxDelayMs: 30000,
  maxThrottleAttempts: 10,
  maxErrorAttempts: 4,
});

/**
 * Testing knobs: OSC_RETRY_BASE_DELAY_MS, OSC_RETRY_JITTER_MS and OSC_RETRY_MAX_DELAY_MS override the delays so that
 * tests against the sandbox do not wait for seconds. Not meant for production use.
 */
export function retrySettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<RetrySettings> = {},
): RetrySettings {
  const num = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const n = Number(raw);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  return {
    ...DEFAULT_RETRY_SETTINGS,
    ...definedOnly({
      baseDelayMs: num('OSC_RETRY_BASE_DELAY_MS'),
      jitterMs: num('OSC_RETRY_JITTER_MS'),
      maxDelayMs: num('OSC_RETRY_MAX_DELAY_MS'),
    }),
    ...definedOnly(overrides),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Calls that may be sent twice without a second effect (reads, updates to a target state, deletes, tags). */
const SAFE_TO_REPEAT = new Set([
  'ReadImages',
  'ReadVms',
  'ReadSnapshots',
  'ReadAccounts',
  'UpdateImage',
  'DeleteImage',
  'CreateTags',
  'DeleteTags',
  'ReadImageExportTasks',
  'DeleteExportTask',
]);

export function isSafeToRepeat(action: string): boolean {
  return SAFE_TO_REPEAT.has(action);
}

export type FailureClass =
  | 'throttled' // rejected before execution
  | 'not-sent' // network failure before the request left
  | 'ambiguous' // 5xx (not throttling) or network failure after sending: may have executed
  | 'fatal'; // 4xx and anything else: do not retry

export function classifyFailure(err: unknown): FailureClass {
  if (err instanceof OscApiError) {
    if (err.httpStatus === 429 || err.httpStatus === 503) return 'throttled';
    if (err.httpStatus >= 500) return 'ambiguous';
    return 'fatal';
  }
  if (err instanceof OscNetworkError) {
    // A certificate problem does not go away by trying again.
    if (err.kind === 'tls') return 'fatal';
    return err.mayHaveExecuted ? 'ambiguous' : 'not-sent';
  }
  return 'fatal';
}

/** min(cap, base·2^retryIndex) + U(0, jitter); retryIndex 0 for the first retry. */
export function backoffDelay(retryIndex: number, settings: RetrySettings, random: () => number = Math.random): number {
  const exponential = settings.baseDelayMs * 2 ** Math.min(retryIndex, 52);
  return Math.min(settings.maxDelayMs, exponential) + random() * settings.jitterMs;
}

/** Resolves after ms; rejects with OscAbortError as soon as the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined, action: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(new OscAbortError(action, signal.reason));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new OscAbortError(action, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryCounters {
  /** HTTP attempts made (first tries and retries). */
  attempts: number;
  /** Attempts that were retries. */
  retries: number;
  /** Attempts answered with throttling. */
  throttled: number;
}

export function newCounters(): RetryCounters {
  return { attempts: 0, retries: 0, throttled: 0 };
}

export interface RetryContext {
  action: string;
  settings: RetrySettings;
  /** Whether 5xx / after-send network failures may be retried. */
  safeToRepeat: boolean;
  signal?: AbortSignal;
  /** Absolute epoch ms after which no retry starts. */
  deadline?: number;
  counters?: RetryCounters;
  random?: () => number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal | undefined, action: string) => Promise<void>;
  /** Where retries are logged (the session's logger); default the process's. */
  log?: Logger;
}

/** Runs `attempt` until it succeeds or the policy says stop; rethrows the last failure. */
export async function withRetries<T>(ctx: RetryContext, attempt: (attemptNumber: number) => Promise<T>): Promise<T> {
  const now = ctx.now ?? Date.now;
  const sleep = ctx.sleep ?? abortableSleep;
  let throttledFailures = 0;
  let errorFailures = 0;
  const started = now();
  /** The last error, saying that retrying did not help (and for how long it tried). */
  const gaveUp = (err: unknown, attempts: number): unknown => {
    if (attempts > 1 && err instanceof Error)
      err.message += ` — gave up after ${attempts} attempts over ${((now() - started) / 1000).toFixed(1)} s`;
    return err;
  };
  for (let attemptNumber = 1; ; attemptNumber++) {
    if (ctx.signal?.aborted) throw new OscAbortError(ctx.action, ctx.signal.reason);
    if (ctx.counters) {
      ctx.counters.attempts++;
      if (attemptNumber > 1) ctx.counters.retries++;
    }
    try {
      return await attempt(attemptNumber);
    } catch (err) {
      if (isAbortError(err)) throw err;
      const failure = classifyFailure(err);
      if (failure === 'throttled') {
        throttledFailures++;
        if (ctx.counters) ctx.counters.throttled++;
        if (throttledFailures >= ctx.settings.maxThrottleAttempts) throw gaveUp(err, attemptNumber);
      } else if (failure === 'not-sent' || (failure === 'ambiguous' && ctx.safeToRepeat)) {
        errorFailures++;
        if (errorFailures >= ctx.settings.maxErrorAttempts) throw gaveUp(err, attemptNumber);
      } else {
        throw err;
      }
      let delay = backoffDelay(attemptNumber - 1, ctx.settings, ctx.random);
      if (err instanceof OscApiError && err.retryAfterMs !== undefined) {
        delay = Math.max(delay, Math.min(err.retryAfterMs, ctx.settings.maxDelayMs));
      }
      if (ctx.deadline !== undefined && now() + delay > ctx.deadline) throw gaveUp(err, attemptNumber);
      const fields = {
        action: ctx.action,
        attempt: attemptNumber,
        delay_ms: Math.round(delay),
        reason: failure,
        status: err instanceof OscApiError ? err.httpStatus : undefined,
        code: err instanceof OscApiError ? err.code : err instanceof OscNetworkError ? err.errno : undefined,
      };
      const log = ctx.log ?? processLog;
      if (failure === 'throttled') log.debug('OUTSCALE API call throttled, retrying', fields);
      else log.warn('OUTSCALE API call failed, retrying', fields);
      await sleep(delay, ctx.signal, ctx.action);
    }
  }
}
