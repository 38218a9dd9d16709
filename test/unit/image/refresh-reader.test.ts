// Refresh reads against the sandbox: however many OMIs a refresh reads (ten at a time, like Terraform), at most two
// ReadImages calls; one OMI, one call by id; OMIs missing from the account listing are still read by id.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OscClient } from '../../../src/outscale/client.js';
import { readImageForRefresh } from '../../../src/resources/image/refresh-reader.js';
import { SEEDED, startSandbox, type Sandbox } from '../../../src/sandbox/index.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, imagePendingMs: 0 });
});
afterEach(async () => {
  await sandbox.close();
});

/** A client per command, as each provider process (or warm session) configures its own. */
function newClient(): OscClient {
  return new OscClient({ endpoint: sandbox.url, region: sandbox.region, accessKey: sandbox.accessKey, secretKey: sandbox.secretKey });
}

async function createImages(count: number): Promise<string[]> {
  const client = newClient();
  try {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await client.createImage({ ImageName: `refresh-${i}`, VmId: SEEDED.vmId, NoReboot: true });
      ids.push(res.Image!.ImageId!);
    }
    return ids;
  } finally {
    client.close();
  }
}

/** Reads every id with `parallelism` workers, as Terraform's walk does; the ReadImages calls it took. */
async function refresh(ids: string[], accountId: string | undefined, parallelism = 10) {
  const client = newClient();
  const before = sandbox.calls.length;
  const queue = [...ids];
  const found = new Map<string, string | undefined>();
  try {
    await Promise.all(
      Array.from({ length: parallelism }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          found.set(id, (await readImageForRefresh(client, id, accountId))?.ImageId);
        }
      }),
    );
  } finally {
    client.close();
  }
  const calls = sandbox.calls.slice(before).filter((c) => c.action === 'ReadImages');
  return { found, calls };
}

describe('refresh reads', () => {
  it.each([1, 5, 6, 30, 120])('%i OMIs: each found, with at most 2 ReadImages calls', async (count) => {
    const ids = await createImages(count);
    const { found, calls } = await refresh(ids, sandbox.accountId);
    expect(ids.map((id) => found.get(id))).toEqual(ids);
    expect(calls.length).toBeLessThanOrEqual(count === 1 ? 1 : 2);
  });

  it.each([1, 3])('reads arriving one after another (%i at a time): still at most 2 calls', async (parallelism) => {
    const ids = await createImages(25);
    const { found, calls } = await refresh(ids, sandbox.accountId, parallelism);
    expect(ids.map((id) => found.get(id))).toEqual(ids);
    expect(calls.length).toBeLessThanOrEqual(2);
  });

  it('one OMI: one call, by id', async () => {
    const [id] = await createImages(1);
    const { calls } = await refresh([id!], sandbox.accountId);
    expect(calls.map((c) => (c.request as { Filters?: Record<string, unknown> }).Filters)).toEqual([{ ImageIds: [id] }]);
  });

  it('nothing is reused across clients (commands): each refresh lists again', async () => {
    const ids = await createImages(12);
    const first = await refresh(ids, sandbox.accountId);
    const second = await refresh(ids, sandbox.accountId);
    expect(first.calls.length).toBe(2);
    expect(second.calls.length).toBe(2);
  });

  it('OMIs missing from the listing (another account\'s, deleted) are read by id', async () => {
    const ids = await createImages(8);
    const others = [...SEEDED.publicImageIds, 'ami-0000dead'];
    const { found } = await refresh([...ids, ...others], sandbox.accountId);
    expect(others.map((id) => found.get(id))).toEqual([...SEEDED.publicImageIds, undefined]);
    expect(ids.every((id) => found.get(id) === id)).toBe(true);
  });

  it('a failed listing falls back to reads by id', async () => {
    const ids = await createImages(10);
    const client = newClient();
    try {
      await Promise.all(ids.slice(0, 5).map((id) => readImageForRefresh(client, id, sandbox.accountId)));
      sandbox.faults.failNext(1, { status: 400, actions: ['ReadImages'] });
      const rest = await Promise.all(ids.slice(5).map((id) => readImageForRefresh(client, id, sandbox.accountId)));
      expect(rest.map((image) => image?.ImageId)).toEqual(ids.slice(5));
    } finally {
      client.close();
    }
  });
});

describe('waits of many OMIs at once', () => {
  it('poll on a shared grid, so that staggered waits share their ReadImages calls', async () => {
    const { readImageBatched } = await import('../../../src/resources/image/batch-reader.js');
    const { waitForImage, onPollGrid, POLL_GRID_MS } = await import('../../../src/resources/image/wait.js');
    expect(onPollGrid(250, 1_000_030)).toBe(1_000_300 - 1_000_030);
    expect(onPollGrid(0, 1_000_000)).toBe(0);
    expect(POLL_GRID_MS).toBeGreaterThan(10); // wider than the batch reader's window

    sandbox.state.timing.imagePendingMs = 1500;
    const ids = await createImages(20);
    const client = newClient();
    const before = sandbox.calls.length;
    try {
      // 20 waits started 15 ms apart: wider than the batch window, so without the grid each poll would be its own call
      const waits = ids.map(
        (id, i) =>
          new Promise((resolve) => setTimeout(resolve, i * 15)).then(() =>
            waitForImage({ id, timeoutMs: 60_000, read: (options) => readImageBatched(client, id, options) }),
          ),
      );
      expect((await Promise.all(waits)).map((image) => image.State)).toEqual(ids.map(() => 'available'));
    } finally {
      client.close();
    }
    const reads = sandbox.calls.slice(before).filter((c) => c.action === 'ReadImages');
    const polls = reads.reduce((sum, c) => sum + ((c.request as { Filters: { ImageIds: string[] } }).Filters.ImageIds.length), 0);
    expect(polls).toBeGreaterThanOrEqual(ids.length * 2);
    expect(reads.length).toBeLessThanOrEqual(polls / 4);
  }, 60_000);
});
