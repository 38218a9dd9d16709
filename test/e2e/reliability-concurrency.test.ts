// Concurrency through the real terraform: 100 images applied and destroyed with -parallelism=20 in one provider
// process; every command exits 0 and the sandbox ends with no image of the account.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, workspaceForTest } from './harness/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { callsByAction, crashMarkersIn, expectConverged, imageConfig, ownImages, reliabilityEnv, report, stateInstances } from './reliability/helpers.js';

const COUNT = 100;

describeE2e('reliability: concurrency', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: 300 });
  });
  afterAll(() => sandbox?.close());

  it(`${COUNT} images with -parallelism=20: apply, re-plan empty, destroy`, async () => {
    const tf = await workspaceForTest({ env: reliabilityEnv(sandbox), config: imageConfig({ name: 'many', count: COUNT, imageName: 'many' }) });
    const applyStarted = Date.now();
    const applied = await tf.apply({ args: ['-parallelism=20'], timeoutMs: 240_000 });
    const applyMs = Date.now() - applyStarted;
    expect(applied.code).toBe(0);
    const images = ownImages(sandbox);
    expect(images).toHaveLength(COUNT);
    expect(new Set(images.map((i) => i.ImageName)).size).toBe(COUNT);
    const inState = stateInstances(await tf.state());
    expect(inState).toHaveLength(COUNT);
    expect(new Set(inState.map((i) => i.id))).toEqual(new Set(images.map((i) => i.ImageId)));
    expect(inState.every((i) => i.status === undefined)).toBe(true);
    const callsAfterApply = sandbox.calls.length;

    await expectConverged(tf, 240_000);

    const destroyStarted = Date.now();
    const destroyed = await tf.destroy({ args: ['-parallelism=20'], timeoutMs: 240_000 });
    const destroyMs = Date.now() - destroyStarted;
    expect(destroyed.code).toBe(0);
    expect(ownImages(sandbox)).toHaveLength(0);
    expect(stateInstances(await tf.state())).toEqual([]);
    expect(crashMarkersIn(applied.stdout + applied.stderr + destroyed.stdout + destroyed.stderr + (await tf.readLog()))).toEqual([]);
    expect(sandbox.calls.filter((c) => c.status !== 200)).toEqual([]);
    report('concurrency', { images: COUNT, applyMs, destroyMs, callsAfterApply, callsTotal: sandbox.calls.length, byAction: callsByAction(sandbox) });
  }, 400_000);
}, { needsProvider: true });
