import { afterEach, describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { PrivateState } from '../../../src/framework/private-state.js';
import { OscClient } from '../../../src/outscale/client.js';
import { OscApiError, OscNetworkError } from '../../../src/outscale/errors.js';
import type { Image } from '../../../src/outscale/types.js';
import { objectValue, type ObjectValue } from '../../../src/protocol/value.js';
import { imageResource } from '../../../src/resources/image/resource.js';
import { imageBlock } from '../../../src/resources/image/schema.js';
import { ImageStateError, waitForImage, WaitTimeoutError } from '../../../src/resources/image/wait.js';
import { type FakeServer, apiError, ok, startFakeServer } from '../outscale/fake-server.js';

const fast = { delayMs: () => 2 };
const image = (State: string): Image => ({ ImageId: 'ami-1', State });
const serverError = () =>
  new OscApiError({ action: 'ReadImages', httpStatus: 500, errors: [{ Code: '2000', Type: 'InternalError' }] });

/** A read answering from a script: an Image, undefined (not listed), or an error to throw. */
function scripted(steps: Array<Image | undefined | Error>, then: Image | undefined | Error) {
  let n = 0;
  const read = async () => {
    const step = n < steps.length ? steps[n] : then;
    n++;
    if (step instanceof Error) throw step;
    return step;
  };
  return { read, reads: () => n };
}

describe('waiting for an OMI', () => {
  it('pending, then available: resolves with the OMI', async () => {
    const { read } = scripted([image('pending'), image('pending')], image('available'));
    expect(await waitForImage({ id: 'ami-1', timeoutMs: 5_000, schedule: fast, read })).toMatchObject({ State: 'available' });
  });

  it('failed is an outcome for the caller to report', async () => {
    const { read } = scripted([], image('failed'));
    expect(await waitForImage({ id: 'ami-1', timeoutMs: 5_000, schedule: fast, read })).toMatchObject({ State: 'failed' });
  });

  it.each(['deleted', 'disabled', '', 'weird'])('an unexpected state %j is an error, not success', async (state) => {
    const { read } = scripted([image('pending')], image(state));
    const err = await waitForImage({ id: 'ami-1', timeoutMs: 5_000, schedule: fast, read }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageStateError);
    expect((err as Error).message).toContain(`unexpected state ${JSON.stringify(state)}`);
  });

  it('never listed: fails after the grace, long before the timeout', async () => {
    const { read, reads } = scripted([], undefined);
    const err = await waitForImage({ id: 'ami-1', timeoutMs: 60_000, unlistedGraceMs: 50, schedule: fast, read }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageStateError);
    expect((err as Error).message).toMatch(/ami-1 was not listed by ReadImages for \d+ s/);
    expect(reads()).toBeGreaterThan(1);
  });

  it('not listed for a moment (eventual consistency), then pending and available: fine', async () => {
    const { read } = scripted([undefined, undefined, image('pending')], image('available'));
    expect(await waitForImage({ id: 'ami-1', timeoutMs: 5_000, unlistedGraceMs: 1_000, schedule: fast, read })).toMatchObject({ State: 'available' });
  });

  it('transient read failures (5xx, network, throttling beyond retries) are tolerated within the timeout', async () => {
    const network = new OscNetworkError({ action: 'ReadImages', host: 'h', kind: 'reset', mayHaveExecuted: true, reason: 'reset' });
    const throttled = new OscApiError({ action: 'ReadImages', httpStatus: 503, errors: [{ Code: '6' }] });
    const { read } = scripted([image('pending'), serverError(), network, throttled, image('pending')], image('available'));
    expect(await waitForImage({ id: 'ami-1', timeoutMs: 5_000, schedule: fast, read })).toMatchObject({ State: 'available' });
  });

  it('transient failures until the timeout: a timeout that names the last failure', async () => {
    const { read } = scripted([], serverError());
    const err = await waitForImage({ id: 'ami-1', timeoutMs: 60, schedule: fast, read }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toMatch(/last read failed: .*InternalError/);
  });

  it('a read the API rejects (4xx) ends the wait at once', async () => {
    const rejected = new OscApiError({ action: 'ReadImages', httpStatus: 400, errors: [{ Code: '4045' }] });
    const { read, reads } = scripted([], rejected);
    await expect(waitForImage({ id: 'ami-1', timeoutMs: 5_000, schedule: fast, read })).rejects.toBe(rejected);
    expect(reads()).toBe(1);
  });
});

describe('create: the OMI reaches a state the provider does not expect', () => {
  let server: FakeServer | undefined;
  let client: OscClient | undefined;
  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  it('is an error with the OMI recorded in state (so Terraform taints it), not a success', async () => {
    const created = { ImageId: 'ami-0000abcd', ImageName: 'odd', State: 'pending', AccountId: 'me', CreationDate: new Date().toISOString() };
    server = await startFakeServer((req) => {
      if (req.action === 'CreateImage') return ok({ Image: created });
      if (req.action === 'ReadImages') return ok({ Images: [{ ...created, State: 'disabled' }] });
      return apiError(400, '4000', 'InvalidParameterValue', req.action);
    });
    client = new OscClient({ endpoint: server.url, region: 'eu-west-2', accessKey: 'AK', secretKey: 'SK0123456789', env: {} });
    const config: ObjectValue = objectValue();
    for (const n of Object.keys(imageBlock.attributes)) config[n] = null;
    Object.assign(config, { image_name: 'odd', vm_id: 'i-1', no_reboot: true, tags: [], timeouts: null });
    const diagnostics = new Diagnostics();
    const result = { state: null as ObjectValue | null };
    await imageResource.create({ planned: config, config }, result, { client, signal: new AbortController().signal, diagnostics, private: PrivateState.fromBytes(undefined) });
    expect(diagnostics.hasErrors()).toBe(true);
    expect(diagnostics.toString()).toContain('unexpected state "disabled"');
    expect(result.state?.id).toBe('ami-0000abcd');
  });
});
