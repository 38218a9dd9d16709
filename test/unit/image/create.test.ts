import { afterEach, describe, expect, it } from 'vitest';
import { OscClient } from '../../../src/outscale/client.js';
import { createImageRecovering, type CreateImageOptions } from '../../../src/resources/image/create.js';
import { OscApiError, OscOutcomeUnknownError } from '../../../src/outscale/errors.js';
import type { CreateImageRequest, Image } from '../../../src/outscale/types.js';
import { type FakeServer, type Reply, apiError, ok, startFakeServer } from '../outscale/fake-server.js';

type CreateFault = 'ok' | 'fail-after' | 'fail-before' | 'drop-after' | 'drop-before' | 'throttle';

/** An image store speaking CreateImage/ReadImages with a scripted fault per CreateImage call. */
class ImageStore {
  images: Image[] = [];
  createFaults: CreateFault[] = [];
  /** ReadImages calls that do not yet see images created by this store (eventual consistency). */
  invisibleReads = 0;
  private seq = 0;

  handle(action: string, body: Record<string, unknown>): Reply {
    if (action === 'CreateImage') {
      const fault = this.createFaults.shift() ?? 'ok';
      if (fault === 'throttle') return apiError(429, '25', 'ErrorOperationThrottledPerCall', 'Request rate exceeded');
      if (fault === 'fail-before') return apiError(500, '2000', 'InternalError', 'internal error');
      if (fault === 'drop-before') return { drop: true };
      const req = body as CreateImageRequest;
      if (req.ImageName && this.images.some((i) => i.ImageName === req.ImageName && i.AccountId === 'me')) {
        return apiError(409, '9000', 'ResourceConflict', 'The image name already exists');
      }
      const image: Image = {
        ImageId: `ami-${String(++this.seq).padStart(8, '0')}`,
        ImageName: req.ImageName,
        Description: req.Description ?? '',
        AccountId: 'me',
        State: 'pending',
        CreationDate: new Date().toISOString(),
      };
      this.images.push(image);
      if (fault === 'fail-after') return apiError(500, '2000', 'InternalError', 'internal error');
      if (fault === 'drop-after') return { drop: true };
      return ok({ Image: image });
    }
    if (action === 'ReadImages') {
      const filters = (body.Filters ?? {}) as { ImageNames?: string[]; ImageIds?: string[] };
      if (this.invisibleReads > 0) {
        this.invisibleReads--;
        return ok({ Images: this.images.filter((i) => i.AccountId !== 'me' && filters.ImageNames?.includes(i.ImageName!)) });
      }
      return ok({
        Images: this.images.filter(
          (i) =>
            (!filters.ImageNames || filters.ImageNames.includes(i.ImageName!)) &&
            (!filters.ImageIds || filters.ImageIds.includes(i.ImageId!)),
        ),
      });
    }
    return apiError(400, '4000', 'InvalidParameterValue', `unknown action ${action}`);
  }

  mine(name: string): Image[] {
    return this.images.filter((i) => i.ImageName === name && i.AccountId === 'me');
  }
}

let server: FakeServer | undefined;
let client: OscClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
  server = undefined;
  client = undefined;
});

async function setup(store: ImageStore) {
  server = await startFakeServer((req) => store.handle(req.action, (req.body ?? {}) as Record<string, unknown>));
  const delays: number[] = [];
  client = new OscClient({
    endpoint: server.url,
    region: 'eu-west-2',
    accessKey: 'AK',
    secretKey: 'SK0123456789',
    env: {},
    random: () => 0,
    sleep: async (ms) => void delays.push(ms),
  });
  const c = client;
  const create = (request: CreateImageRequest, options: CreateImageOptions = {}) =>
    createImageRecovering(c, request, { random: () => 0, sleep: async (ms) => void delays.push(ms), ...options });
  return { c, s: server, delays, create };
}

const REQUEST: CreateImageRequest = { ImageName: 'my-image', VmId: 'i-12345678', Description: 'from vm' };

describe('createImageRecovering', () => {
  it('returns the created image on success', async () => {
    const store = new ImageStore();
    const { create } = await setup(store);
    const res = await create(REQUEST);
    expect(res.recovered).toBe(false);
    expect(res.image.ImageName).toBe('my-image');
    expect(store.mine('my-image')).toHaveLength(1);
  });

  it('retries throttling without a lookup', async () => {
    const store = new ImageStore();
    store.createFaults = ['throttle', 'throttle'];
    const { s, create } = await setup(store);
    const res = await create(REQUEST);
    expect(res.recovered).toBe(false);
    expect(s.requests.map((r) => r.action)).toEqual(['CreateImage', 'CreateImage', 'CreateImage']);
    expect(store.mine('my-image')).toHaveLength(1);
  });

  it('500 after execution: finds the image by name instead of creating a duplicate', async () => {
    const store = new ImageStore();
    store.createFaults = ['fail-after'];
    const { s, create } = await setup(store);
    const res = await create(REQUEST);
    expect(res.recovered).toBe(true);
    expect(res.image.ImageId).toBe(store.mine('my-image')[0]!.ImageId);
    expect(store.mine('my-image')).toHaveLength(1);
    expect(s.requests.map((r) => r.action)).toEqual(['CreateImage', 'ReadImages']);
    expect(s.requests[1]!.body).toMatchObject({ Filters: { ImageNames: ['my-image'] } });
  });

  it('connection dropped after execution: recovered, one image', async () => {
    const store = new ImageStore();
    store.createFaults = ['drop-after'];
    const { create } = await setup(store);
    const res = await create(REQUEST);
    expect(res.recovered).toBe(true);
    expect(store.mine('my-image')).toHaveLength(1);
  });

  it('500 / drop before execution: lookup finds nothing, create again, one image', async () => {
    for (const fault of ['fail-before', 'drop-before'] as const) {
      const store = new ImageStore();
      store.createFaults = [fault];
      const { s, delays, create } = await setup(store);
      const res = await create(REQUEST);
      expect(res.recovered).toBe(false);
      expect(store.mine('my-image')).toHaveLength(1);
      expect(s.requests.map((r) => r.action)).toEqual(['CreateImage', 'ReadImages', 'CreateImage']);
      expect(delays).toEqual([1000]);
      client!.close();
      await server!.close();
    }
    server = undefined;
    client = undefined;
  });

  it('executed but not yet visible: the repeat hits the name conflict and a later lookup recovers', async () => {
    const store = new ImageStore();
    store.createFaults = ['fail-after'];
    store.invisibleReads = 1;
    const { s, create } = await setup(store);
    const res = await create(REQUEST);
    expect(res.recovered).toBe(true);
    expect(store.mine('my-image')).toHaveLength(1);
    expect(s.requests.map((r) => r.action)).toEqual(['CreateImage', 'ReadImages', 'CreateImage', 'ReadImages']);
  });

  it('ignores a same-name public image of another account that is older than the call', async () => {
    const store = new ImageStore();
    store.images.push({ ImageId: 'ami-other', ImageName: 'my-image', AccountId: 'other', CreationDate: '2020-01-01T00:00:00.000Z' });
    store.createFaults = ['fail-before'];
    const { create } = await setup(store);
    const res = await create(REQUEST);
    expect(res.recovered).toBe(false);
    expect(res.image.ImageId).not.toBe('ami-other');
  });

  it('a conflict on the first attempt (pre-existing image) is rethrown, not adopted', async () => {
    const store = new ImageStore();
    store.images.push({ ImageId: 'ami-old', ImageName: 'my-image', AccountId: 'me', CreationDate: '2020-01-01T00:00:00.000Z' });
    const { create } = await setup(store);
    const err = await create(REQUEST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OscApiError);
    expect((err as OscApiError).httpStatus).toBe(409);
  });

  it('without ImageName: no retry, the error says the outcome is unknown', async () => {
    const store = new ImageStore();
    store.createFaults = ['fail-after'];
    const { s, create } = await setup(store);
    const err = await create({ VmId: 'i-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OscOutcomeUnknownError);
    expect((err as Error).message).toMatch(/^CreateImage outcome unknown: CreateImage failed: 2000 InternalError/);
    expect(((err as Error).cause as OscApiError).httpStatus).toBe(500);
    expect(s.requests.map((r) => r.action)).toEqual(['CreateImage']);
    // actionable: what may exist, how to find it, and not to apply blindly again
    expect((err as Error).message).toMatch(/without image_name it cannot be found by name/);
    expect((err as Error).message).toMatch(/ReadImages .*CreationDate/);
    expect((err as Error).message).toMatch(/do not simply apply again/);
  });

  it('bounded: gives up after maxCreateAttempts ambiguous failures', async () => {
    const store = new ImageStore();
    store.createFaults = ['fail-before', 'fail-before', 'fail-before', 'fail-before'];
    const { s, create } = await setup(store);
    const err = await create(REQUEST, { maxCreateAttempts: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OscOutcomeUnknownError);
    expect((err as Error).message).toContain('CreateImage was sent 2 times');
    expect(s.requests.filter((r) => r.action === 'CreateImage')).toHaveLength(2);
    expect(store.mine('my-image')).toHaveLength(0);
  });

  it('does not adopt a recent same-name image whose description differs', async () => {
    const store = new ImageStore();
    store.createFaults = ['fail-before'];
    store.images.push({ ImageId: 'ami-x', ImageName: 'my-image', AccountId: 'other', Description: 'else', CreationDate: new Date().toISOString() });
    const { create } = await setup(store);
    const res = await create(REQUEST);
    expect(res.image.ImageId).not.toBe('ami-x');
    expect(res.recovered).toBe(false);
  });

  it('Ctrl-C while CreateImage is in flight: the call is not cancelled, its answer (the id) is returned', async () => {
    const store = new ImageStore();
    const controller = new AbortController();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    server = await startFakeServer(async (req) => {
      if (req.action === 'CreateImage') {
        controller.abort(new Error('Ctrl-C'));
        await held;
      }
      return store.handle(req.action, (req.body ?? {}) as Record<string, unknown>);
    });
    client = new OscClient({ endpoint: server.url, region: 'eu-west-2', accessKey: 'AK', secretKey: 'SK0123456789', env: {} });
    const pending = createImageRecovering(client, REQUEST, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    release();
    const res = await pending;
    expect(res.image.ImageId).toBe(store.mine('my-image')[0]!.ImageId);
    expect(server.requests.map((r) => r.action)).toEqual(['CreateImage']);
  });

  it('Ctrl-C during the pause after throttling: no repeat is sent, the abort is reported', async () => {
    const store = new ImageStore();
    store.createFaults = ['throttle'];
    const controller = new AbortController();
    server = await startFakeServer((req) => store.handle(req.action, (req.body ?? {}) as Record<string, unknown>));
    client = new OscClient({
      endpoint: server.url,
      region: 'eu-west-2',
      accessKey: 'AK',
      secretKey: 'SK0123456789',
      env: {},
      sleep: async () => controller.abort(new Error('Ctrl-C')),
    });
    const err = await createImageRecovering(client, REQUEST, { signal: controller.signal }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(server.requests.map((r) => r.action)).toEqual(['CreateImage']);
    expect(store.mine('my-image')).toHaveLength(0);
  });

  it('Ctrl-C after an ambiguous failure: the look-up still runs and finds the OMI', async () => {
    const store = new ImageStore();
    store.createFaults = ['fail-after'];
    const controller = new AbortController();
    server = await startFakeServer((req) => {
      if (req.action === 'CreateImage') controller.abort(new Error('Ctrl-C'));
      return store.handle(req.action, (req.body ?? {}) as Record<string, unknown>);
    });
    client = new OscClient({ endpoint: server.url, region: 'eu-west-2', accessKey: 'AK', secretKey: 'SK0123456789', env: {} });
    const res = await createImageRecovering(client, REQUEST, { signal: controller.signal });
    expect(res.recovered).toBe(true);
    expect(res.image.ImageId).toBe(store.mine('my-image')[0]!.ImageId);
  });

  it('Ctrl-C after an ambiguous failure with nothing listed: outcome unknown, no repeat sent', async () => {
    const store = new ImageStore();
    store.createFaults = ['fail-before'];
    const controller = new AbortController();
    server = await startFakeServer((req) => {
      if (req.action === 'CreateImage') controller.abort(new Error('Ctrl-C'));
      return store.handle(req.action, (req.body ?? {}) as Record<string, unknown>);
    });
    client = new OscClient({ endpoint: server.url, region: 'eu-west-2', accessKey: 'AK', secretKey: 'SK0123456789', env: {} });
    const err = await createImageRecovering(client, REQUEST, { signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OscOutcomeUnknownError);
    expect((err as Error).message).toMatch(/interrupted/);
    expect((err as Error).message).toMatch(/ImageNames = \["my-image"\]/);
    expect(server.requests.map((r) => r.action)).toEqual(['CreateImage', 'ReadImages']);
  });
});
