// Ctrl-C never abandons a call that changes something once it was sent: the API would still make the change, and
// state would not know it. Reads are cancelled at once.
import { afterEach, describe, expect, it } from 'vitest';
import { OscClient } from '../../../src/outscale/client.js';
import { isAbortError } from '../../../src/outscale/errors.js';
import { ok, startFakeServer, type FakeServer } from './fake-server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that aborts `controller` when the call arrives and answers only after `holdMs`. */
async function heldServer(controller: AbortController, holdMs: number) {
  server = await startFakeServer(async () => {
    controller.abort(new Error('Ctrl-C'));
    await new Promise((r) => setTimeout(r, holdMs));
    return ok({ ResponseContext: { RequestId: 'r-1' }, Images: [] });
  });
  return new OscClient({ endpoint: server.url, region: 'eu-west-2', accessKey: 'AK', secretKey: 'SK0123456789', env: {} });
}

const calls: Array<[string, (c: OscClient, signal: AbortSignal) => Promise<unknown>]> = [
  ['UpdateImage', (c, signal) => c.updateImage({ ImageId: 'ami-1', Description: 'd' }, { signal })],
  ['CreateTags', (c, signal) => c.createTags({ ResourceIds: ['ami-1'], Tags: [{ Key: 'k', Value: 'v' }] }, { signal })],
  ['DeleteTags', (c, signal) => c.deleteTags({ ResourceIds: ['ami-1'], Tags: [{ Key: 'k', Value: 'v' }] }, { signal })],
  ['DeleteImage', (c, signal) => c.deleteImage({ ImageId: 'ami-1' }, { signal })],
];

describe('Ctrl-C and calls in flight', () => {
  for (const [action, send] of calls) {
    it(`${action} sent before Ctrl-C runs to its answer, once`, async () => {
      const controller = new AbortController();
      const client = await heldServer(controller, 100);
      await expect(send(client, controller.signal)).resolves.toBeDefined();
      expect(server!.requests.map((r) => r.action)).toEqual([action]);
    });
  }

  it('a read in flight is cancelled at once', async () => {
    const controller = new AbortController();
    const client = await heldServer(controller, 2000);
    const error = await client.readImages({ Filters: { ImageIds: ['ami-1'] } }, { signal: controller.signal }).catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
  });

  it('a change not yet sent when Ctrl-C comes is never sent', async () => {
    const controller = new AbortController();
    const client = await heldServer(new AbortController(), 0);
    controller.abort(new Error('Ctrl-C'));
    await expect(client.updateImage({ ImageId: 'ami-1', Description: 'd' }, { signal: controller.signal })).rejects.toThrow();
    expect(server!.requests).toHaveLength(0);
  });
});
