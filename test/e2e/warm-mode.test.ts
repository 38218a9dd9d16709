// Warm mode through the real terraform: Terraform launches the native launcher, which hands each launch to a resident
// provider process. Several terraform processes at once against two different sandboxes (each session has its own
// environment), Ctrl-C (StopProvider cancels only that session), terraform killed with SIGKILL mid-CreateImage (the
// session ends and frees its API client, the state stays true, the resident serves on), and the resident killed with
// SIGKILL mid-apply (the run fails, the state stays true, the next launches fall back to the normal start).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeE2e, repoPaths, workspaceForTest } from './harness/index.js';
import {
  expectConverged,
  finishPendingImages,
  imageConfig,
  imageResource,
  isAlive,
  ownImages,
  ownImagesNamed,
  reliabilityEnv,
  spawnTerraform,
  stateInstances,
  waitFor,
  APPLY_ARGS,
  expectTaintedReplaced,
  LONG_PENDING_MS,
} from './reliability/helpers.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { warmPaths } from '../../src/host/warm/runtime-dir.js';


describeE2e('warm mode', () => {
  const root = repoPaths.root;
  let dir: string;
  let buildId: string;
  let warmEnv: Record<string, string>;

  const paths = () => warmPaths(dir, buildId);
  const residentPid = () => (existsSync(paths().pid) ? Number(readFileSync(paths().pid, 'utf8')) : undefined);

  /** Starts a resident the way the launcher does (detached, no credentials in its environment). */
  async function startResident(): Promise<number> {
    const child = spawn(join(root, 'bin/terraform-provider-outscale-node'), ['--resident'], {
      env: { PATH: process.env.PATH ?? '', OUTSCALE_PROVIDER_WARM_DIR: dir, OUTSCALE_PROVIDER_WARM_IDLE_SECONDS: '120' },
      stdio: 'ignore',
      detached: true,
    });
    child.unref();
    return waitFor(() => residentPid(), 'the resident to listen', 60_000);
  }

  function stopResident(): void {
    const pid = residentPid();
    if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGTERM');
  }

  /** Every launch logs where its gRPC server listens: a session socket in the warm directory, or a normal start. */
  const listening = (log: string) => log.split('\n').filter((line) => line.includes('plugin server listening'));
  const warmLaunches = (log: string) => listening(log).filter((line) => line.includes(`address=${dir}/`)).length;
  const coldLaunches = (log: string) => listening(log).filter((line) => !line.includes(`address=${dir}/`)).length;

  beforeAll(() => {
    buildId = readFileSync(join(root, 'dist/warm-build-id'), 'utf8').trim();
    dir = join(mkdtempSync(join(tmpdir(), 'warm-e2e-')), 'run');
    mkdirSync(dir, { mode: 0o700 });
    warmEnv = { OUTSCALE_PROVIDER_WARM: '1', OUTSCALE_PROVIDER_WARM_DIR: dir, OUTSCALE_PROVIDER_WARM_IDLE_SECONDS: '120' };
  });
  afterAll(() => stopResident());

  let sandboxes: Sandbox[] = [];
  beforeEach(async () => {
    if (residentPid() === undefined || !isAlive(residentPid()!)) await startResident();
  });
  afterEach(async () => {
    await Promise.all(sandboxes.map((s) => s.close()));
    sandboxes = [];
  });
  const sandbox = async (imagePendingMs: number) => {
    const s = await startSandbox({ port: 0, imagePendingMs });
    sandboxes.push(s);
    return s;
  };

  it('four terraform processes at once against two sandboxes: every launch is a warm session with its own configuration', async () => {
    const [one, two] = [await sandbox(200), await sandbox(200)];
    const workspaces = await Promise.all(
      [one, one, two, two].map((s, i) =>
        workspaceForTest({ env: reliabilityEnv(s!, warmEnv), config: imageConfig({ name: 'x', count: 2, imageName: `parallel-${i}` }) }),
      ),
    );
    await Promise.all(workspaces.map((tf) => tf.apply({ timeoutMs: 180_000 })));
    for (const [i, tf] of workspaces.entries()) {
      const mine = i < 2 ? one! : two!;
      const other = i < 2 ? two! : one!;
      const ids = stateInstances(await tf.state()).map((instance) => instance.id);
      expect(ids).toHaveLength(2);
      expect(ownImagesNamed(mine, `parallel-${i}-0`).map((image) => image.ImageId)).toEqual([ids[0]]);
      expect(ownImages(other).some((image) => ids.includes(image.ImageId))).toBe(false);
      const log = await tf.readLog();
      expect(warmLaunches(log)).toBeGreaterThanOrEqual(4); // apply launches the provider 4 times
      expect(coldLaunches(log)).toBe(0);
    }
    await Promise.all(workspaces.map((tf) => expectConverged(tf)));
    const peak = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${residentPid()}/status`, 'utf8'))?.[1];
    console.info(`[warm] resident peak memory after 4 terraform processes at once: ${Math.round(Number(peak) / 1024)} MiB`);
    await Promise.all(workspaces.map((tf) => tf.destroy({ timeoutMs: 180_000 })));
    expect([...ownImages(one!), ...ownImages(two!)]).toEqual([]);
    expect(isAlive(residentPid()!)).toBe(true);
  }, 600_000);

  it('Ctrl-C while the image is pending: that session stops, the image is in state and tainted, the resident keeps serving', async () => {
    const s = await sandbox(LONG_PENDING_MS);
    const pid = residentPid()!;
    const tf = await workspaceForTest({ env: reliabilityEnv(s, warmEnv), config: imageConfig({ name: 'x', imageName: 'interrupted' }) });
    const run = spawnTerraform(tf, APPLY_ARGS, 120_000);
    try {
      await waitFor(() => s.calls.find((c) => c.action === 'CreateImage' && c.executed), 'CreateImage to reach the sandbox', 90_000);
      await waitFor(() => s.calls.some((c) => c.action === 'ReadImages'), 'a first ReadImages poll', 30_000);
      run.signalGroup('SIGINT');
      const result = await run.done;
      expect(result.timedOut).toBe(false);
      expect(result.code).not.toBe(0);
      const log = await tf.readLog();
      expect(log).toContain('StopProvider: cancelling calls in flight');
      expect(log).toContain('Interrupted while waiting for the OMI');
      expect(coldLaunches(log)).toBe(0);

      const images = ownImagesNamed(s, 'interrupted');
      expect(images).toHaveLength(1);
      expect(stateInstances(await tf.state())).toEqual([
        { address: 'outscale_image.x', id: images[0]!.ImageId, imageName: 'interrupted', status: 'tainted' },
      ]);
      expect(residentPid()).toBe(pid);
      expect(isAlive(pid)).toBe(true);

      await expectTaintedReplaced(tf, s, 200, 180_000);
    } finally {
      run.kill();
    }
  }, 600_000);

  it('terraform killed with SIGKILL while CreateImage is in flight: the session ends and frees its client, the resident serves on, the next apply names the OMI', async () => {
    const s = await sandbox(200);
    const pid = residentPid()!;
    const tf = await workspaceForTest({ env: reliabilityEnv(s, warmEnv), config: imageConfig({ name: 'x', imageName: 'cut-off' }) });
    s.faults.slow(3_000, { actions: ['CreateImage'], count: 1 });
    const run = spawnTerraform(tf, APPLY_ARGS, 120_000);
    try {
      // the sandbox holds the request 3 s, then executes it as an API that received it whole would
      await waitFor(() => s.calls.find((c) => c.action === 'CreateImage'), 'CreateImage to reach the sandbox', 90_000);
      run.signalGroup('SIGKILL'); // terraform and its launchers; the session sees its launcher connection close
      const result = await run.done;
      expect(result.code).not.toBe(0);
      const orphan = await waitFor(() => ownImagesNamed(s, 'cut-off')[0], 'the held CreateImage to be executed', 30_000);
      expect(stateInstances(await tf.state())).toEqual([]);
      expect(isAlive(pid)).toBe(true);

      const again = await tf.apply({ allowFailure: true, timeoutMs: 180_000 });
      expect(again.code).toBe(1);
      expect(again.stderr.replace(/\s+/g, ' ')).toMatch(new RegExp(`terraform import outscale_image\\.\\S+ ${orphan.ImageId}`));
      expect(ownImagesNamed(s, 'cut-off').map((i) => i.ImageId)).toEqual([orphan.ImageId]);
      expect(stateInstances(await tf.state())).toEqual([]);
      expect(coldLaunches(await tf.readLog())).toBe(0); // the same resident served the next command
      expect(residentPid()).toBe(pid);
    } finally {
      run.kill();
    }
  }, 600_000);

  it('the resident killed with SIGKILL mid-apply: the apply fails, the state stays true, later launches fall back', async () => {
    const s = await sandbox(LONG_PENDING_MS);
    const tf = await workspaceForTest({ env: reliabilityEnv(s, warmEnv), config: imageConfig({ name: 'kept', imageName: 'kept' }) });
    finishPendingImages(s, 200);
    await tf.apply({ timeoutMs: 180_000 });
    const kept = stateInstances(await tf.state());
    expect(kept).toHaveLength(1);

    s.state.timing.imagePendingMs = LONG_PENDING_MS;
    await tf.writeConfig(`${imageConfig({ name: 'kept', imageName: 'kept' })}\n${imageResource({ name: 'x', imageName: 'orphaned' })}`);
    const run = spawnTerraform(tf, APPLY_ARGS, 120_000);
    try {
      await waitFor(() => ownImagesNamed(s, 'orphaned').length > 0, 'the new OMI to be created', 90_000);
      const pid = residentPid()!;
      process.kill(pid, 'SIGKILL');
      const result = await run.done;
      expect(result.timedOut).toBe(false);
      expect(result.code).not.toBe(0);
      expect(isAlive(pid)).toBe(false);

      // what was in state is still there and exists; the OMI being created is not in state (as with a cold
      // provider killed mid-apply), and the next apply names it instead of duplicating it
      expect(stateInstances(await tf.state())).toEqual(kept);
      expect(ownImagesNamed(s, 'kept').map((i) => i.ImageId)).toEqual([kept[0]!.id]);
      const orphan = ownImagesNamed(s, 'orphaned');
      expect(orphan).toHaveLength(1);
      finishPendingImages(s, 200);
      const again = await tf.apply({ allowFailure: true, timeoutMs: 180_000 });
      expect(again.code).toBe(1);
      expect(again.stderr.replace(/\s+/g, ' ')).toMatch(new RegExp(`terraform import outscale_image\\.\\S+ ${orphan[0]!.ImageId}`));
      expect(ownImagesNamed(s, 'orphaned')).toHaveLength(1);
      expect(stateInstances(await tf.state())).toEqual(kept);
      // the stale socket made those launches start the normal way (and a new resident came up for later ones)
      expect(coldLaunches(await tf.readLog())).toBeGreaterThan(0);
    } finally {
      run.kill();
    }
  }, 600_000);
}, { needsProvider: true });
