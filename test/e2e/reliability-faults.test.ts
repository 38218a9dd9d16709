// Reliability under API faults, through the real terraform: a throttling storm, ambiguous CreateImage failures
// (executed, then the connection dropped or a 500 answered) and an API that is unreachable or down for good.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeE2e, providerBlock, workspaceForTest } from './harness/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import {
  callsByAction,
  closedPort,
  crashMarkersIn,
  expectConverged,
  imageConfig,
  imageResource,
  ownImages,
  ownImagesNamed,
  reliabilityEnv,
  report,
  stateInstances,
} from './reliability/helpers.js';

const PENDING_MS = 300;

describeE2e('reliability: API faults', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: PENDING_MS });
  });
  afterEach(() => sandbox.close());

  it('throttling storm: 30 images while half of all calls are throttled (429/503)', async () => {
    const count = 30;
    const tf = await workspaceForTest({ env: reliabilityEnv(sandbox), config: imageConfig({ name: 'storm', count, imageName: 'storm' }) });
    // Half of every call throttled; one request is never throttled more than 7 times in a row, which stays within the
    // client's documented budget of 10 attempts (without the cap, a few of ~150 requests would exhaust it by chance).
    sandbox.faults.throttleFraction(0.5, { statuses: [429, 503], maxConsecutive: 7 });
    const started = Date.now();
    const applied = await tf.apply({ timeoutMs: 150_000 });
    const applyMs = Date.now() - started;
    const applyCalls = sandbox.calls.length;
    const throttledDuringApply = sandbox.faults.counters.throttled;

    const images = ownImages(sandbox);
    expect(images).toHaveLength(count);
    expect(new Set(images.map((i) => i.ImageName))).toEqual(new Set(Array.from({ length: count }, (_, i) => `storm-${i}`)));
    expect(images.every((i) => i.State === 'available')).toBe(true);
    const inState = stateInstances(await tf.state());
    expect(inState).toHaveLength(count);
    expect(inState.every((i) => i.status === undefined)).toBe(true);
    expect(new Set(inState.map((i) => i.id))).toEqual(new Set(images.map((i) => i.ImageId)));
    expect(crashMarkersIn(applied.stderr + applied.stdout)).toEqual([]);
    expect(throttledDuringApply).toBeGreaterThan(count); // the storm really hit the apply
    expect(sandbox.calls.filter((c) => c.action === 'CreateImage' && c.executed)).toHaveLength(count);

    await expectConverged(tf); // still under the storm
    const log = await tf.readLog();
    report('throttling storm', {
      images: images.length,
      retriesLoggedByProvider: (log.match(/OUTSCALE API call throttled, retrying/g) ?? []).length,
      applyMs,
      applyCalls,
      throttledDuringApply,
      throttled429: sandbox.calls.filter((c) => c.fault === 'throttle-fraction-429').length,
      throttled503: sandbox.calls.filter((c) => c.fault === 'throttle-fraction-503').length,
      callsTotal: sandbox.calls.length,
      throttledTotal: sandbox.faults.counters.throttled,
      byAction: callsByAction(sandbox),
    });
  }, 300_000);

  for (const fault of ['drop-after', 'fail-after-500'] as const) {
    it(`ambiguous CreateImage (${fault}): exactly one image, recorded in state, no changes after`, async () => {
      const name = `ambiguous-${fault}`;
      const tf = await workspaceForTest({ env: reliabilityEnv(sandbox), config: imageConfig({ name: 'x', imageName: name }) });
      if (fault === 'drop-after') sandbox.faults.dropConnection(1, { when: 'after', actions: ['CreateImage'] });
      else sandbox.faults.failNext(1, { afterExecute: true, actions: ['CreateImage'] });

      const started = Date.now();
      await tf.apply({ timeoutMs: 90_000 });
      const applyMs = Date.now() - started;
      const faulted = sandbox.calls.filter((c) => c.action === 'CreateImage' && c.fault === fault);
      expect(faulted).toHaveLength(1);
      expect(faulted[0]!.executed).toBe(true);

      const images = ownImagesNamed(sandbox, name);
      expect(images).toHaveLength(1);
      expect(ownImages(sandbox)).toHaveLength(1);
      const inState = stateInstances(await tf.state());
      expect(inState).toEqual([{ address: 'outscale_image.x', id: images[0]!.ImageId, imageName: name, status: undefined }]);
      expect(await tf.resource('outscale_image.x')).toMatchObject({ id: images[0]!.ImageId, state: 'available' });
      await expectConverged(tf);
      expect(ownImagesNamed(sandbox, name)).toHaveLength(1);
      report(`ambiguous create ${fault}`, {
        applyMs,
        recoveredByLookup: ((await tf.readLog()).match(/CreateImage outcome recovered by name lookup/g) ?? []).length,
        imageId: images[0]!.ImageId,
        createImageCalls: sandbox.calls.filter((c) => c.action === 'CreateImage').length,
        faults: { ...sandbox.faults.counters },
        byAction: callsByAction(sandbox),
      });
    }, 180_000);
  }

  it('connection refused: a clear error naming the endpoint, quickly', async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}/api/v1`;
    const tf = await workspaceForTest({
      env: reliabilityEnv(sandbox, { OSC_ENDPOINT_API: endpoint }),
      config: imageConfig({ name: 'x', imageName: 'unreachable' }),
    });
    const result = await tf.apply({ allowFailure: true, timeoutMs: 60_000 });
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).toMatch(/refused|ECONNREFUSED/i);
    expect(crashMarkersIn(result.stderr + (await tf.readLog()))).toEqual([]);
    expect(result.durationMs).toBeLessThan(60_000);
    const log = await tf.readLog();
    report('connection refused', {
      durationMs: result.durationMs,
      retriesLoggedByProvider: (log.match(/OUTSCALE API call failed, retrying/g) ?? []).length,
      error: result.stderr.trim().slice(0, 600),
    });
  }, 90_000);

  it('endless 503: a clear error about throttling and the retries, quickly', async () => {
    const tf = await workspaceForTest({ env: reliabilityEnv(sandbox), config: `${providerBlock()}\n${imageResource({ name: 'x', imageName: 'down' })}` });
    sandbox.faults.down('unavailable');
    const result = await tf.apply({ allowFailure: true, timeoutMs: 60_000 });
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    // the client's documented budget: 10 attempts while throttled
    expect(sandbox.calls.filter((c) => c.action === 'CreateImage')).toHaveLength(10);
    expect(result.stderr).toMatch(/503/);
    expect(result.stderr).toMatch(/throttl/i);
    expect(result.stderr).toMatch(/retr|attempt/i);
    expect(crashMarkersIn(result.stderr + (await tf.readLog()))).toEqual([]);
    expect(ownImages(sandbox)).toHaveLength(0);
    expect(result.durationMs).toBeLessThan(60_000);
    report('endless 503', {
      durationMs: result.durationMs,
      calls: sandbox.calls.length,
      rejected503: sandbox.faults.counters.throttled,
      error: result.stderr.trim().slice(0, 600),
    });
  }, 90_000);
}, { needsProvider: true });
