import { describe, expect, it } from 'vitest';
import { OscApiError, OscNetworkError } from '../../../src/outscale/errors.js';
import {
  DEFAULT_RETRY_SETTINGS,
  abortableSleep,
  backoffDelay,
  classifyFailure,
  isSafeToRepeat,
  newCounters,
  retrySettingsFromEnv,
  withRetries,
} from '../../../src/outscale/retry.js';

const throttle = (status = 429, code = '25') =>
  new OscApiError({ action: 'X', httpStatus: status, errors: [{ Code: code, Type: 'Throttled' }] });
const serverError = () => new OscApiError({ action: 'X', httpStatus: 500, errors: [{ Code: '2000', Type: 'InternalError' }] });
const badRequest = () => new OscApiError({ action: 'X', httpStatus: 400, errors: [{ Code: '4000', Type: 'InvalidParameterValue' }] });
const refused = () => new OscNetworkError({ action: 'X', host: 'h', kind: 'refused', mayHaveExecuted: false, reason: 'refused' });
const reset = () => new OscNetworkError({ action: 'X', host: 'h', kind: 'reset', mayHaveExecuted: true, reason: 'reset' });

function scripted(failures: unknown[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fn: async () => {
      const f = failures[calls++];
      if (f === undefined) return 'done';
      throw f;
    },
  };
}

function recorder() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

const settings = { ...DEFAULT_RETRY_SETTINGS };

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and adds jitter within [0, jitter)', () => {
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => backoffDelay(i, settings, noJitter))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(backoffDelay(100, settings, noJitter)).toBe(30000);
    expect(backoffDelay(0, settings, () => 0.999)).toBeCloseTo(1999, 0);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(2, settings);
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThan(5000);
    }
  });
});

describe('retrySettingsFromEnv', () => {
  it('defaults, env testing knobs, explicit overrides', () => {
    expect(retrySettingsFromEnv({})).toEqual(DEFAULT_RETRY_SETTINGS);
    const s = retrySettingsFromEnv(
      { OSC_RETRY_BASE_DELAY_MS: '5', OSC_RETRY_JITTER_MS: '0', OSC_RETRY_MAX_DELAY_MS: '20' },
      { maxErrorAttempts: 2 },
    );
    expect(s).toEqual({ ...DEFAULT_RETRY_SETTINGS, baseDelayMs: 5, jitterMs: 0, maxDelayMs: 20, maxErrorAttempts: 2 });
    expect(retrySettingsFromEnv({ OSC_RETRY_BASE_DELAY_MS: 'abc' }).baseDelayMs).toBe(1000);
  });
});

describe('classification', () => {
  it('classifies failures', () => {
    expect(classifyFailure(throttle(429, '24'))).toBe('throttled');
    expect(classifyFailure(throttle(503, '6'))).toBe('throttled');
    expect(classifyFailure(serverError())).toBe('ambiguous');
    expect(classifyFailure(badRequest())).toBe('fatal');
    expect(classifyFailure(refused())).toBe('not-sent');
    expect(classifyFailure(reset())).toBe('ambiguous');
    expect(classifyFailure(new Error('x'))).toBe('fatal');
    expect(classifyFailure(new OscNetworkError({ action: 'X', host: 'h', kind: 'tls', mayHaveExecuted: false, reason: 'cert' }))).toBe('fatal');
  });

  it('lists the calls safe to repeat', () => {
    for (const a of ['ReadImages', 'ReadVms', 'ReadSnapshots', 'UpdateImage', 'DeleteImage', 'CreateTags', 'DeleteTags', 'ReadImageExportTasks', 'DeleteExportTask']) {
      expect(isSafeToRepeat(a)).toBe(true);
    }
    expect(isSafeToRepeat('CreateImage')).toBe(false);
    // a repeated CreateImageExportTask would start a second export
    expect(isSafeToRepeat('CreateImageExportTask')).toBe(false);
  });
});

describe('withRetries', () => {
  it('retries throttling for any call, with growing capped delays', async () => {
    const s = scripted(Array.from({ length: 7 }, () => throttle()));
    const r = recorder();
    const counters = newCounters();
    const result = await withRetries(
      { action: 'CreateImage', settings, safeToRepeat: false, counters, random: () => 0, sleep: r.sleep },
      s.fn,
    );
    expect(result).toBe('done');
    expect(s.calls).toBe(8);
    expect(r.delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(counters).toEqual({ attempts: 8, retries: 7, throttled: 7 });
  });

  it('gives up after maxThrottleAttempts (10) and rethrows the throttling error', async () => {
    const s = scripted(Array.from({ length: 20 }, () => throttle(503, '6')));
    const r = recorder();
    await expect(withRetries({ action: 'ReadImages', settings, safeToRepeat: true, sleep: r.sleep }, s.fn)).rejects.toMatchObject({
      httpStatus: 503,
    });
    expect(s.calls).toBe(10);
    expect(r.delays).toHaveLength(9);
  });

  it('retries 500 for safe calls up to 4 attempts', async () => {
    const s = scripted(Array.from({ length: 10 }, () => serverError()));
    const r = recorder();
    await expect(withRetries({ action: 'ReadImages', settings, safeToRepeat: true, sleep: r.sleep }, s.fn)).rejects.toMatchObject({
      httpStatus: 500,
    });
    expect(s.calls).toBe(4);
  });

  it('does not retry 500 or a reset after sending for non-safe calls', async () => {
    for (const failure of [serverError(), reset()]) {
      const s = scripted([failure]);
      const r = recorder();
      await expect(withRetries({ action: 'CreateImage', settings, safeToRepeat: false, sleep: r.sleep }, s.fn)).rejects.toBe(failure);
      expect(s.calls).toBe(1);
      expect(r.delays).toEqual([]);
    }
  });

  it('retries connection refused for every call', async () => {
    const s = scripted([refused(), refused()]);
    const r = recorder();
    expect(await withRetries({ action: 'CreateImage', settings, safeToRepeat: false, sleep: r.sleep }, s.fn)).toBe('done');
    expect(s.calls).toBe(3);
  });

  it('never retries 4xx', async () => {
    const s = scripted([badRequest()]);
    await expect(withRetries({ action: 'ReadImages', settings, safeToRepeat: true, sleep: recorder().sleep }, s.fn)).rejects.toMatchObject({
      httpStatus: 400,
    });
    expect(s.calls).toBe(1);
  });

  it('stops when the next delay would pass the deadline', async () => {
    let clock = 0;
    const s = scripted(Array.from({ length: 10 }, () => throttle()));
    const sleep = async (ms: number) => void (clock += ms);
    await expect(
      withRetries(
        { action: 'ReadImages', settings, safeToRepeat: true, deadline: 5000, now: () => clock, random: () => 0, sleep },
        s.fn,
      ),
    ).rejects.toMatchObject({ httpStatus: 429 });
    // delays 1000 + 2000 fit (clock 3000); the next one (4000) would end at 7000 > 5000.
    expect(s.calls).toBe(3);
    expect(clock).toBe(3000);
  });

  it('is cancelled during a backoff sleep', async () => {
    const controller = new AbortController();
    const s = scripted(Array.from({ length: 10 }, () => throttle()));
    const promise = withRetries(
      { action: 'ReadImages', settings: { ...settings, baseDelayMs: 60_000, maxDelayMs: 60_000 }, safeToRepeat: true, signal: controller.signal },
      s.fn,
    );
    setTimeout(() => controller.abort(), 20);
    await expect(promise).rejects.toMatchObject({ name: 'AbortError', action: 'ReadImages' });
    expect(s.calls).toBe(1);
  });
});

describe('abortableSleep', () => {
  it('rejects at once when already aborted', async () => {
    await expect(abortableSleep(10_000, AbortSignal.abort(), 'X')).rejects.toMatchObject({ name: 'AbortError' });
  });
  it('resolves after the delay', async () => {
    await expect(abortableSleep(1, undefined, 'X')).resolves.toBeUndefined();
  });
});
