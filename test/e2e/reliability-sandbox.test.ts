// The two sandbox switches the reliability tests rely on (no terraform needed): throttleFraction's maxConsecutive,
// and RecordedCall.signature.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call } from '../sandbox/helpers.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, imagePendingMs: 0 });
});
afterEach(() => sandbox.close());

describe('sandbox switches for the reliability tests', () => {
  it('throttleFraction maxConsecutive: one request is never throttled more than N times in a row', async () => {
    sandbox.faults.throttleFraction(1, { statuses: [429, 503], maxConsecutive: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await call(sandbox, 'ReadVms', { Filters: { VmIds: ['i-5eed0001'] } })).status);
    // fraction 1: every attempt would be throttled; the cap lets every 4th one through
    expect(statuses.map((s) => s === 200)).toEqual([false, false, false, true, false, false, false, true]);
    // another request (other body) has its own streak
    const other = await call(sandbox, 'ReadVms', {});
    expect(other.status).not.toBe(200);
    expect(sandbox.faults.counters.throttled).toBe(7);
  });

  it('throttleFraction without maxConsecutive keeps throttling', async () => {
    sandbox.faults.throttleFraction(1);
    for (let i = 0; i < 6; i++) expect((await call(sandbox, 'ReadVms', {})).status).toBe(429);
  });

  it('rejects a bad maxConsecutive', () => {
    expect(() => sandbox.faults.throttleFraction(0.5, { maxConsecutive: -1 })).toThrow(RangeError);
    expect(() => sandbox.faults.throttleFraction(0.5, { maxConsecutive: 1.5 })).toThrow(RangeError);
  });

  it('records the Signature= value of each request', async () => {
    await call(sandbox, 'ReadVms', {});
    await call(sandbox, 'ReadVms', {}, { unsigned: true });
    const [signed, unsigned] = sandbox.calls;
    expect(signed!.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(unsigned!.signature).toBeUndefined();
  });
});
