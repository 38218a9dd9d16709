// Waiting for an OMI: poll with a schedule that notices a quick change within about a second, then backs off to a
// capped interval so that long waits (image creation can take tens of minutes) make few calls.

import { isAbortError } from '../../outscale/errors.js';
import { classifyFailure } from '../../outscale/retry.js';
import type { Image } from '../../outscale/types.js';

export interface PollSchedule {
  /** Delay before the n-th poll (n from 0). */
  delayMs(n: number): number;
}

export const defaultSchedule: PollSchedule = {
  delayMs: (n) => Math.min(10_000, Math.round(250 * 1.5 ** n)),
};

/** Resolves after ms, or rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class WaitTimeoutError extends Error {}

/**
 * Calls `check` until it returns a result (not undefined), sleeping per the schedule, within `timeoutMs`.
 * The wait ends early when `signal` aborts.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; signal?: AbortSignal; schedule?: PollSchedule; describe: () => string },
): Promise<T> {
  const schedule = options.schedule ?? defaultSchedule;
  const deadline = Date.now() + options.timeoutMs;
  for (let n = 0; ; n++) {
    const result = await check();
    if (result !== undefined) return result;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new WaitTimeoutError(`timed out after ${Math.round(options.timeoutMs / 1000)} s ${options.describe()}`);
    await sleep(Math.min(schedule.delayMs(n), remaining), options.signal);
  }
}

/** How long a new OMI may stay unlisted (eventual consistency) before the wait gives up on it. */
export const NEVER_LISTED_GRACE_MS = 60_000;

export class ImageStateError extends Error {}

export interface ImageWaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Default NEVER_LISTED_GRACE_MS (or the timeout when shorter). */
  unlistedGraceMs?: number;
  schedule?: PollSchedule;
  /** The read of one OMI (batched in production); undefined when the API does not list it. */
  read: (options: { signal?: AbortSignal; deadline: number }) => Promise<Image | undefined>;
  id: string;
}

/**
 * Waits until the OMI leaves `pending`: `available` and `failed` are the outcomes (the caller tells them apart); any
 * other state is an error, and so is an OMI not listed for a whole grace period. Transient read failures (5xx,
 * network, throttling beyond the client's retries) are tolerated until the timeout; a rejected read (4xx) is not.
 */
export async function waitForImage(options: ImageWaitOptions): Promise<Image> {
  const { id, signal } = options;
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const grace = Math.min(options.unlistedGraceMs ?? NEVER_LISTED_GRACE_MS, options.timeoutMs);
  let lastListed = started;
  let last: Image | undefined;
  let lastError: unknown;
  return pollUntil(
    async () => {
      try {
        last = await options.read({ signal, deadline });
        lastError = undefined;
      } catch (e) {
        if (isAbortError(e) || classifyFailure(e) === 'fatal') throw e;
        lastError = e;
        return undefined;
      }
      if (last === undefined) {
        if (Date.now() - lastListed >= grace)
          throw new ImageStateError(`${id} was not listed by ReadImages for ${Math.round(grace / 1000)} s`);
        return undefined;
      }
      lastListed = Date.now();
      if (last.State === 'pending') return undefined;
      if (last.State === 'available' || last.State === 'failed') return last;
      throw new ImageStateError(`${id} is in the unexpected state ${JSON.stringify(last.State ?? null)} (expected pending, then available)`);
    },
    {
      timeoutMs: options.timeoutMs,
      signal,
      ...(options.schedule ? { schedule: options.schedule } : {}),
      describe: () =>
        `waiting for ${id} to become available (state ${last?.State ?? 'not listed yet'}` +
        (lastError ? `; last read failed: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '') +
        ')',
    },
  );
}
