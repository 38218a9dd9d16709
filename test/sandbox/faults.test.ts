import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, errorCode, ok } from './helpers.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ imagePendingMs: 0 });
});
afterEach(() => sandbox.close());

const last = () => sandbox.calls[sandbox.calls.length - 1]!;

describe('faults', () => {
  it('throttleNext answers 429 code 24 (per account) then recovers', async () => {
    sandbox.faults.throttleNext(2);
    for (let i = 0; i < 2; i++) {
      const answer = await call(sandbox, 'ReadImages', {});
      expect({ status: answer.status, code: errorCode(answer), type: answer.body.Errors[0].Type }).toEqual({
        status: 429, code: '24', type: 'ErrorOperationThrottledPerAccount',
      });
      expect(last()).toMatchObject({ status: 429, fault: 'throttle-429', executed: false });
    }
    expect((await call(sandbox, 'ReadImages', {})).status).toBe(200);
    expect(sandbox.faults.counters.throttled).toBe(2);
  });

  it('throttleNext limited to actions answers code 25, and 503 gives code 6', async () => {
    sandbox.faults.throttleNext(1, { actions: ['CreateImage'] });
    expect((await call(sandbox, 'ReadImages', {})).status).toBe(200);
    const perCall = await call(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'throttled' });
    expect([perCall.status, errorCode(perCall)]).toEqual([429, '25']);
    expect(sandbox.state.images.size).toBe(3); // nothing created
    sandbox.faults.throttleNext(1, { status: 503 });
    const platform = await call(sandbox, 'ReadImages', {});
    expect([platform.status, errorCode(platform)]).toEqual([503, '6']);
  });

  it('throttleFraction throttles a reproducible share of calls', async () => {
    const run = async () => {
      const s = await startSandbox();
      try {
        s.faults.throttleFraction(0.5, { seed: 42, statuses: [429, 503] });
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) statuses.push((await call(s, 'ReadVms', {})).status);
        return { statuses, counted: s.faults.counters.throttled };
      } finally {
        await s.close();
      }
    };
    const first = await run();
    const second = await run();
    expect(first.statuses).toEqual(second.statuses);
    const throttled = first.statuses.filter((s) => s !== 200).length;
    expect(throttled).toBe(first.counted);
    expect(throttled).toBeGreaterThan(5);
    expect(throttled).toBeLessThan(35);
    expect(new Set(first.statuses.filter((s) => s !== 200))).toEqual(new Set([429, 503]));
  });

  it('failNext answers 500 without executing', async () => {
    sandbox.faults.failNext(1, { actions: ['CreateImage'] });
    const answer = await call(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'boom' });
    expect([answer.status, errorCode(answer)]).toEqual([500, '2000']);
    expect(last()).toMatchObject({ fault: 'fail-500', executed: false });
    expect((await ok(sandbox, 'ReadImages', { Filters: { ImageNames: ['boom'] } })).Images).toEqual([]);
    expect(sandbox.faults.counters.failed).toBe(1);
  });

  it('failNext afterExecute applies the effect and still answers the error', async () => {
    sandbox.faults.failNext(1, { status: 502, afterExecute: true });
    const answer = await call(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'ghost' });
    expect(answer.status).toBe(502);
    expect(last()).toMatchObject({ fault: 'fail-after-502', executed: true, status: 502 });
    expect((await ok(sandbox, 'ReadImages', { Filters: { ImageNames: ['ghost'] } })).Images).toHaveLength(1);
  });

  it('dropConnection before executing destroys the socket and changes nothing', async () => {
    sandbox.faults.dropConnection(1, { when: 'before' });
    await expect(call(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'dropped' })).rejects.toThrow();
    expect(last()).toMatchObject({ status: 0, response: undefined, fault: 'drop-before', executed: false });
    expect((await ok(sandbox, 'ReadImages', { Filters: { ImageNames: ['dropped'] } })).Images).toEqual([]);
    expect(sandbox.faults.counters.dropped).toBe(1);
  });

  it('dropConnection after executing applies the effect', async () => {
    sandbox.faults.dropConnection(1, { when: 'after', actions: ['CreateImage'] });
    await expect(call(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'half-done' })).rejects.toThrow();
    expect(last()).toMatchObject({ status: 0, fault: 'drop-after', executed: true });
    expect((await ok(sandbox, 'ReadImages', { Filters: { ImageNames: ['half-done'] } })).Images).toHaveLength(1);
  });

  it('slow holds the chosen calls back while others are answered', async () => {
    sandbox.faults.slow(300, { actions: ['ReadVms'], count: 1 });
    const order: string[] = [];
    const slowCall = call(sandbox, 'ReadVms', {}).then((a) => order.push(`ReadVms ${a.status}`));
    await new Promise((r) => setTimeout(r, 20));
    await call(sandbox, 'ReadImages', {}).then((a) => order.push(`ReadImages ${a.status}`));
    await slowCall;
    expect(order).toEqual(['ReadImages 200', 'ReadVms 200']);
    expect(sandbox.calls.find((c) => c.action === 'ReadVms')!.fault).toBe('slow-300');
    expect(sandbox.faults.counters.slowed).toBe(1);
    await call(sandbox, 'ReadVms', {});
    expect(last().fault).toBeUndefined();
  });

  it('hold keeps a received call from running until released, then runs and answers it', async () => {
    const held = sandbox.faults.hold({ actions: ['CreateImage'] });
    const answer = call(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'held-image' });
    await held.reached;
    expect(held.waiting).toBe(1);
    expect(sandbox.calls.find((c) => c.action === 'CreateImage')).toMatchObject({ executed: false, status: 0 });
    expect((await ok(sandbox, 'ReadImages', { Filters: { ImageNames: ['held-image'] } })).Images).toHaveLength(0);
    held.release();
    expect((await answer).status).toBe(200);
    expect(sandbox.calls.find((c) => c.action === 'CreateImage')).toMatchObject({ executed: true, status: 200, fault: 'held' });
    expect(sandbox.faults.counters.held).toBe(1);
    await call(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'not-held' });
    expect(last().fault).toBeUndefined();
  });

  it('skip aims a fault at the nth matched call; faults queued together stay aligned', async () => {
    sandbox.faults.throttleNext(1, { actions: ['ReadVms'], skip: 2 });
    sandbox.faults.throttleNext(1, { actions: ['ReadVms'], status: 503, skip: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(sandbox, 'ReadVms', {})).status);
    await call(sandbox, 'ReadImages', {}); // other actions do not count
    expect(statuses).toEqual([200, 200, 429, 503, 200]);
  });

  it('releaseHeld lets held calls go and the admin route holds and releases', async () => {
    sandbox.faults.hold({ actions: ['ReadVms'] });
    const first = call(sandbox, 'ReadVms', {});
    await new Promise((r) => setTimeout(r, 20));
    sandbox.faults.releaseHeld();
    expect((await first).status).toBe(200);
    const admin = (path: string, body?: unknown) =>
      fetch(`http://127.0.0.1:${sandbox.port}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await admin('/_sandbox/faults', { kind: 'hold', actions: ['ReadVms'] })).status).toBe(200);
    const second = call(sandbox, 'ReadVms', {});
    await new Promise((r) => setTimeout(r, 20));
    expect(sandbox.calls.filter((c) => c.action === 'ReadVms')[1]).toMatchObject({ executed: false });
    expect((await admin('/_sandbox/release-held')).status).toBe(200);
    expect((await second).status).toBe(200);
  });

  it("down('unavailable') answers 503 code 6 to every call until lifted", async () => {
    sandbox.faults.down('unavailable');
    const answer = await call(sandbox, 'ReadImages', {});
    expect([answer.status, errorCode(answer)]).toEqual([503, '6']);
    expect(last().fault).toBe('down-unavailable');
    sandbox.faults.down(false);
    expect((await call(sandbox, 'ReadImages', {})).status).toBe(200);
  });

  it("down('refuse') closes the listener and down(false) reopens it on the same port", async () => {
    sandbox.faults.down('refuse');
    await new Promise((r) => setTimeout(r, 20));
    await expect(call(sandbox, 'ReadImages', {})).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    sandbox.faults.down(false);
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = await call(sandbox, 'ReadImages', {}).then((a) => a.status, () => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 10));
    }
    expect(status).toBe(200);
  });

  it('clear() removes pending faults', async () => {
    sandbox.faults.throttleNext(5);
    sandbox.faults.failNext(5);
    sandbox.faults.clear();
    expect((await call(sandbox, 'ReadImages', {})).status).toBe(200);
  });

  it('faults apply only after authentication', async () => {
    sandbox.faults.throttleNext(1);
    expect((await call(sandbox, 'ReadImages', {}, { secretKey: 'y'.repeat(40) })).status).toBe(401);
    expect((await call(sandbox, 'ReadImages', {})).status).toBe(429);
  });
});
