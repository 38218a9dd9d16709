// The real OSC client against the local OUTSCALE API sandbox: signing accepted, pagination, tags, throttling, dropped
// connections and failures after execution on CreateImage → never more than one image.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OscClient } from '../../src/outscale/client.js';
import { OscApiError, OscNetworkError } from '../../src/outscale/errors.js';
import { SEEDED, type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createImageRecovering } from '../../src/resources/image/create.js';

let sandbox: Sandbox;
const clients: OscClient[] = [];

// The documented testing knobs keep backoff delays in milliseconds.
const FAST_RETRY_ENV = { OSC_RETRY_BASE_DELAY_MS: '2', OSC_RETRY_JITTER_MS: '2', OSC_RETRY_MAX_DELAY_MS: '20' };

function newClient(overrides: { secretKey?: string; endpoint?: string } = {}): OscClient {
  const c = new OscClient({
    endpoint: overrides.endpoint ?? sandbox.url,
    region: sandbox.region,
    accessKey: sandbox.accessKey,
    secretKey: overrides.secretKey ?? sandbox.secretKey,
    env: FAST_RETRY_ENV,
  });
  clients.push(c);
  return c;
}

function imagesNamed(name: string) {
  return [...sandbox.state.images.values()].filter((i) => i.ImageName === name && i.AccountId === sandbox.accountId);
}

function createCalls(name: string) {
  return sandbox.calls.filter((c) => c.action === 'CreateImage' && (c.request as { ImageName?: string })?.ImageName === name);
}

let counter = 0;
const uniqueName = (label: string) => `client-it-${label}-${++counter}`;

beforeAll(async () => {
  sandbox = await startSandbox({ imagePendingMs: 0 });
});

afterEach(() => {
  sandbox.faults.clear();
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await sandbox.close();
});

describe('client ↔ sandbox', () => {
  it('reads the seeded resources with a signature the sandbox accepts', async () => {
    const c = newClient();
    const images = await c.readImages({ Filters: { ImageIds: [...SEEDED.publicImageIds] } });
    expect(images.Images?.map((i) => i.ImageId).sort()).toEqual([...SEEDED.publicImageIds].sort());
    expect((await c.readVms({ Filters: { VmIds: [SEEDED.vmId] } })).Vms?.[0]?.VmId).toBe(SEEDED.vmId);
    const snaps = await c.readSnapshots({ Filters: { SnapshotIds: [SEEDED.snapshotIds[0]] } });
    expect(snaps.Snapshots?.map((s) => s.SnapshotId)).toEqual([SEEDED.snapshotIds[0]]);
  });

  it('follows pagination across several pages', async () => {
    const c = newClient();
    const before = sandbox.calls.length;
    const res = await c.readImages({ Filters: { ImageIds: [...SEEDED.publicImageIds] }, ResultsPerPage: 2 });
    expect(res.Images).toHaveLength(3);
    expect(sandbox.calls.slice(before).filter((x) => x.action === 'ReadImages')).toHaveLength(2);
  });

  it('a wrong secret key gives a 401 OscApiError, not retried', async () => {
    const c = newClient({ secretKey: 'wrongSecretKey000000000000000000000000000' });
    const before = sandbox.calls.length;
    const err = await c.readImages().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OscApiError);
    expect((err as OscApiError).httpStatus).toBe(401);
    expect((err as Error).message).not.toContain('wrongSecretKey');
    expect(sandbox.calls.length - before).toBe(1);
  });

  it('create, tag, update, read, delete an image; unknown image → undefined / 5023', async () => {
    const c = newClient();
    const name = uniqueName('lifecycle');
    const { image, recovered } = await createImageRecovering(c, { ImageName: name, VmId: SEEDED.vmId, NoReboot: true });
    expect(recovered).toBe(false);
    const id = image.ImageId!;
    await c.createTags({ ResourceIds: [id], Tags: [{ Key: 'env', Value: 'test' }] });
    await c.updateImage({ ImageId: id, Description: 'updated' });
    const read = await c.readImage(id);
    expect(read?.Description).toBe('updated');
    expect(read?.Tags).toEqual([{ Key: 'env', Value: 'test' }]);
    await c.deleteTags({ ResourceIds: [id], Tags: [{ Key: 'env', Value: 'test' }] });
    expect((await c.readImage(id))?.Tags ?? []).toEqual([]);
    await c.deleteImage({ ImageId: id });
    expect(await c.readImage(id)).toBeUndefined();
    const err = await c.deleteImage({ ImageId: 'ami-00000000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OscApiError);
    expect((err as OscApiError).code).toBe('5023');
  });

  it('throttling (429 then 503) on CreateImage is retried; one image', async () => {
    const c = newClient();
    const name = uniqueName('throttled');
    sandbox.faults.throttleNext(2, { status: 429, actions: ['CreateImage'] });
    sandbox.faults.throttleNext(1, { status: 503, actions: ['CreateImage'] });
    const res = await createImageRecovering(c, { ImageName: name, VmId: SEEDED.vmId });
    expect(res.recovered).toBe(false);
    expect(c.counters.throttled).toBe(3);
    expect(createCalls(name)).toHaveLength(4);
    expect(imagesNamed(name)).toHaveLength(1);
  });

  it('reads survive throttling and dropped connections', async () => {
    const c = newClient();
    sandbox.faults.throttleNext(3, { status: 503, actions: ['ReadImages'] });
    sandbox.faults.dropConnection(1, { when: 'before', actions: ['ReadImages'] });
    const res = await c.readImages({ Filters: { ImageIds: [SEEDED.publicImageIds[0]] } });
    expect(res.Images).toHaveLength(1);
    expect(c.counters.retries).toBe(4);
  });

  for (const [label, inject] of [
    ['connection dropped before execution', () => sandbox.faults.dropConnection(1, { when: 'before', actions: ['CreateImage'] })],
    ['connection dropped after execution', () => sandbox.faults.dropConnection(1, { when: 'after', actions: ['CreateImage'] })],
    ['500 after execution', () => sandbox.faults.failNext(1, { status: 500, actions: ['CreateImage'], afterExecute: true })],
    ['500 before execution', () => sandbox.faults.failNext(1, { status: 500, actions: ['CreateImage'] })],
  ] as const) {
    it(`createImageRecovering, ${label}: exactly one image`, async () => {
      const c = newClient();
      const name = uniqueName(label.replace(/\W+/g, '-'));
      inject();
      const res = await createImageRecovering(c, { ImageName: name, VmId: SEEDED.vmId, Description: 'safe' });
      const mine = imagesNamed(name);
      expect(mine).toHaveLength(1);
      expect(res.image.ImageId).toBe(mine[0]!.ImageId);
      const executedCreates = createCalls(name).filter((x) => x.executed);
      expect(executedCreates).toHaveLength(1);
      // Recovered exactly when the first CreateImage had executed.
      expect(res.recovered).toBe(createCalls(name)[0]!.executed);
    });
  }

  it('plain createImage does not repeat a CreateImage that failed after executing', async () => {
    const c = newClient();
    const name = uniqueName('plain');
    sandbox.faults.failNext(1, { status: 500, actions: ['CreateImage'], afterExecute: true });
    const err = await c.createImage({ ImageName: name, VmId: SEEDED.vmId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OscApiError);
    expect((err as OscApiError).httpStatus).toBe(500);
    expect(createCalls(name)).toHaveLength(1);
    expect(imagesNamed(name)).toHaveLength(1);
  });

  it('an unavailable platform (503 code 6) is throttling: retried until the attempts run out', async () => {
    const c = newClient();
    sandbox.faults.down('unavailable');
    const err = await c.readImages().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OscApiError);
    expect((err as OscApiError).httpStatus).toBe(503);
    expect((err as OscApiError).code).toBe('6');
    expect(c.counters.attempts).toBe(10);
  });

  it('a refused connection is a not-sent network error naming the host', async () => {
    sandbox.faults.down('refuse');
    // down('refuse') closes the listener asynchronously: wait (bounded) until connections are refused.
    const c = newClient();
    let err: unknown;
    for (let i = 0; i < 50; i++) {
      err = await c.readImages().catch((e: unknown) => e);
      if (err instanceof OscNetworkError && err.kind === 'refused') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(err).toBeInstanceOf(OscNetworkError);
    expect((err as OscNetworkError).kind).toBe('refused');
    expect((err as OscNetworkError).mayHaveExecuted).toBe(false);
    expect((err as Error).message).toContain(`ReadImages to 127.0.0.1:${sandbox.port}`);
    sandbox.faults.down(false);
    // Back up: the same endpoint answers again (bounded wait for the listener to reopen).
    let ok = false;
    for (let i = 0; i < 50 && !ok; i++) {
      ok = await newClient()
        .readImages({ Filters: { ImageIds: [SEEDED.publicImageIds[0]] } })
        .then(() => true, () => false);
      if (!ok) await new Promise((r) => setTimeout(r, 20));
    }
    expect(ok).toBe(true);
  });

  it('a slow call is cancelled by its AbortSignal', async () => {
    const c = newClient();
    sandbox.faults.slow(5000, { actions: ['ReadImages'], count: 1 });
    const controller = new AbortController();
    const p = c.readImages({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
