// Reliability when a run is cut short, through the real terraform: Ctrl-C while an image is pending (terraform must
// stop quickly and keep the image in state, tainted) and a provider killed mid-wait (the orphan must never be
// duplicated silently; the next apply names it and says how to import it).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeE2e, workspaceForTest } from './harness/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import {
  imageConfig,
  isAlive,
  ownImages,
  ownImagesNamed,
  providerProcesses,
  reliabilityEnv,
  report,
  spawnTerraform,
  stateInstances,
  waitFor,
  APPLY_ARGS,
  expectTaintedReplaced,
  LONG_PENDING_MS,
} from './reliability/helpers.js';


describeE2e('reliability: interrupted runs', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: LONG_PENDING_MS });
  });
  afterEach(() => sandbox.close());

  const createImageExecuted = () => sandbox.calls.find((c) => c.action === 'CreateImage' && c.executed);

  it('Ctrl-C while the image is pending: terraform stops within 5 s, the image is in state and tainted, the next apply replaces it', async () => {
    const name = 'interrupted';
    const tf = await workspaceForTest({ env: reliabilityEnv(sandbox), config: imageConfig({ name: 'x', imageName: name }) });
    const run = spawnTerraform(tf, APPLY_ARGS, 90_000);
    try {
      await waitFor(createImageExecuted, 'CreateImage to reach the sandbox', 60_000);
      // let the provider enter its wait (a ReadImages poll) before the interrupt
      await waitFor(() => sandbox.calls.some((c) => c.action === 'ReadImages'), 'a first ReadImages poll', 10_000);
      const providers = providerProcesses(run.pid);
      const interruptedAt = Date.now();
      run.signalGroup('SIGINT'); // a terminal's Ctrl-C reaches terraform and the provider (same process group)
      const result = await run.done;
      const stopMs = Date.now() - interruptedAt;
      expect(result.timedOut).toBe(false);
      expect(stopMs).toBeLessThan(5_000);
      expect(result.code).not.toBe(0);
      expect(result.stdout + result.stderr).toMatch(/Interrupt received|interrupted|Interrupted/);
      const log = await tf.readLog();
      expect(log).toContain('StopProvider: cancelling calls in flight'); // terraform asked, the provider cancelled its wait
      expect(log).toContain('Interrupted while waiting for the OMI');

      const images = ownImagesNamed(sandbox, name);
      expect(images).toHaveLength(1);
      expect(images[0]!.State).toBe('pending');
      const inState = stateInstances(await tf.state());
      expect(inState).toEqual([{ address: 'outscale_image.x', id: images[0]!.ImageId, imageName: name, status: 'tainted' }]);
      report('ctrl-c', { stopMs, exit: result.code, providerProcessesAtInterrupt: providers.length, imageId: images[0]!.ImageId });

      // the OMI settles; the next apply replaces the tainted one and leaves no orphan
      const after = await expectTaintedReplaced(tf, sandbox, 300);
      expect(after.id).not.toBe(images[0]!.ImageId);
      expect(sandbox.calls.some((c) => c.action === 'DeleteImage' && (c.request as { ImageId?: string }).ImageId === images[0]!.ImageId)).toBe(true);
    } finally {
      run.kill();
    }
  }, 240_000);

  it('Ctrl-C while CreateImage itself is in flight: the request finishes, the OMI is in state (tainted), no orphan', async () => {
    const name = 'interrupted-in-flight';
    const tf = await workspaceForTest({ env: reliabilityEnv(sandbox), config: imageConfig({ name: 'x', imageName: name }) });
    sandbox.faults.slow(3_000, { actions: ['CreateImage'], count: 1 });
    const run = spawnTerraform(tf, APPLY_ARGS, 90_000);
    try {
      // the sandbox holds the call for 3 s before executing it: interrupt while it is held
      await waitFor(() => sandbox.calls.find((c) => c.action === 'CreateImage'), 'CreateImage to reach the sandbox', 60_000);
      expect(createImageExecuted()).toBeUndefined();
      run.signalGroup('SIGINT');
      const result = await run.done;
      expect(result.timedOut).toBe(false);
      expect(result.code).not.toBe(0);
      const log = await tf.readLog();
      expect(log).toContain('StopProvider: cancelling calls in flight');

      const images = ownImagesNamed(sandbox, name);
      expect(images).toHaveLength(1);
      expect(sandbox.calls.filter((c) => c.action === 'CreateImage').map((c) => c.status)).toEqual([200]);
      expect(stateInstances(await tf.state())).toEqual([{ address: 'outscale_image.x', id: images[0]!.ImageId, imageName: name, status: 'tainted' }]);
      report('ctrl-c during CreateImage', { exit: result.code, imageId: images[0]!.ImageId });

      // the next apply replaces the tainted OMI: no name conflict, no orphan
      await expectTaintedReplaced(tf, sandbox, 300);
    } finally {
      run.kill();
    }
  }, 240_000);

  it('provider killed while the image is pending: the next apply refuses to duplicate it and gives the import command', async () => {
    const name = 'orphaned';
    const tf = await workspaceForTest({ env: reliabilityEnv(sandbox), config: imageConfig({ name: 'x', imageName: name }) });
    const run = spawnTerraform(tf, APPLY_ARGS, 90_000);
    try {
      await waitFor(createImageExecuted, 'CreateImage to reach the sandbox', 60_000);
      const providers = await waitFor(() => {
        const found = providerProcesses(run.pid);
        return found.length > 0 ? found : undefined;
      }, 'the provider process', 10_000);
      const killedAt = Date.now();
      for (const pid of providers) process.kill(pid, 'SIGKILL');
      const result = await run.done;
      const failMs = Date.now() - killedAt;
      expect(result.timedOut).toBe(false);
      expect(result.code).not.toBe(0);
      expect(providers.every((pid) => !isAlive(pid))).toBe(true);

      const images = ownImagesNamed(sandbox, name);
      expect(images).toHaveLength(1);
      const orphanId = images[0]!.ImageId;
      expect(stateInstances(await tf.state())).toEqual([]);

      const again = await tf.apply({ allowFailure: true, timeoutMs: 60_000 });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(orphanId);
      expect(again.stderr.replace(/\s+/g, ' ')).toMatch(new RegExp(`terraform import outscale_image\\.\\S+ ${orphanId}`));
      expect(ownImagesNamed(sandbox, name).map((i) => i.ImageId)).toEqual([orphanId]);
      expect(ownImages(sandbox)).toHaveLength(1);
      expect(sandbox.calls.filter((c) => c.action === 'DeleteImage')).toEqual([]);
      expect(stateInstances(await tf.state())).toEqual([]);
      report('provider killed', {
        failMs,
        killedPids: providers.length,
        orphanId,
        createImageCalls: sandbox.calls.filter((c) => c.action === 'CreateImage').length,
        secondApplyError: again.stderr.trim().slice(0, 700),
      });
    } finally {
      run.kill();
    }
  }, 240_000);
}, { needsProvider: true });
