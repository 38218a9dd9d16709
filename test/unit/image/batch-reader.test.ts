import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OscClient } from '../../../src/outscale/client.js';
import { readImageBatched } from '../../../src/resources/image/batch-reader.js';
import { SEEDED, startSandbox, type Sandbox } from '../../../src/sandbox/index.js';

let sandbox: Sandbox;
let client: OscClient;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  client = new OscClient({
    endpoint: sandbox.url,
    region: sandbox.region,
    accessKey: sandbox.accessKey,
    secretKey: sandbox.secretKey,
    env: { OSC_RETRY_BASE_DELAY_MS: '5', OSC_RETRY_JITTER_MS: '0' },
  });
});
afterAll(async () => {
  client.close();
  await sandbox.close();
});

const [first, second] = SEEDED.publicImageIds;
const readCalls = () => sandbox.calls.filter((c) => c.action === 'ReadImages');

describe('batched image reads', () => {
  it('answers concurrent reads with one ReadImages call, each caller getting its own image (or undefined)', async () => {
    const before = sandbox.calls.length;
    const ids = [...SEEDED.publicImageIds, 'ami-0000dead', SEEDED.publicImageIds[0]];
    const images = await Promise.all(ids.map((id) => readImageBatched(client, id)));
    expect(images.map((i) => i?.ImageId)).toEqual([...SEEDED.publicImageIds, undefined, SEEDED.publicImageIds[0]]);
    const calls = sandbox.calls.slice(before);
    expect(calls.map((c) => c.action)).toEqual(['ReadImages']);
    expect((calls[0]!.request as { Filters: { ImageIds: string[] } }).Filters.ImageIds).toHaveLength(4);
  });

  it('a caller whose signal aborts is rejected alone; the shared call goes on for the others', async () => {
    sandbox.faults.slow(300, { actions: ['ReadImages'], count: 1 });
    const controller = new AbortController();
    const aborted = readImageBatched(client, first, { signal: controller.signal });
    const kept = readImageBatched(client, second, { signal: new AbortController().signal });
    setTimeout(() => controller.abort(new Error('this caller stops')), 100);
    const [a, k] = await Promise.allSettled([aborted, kept]);
    expect(a.status).toBe('rejected');
    expect((a as PromiseRejectedResult).reason.name).toBe('AbortError');
    expect(k).toMatchObject({ status: 'fulfilled', value: { ImageId: second } });
  });

  it('the shared call is cancelled only when every caller has aborted', async () => {
    sandbox.faults.slow(300, { actions: ['ReadImages'], count: 1 });
    const controllers = [new AbortController(), new AbortController()];
    const before = readCalls().length;
    const reads = controllers.map((c, i) => readImageBatched(client, SEEDED.publicImageIds[i]!, { signal: c.signal }));
    setTimeout(() => controllers.forEach((c) => c.abort(new Error('stop'))), 100);
    const results = await Promise.allSettled(reads);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(readCalls().length - before).toBe(1);
  });

  it('each caller keeps its own deadline: the shared call uses the latest one', async () => {
    // held longer than the 1 s floor of an attempt cut short to the earliest deadline
    sandbox.faults.slow(1500, { actions: ['ReadImages'], count: 1 });
    const soon = readImageBatched(client, first, { deadline: Date.now() + 200 });
    const later = readImageBatched(client, second, { deadline: Date.now() + 60_000 });
    const [s, l] = await Promise.allSettled([soon, later]);
    expect(s.status).toBe('rejected');
    expect((s as PromiseRejectedResult).reason.message).toMatch(/deadline/);
    expect(l).toMatchObject({ status: 'fulfilled', value: { ImageId: second } });
  });

  it('a rejected batch (4xx) does not reject every waiter: each id is read again alone', async () => {
    sandbox.faults.failNext(1, { status: 400, actions: ['ReadImages'] });
    const results = await Promise.allSettled([readImageBatched(client, first), readImageBatched(client, second)]);
    expect(results).toMatchObject([
      { status: 'fulfilled', value: { ImageId: first } },
      { status: 'fulfilled', value: { ImageId: second } },
    ]);
  });

  it('a read failing on its own (4xx for one id alone) is rejected; the other caller gets its image', async () => {
    sandbox.faults.failNext(2, { status: 400, actions: ['ReadImages'] });
    const results = await Promise.allSettled([readImageBatched(client, first), readImageBatched(client, second)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
});
