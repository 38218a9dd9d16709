// Waiting for an OMI: poll with a schedule that notices a quick change within about a second, then backs off to a
// capped interval so that long waits (image creation can take tens of minutes) make few calls.

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
