import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OscClient } from '../../../src/outscale/client.js';
import { readImageBatched } from '../../../src/resources/image/batch-reader.js';
import { SEEDED, startSandbox, type Sandbox } from '../../../src/sandbox/index.js';

let sandbox: Sandbox;
let client: OscClient;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  client = new OscClient({ endpoint: sandbox.url, region: sandbox.region, accessKey: sandbox.accessKey, secretKey: sandbox.secretKey });
});
afterAll(async () => {
  client.close();
  await sandbox.close();
});

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

  it('rejects every caller of a failed batch', async () => {
    sandbox.faults.failNext(1, { status: 400, actions: ['ReadImages'] });
    const results = await Promise.allSettled([readImageBatched(client, 'ami-5eed0001'), readImageBatched(client, 'ami-5eed0002')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await readImageBatched(client, 'ami-5eed0002')).toMatchObject({ ImageId: 'ami-5eed0002' });
  });
});
