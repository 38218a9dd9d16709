import { afterEach, describe, expect, it } from 'vitest';
import { log } from '../../../src/common/log.js';
import packageJson from '../../../package.json' with { type: 'json' };
import { OscClient, type OscClientOptions, USER_AGENT } from '../../../src/outscale/client.js';
import { OscApiError, OscNetworkError } from '../../../src/outscale/errors.js';
import { signRequest } from '../../../src/outscale/signer.js';
import { type FakeServer, type ReceivedRequest, type Reply, apiError, closedPortUrl, ok, startFakeServer } from './fake-server.js';

const SECRET = 'testSecretKey0123456789012345678901234567';
const ACCESS = 'TESTACCESSKEY0123456';

const servers: FakeServer[] = [];
const clients: OscClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
});

async function server(handler: (req: ReceivedRequest) => Reply | Promise<Reply>) {
  const s = await startFakeServer(handler);
  servers.push(s);
  return s;
}

function client(endpoint: string, extra: Partial<OscClientOptions> = {}) {
  const delays: number[] = [];
  const c = new OscClient({
    endpoint,
    region: 'eu-west-2',
    accessKey: ACCESS,
    secretKey: SECRET,
    sleep: async (ms) => void delays.push(ms),
    random: () => 0,
    env: {},
    ...extra,
  });
  clients.push(c);
  return { c, delays };
}

function parseOscDate(ts: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(ts)!;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

describe('request format', () => {
  it('POSTs {endpoint}/{Action} with a signed JSON body, {} when empty', async () => {
    const s = await server(() => ok());
    const { c } = client(s.url);
    await c.call('DeleteTags', undefined);
    const req = s.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/DeleteTags');
    expect(req.rawBody).toBe('{}');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.headers['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^terraform-provider-outscale\/\d+\.\d+\.\d+\S* \(node \d+\.\d+\.\d+; \w+\)$/);
    expect(USER_AGENT.startsWith(`terraform-provider-outscale/${packageJson.version} `)).toBe(true);
    expect(req.headers.connection).toBe('keep-alive');
    const date = req.headers['x-osc-date'] as string;
    expect(date).toMatch(/^\d{8}T\d{6}Z$/);
    // The server side recomputes the signature from what it received.
    const expected = signRequest({
      method: 'POST',
      url: `http://${s.host}${req.path}`,
      headers: { 'Content-Type': req.headers['content-type'] as string },
      body: req.rawBody,
      accessKey: ACCESS,
      secretKey: SECRET,
      region: 'eu-west-2',
      date: parseOscDate(date),
    });
    expect(req.headers.authorization).toBe(expected.authorization);
  });

  it('signs with AWS4 when asked', async () => {
    const s = await server(() => ok());
    const { c } = client(s.url, { signatureVariant: 'aws4' });
    await c.deleteImage({ ImageId: 'ami-1' });
    const req = s.requests[0]!;
    expect(req.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=TESTACCESSKEY0123456\/\d{8}\/eu-west-2\/oapi\/aws4_request, /);
    expect(req.body).toEqual({ ImageId: 'ami-1' });
  });

  it('sends the typed request bodies unchanged', async () => {
    const s = await server(() => ok({ Image: { ImageId: 'ami-1' } }));
    const { c } = client(s.url + '/');
    await c.updateImage({ ImageId: 'ami-1', Description: 'd', PermissionsToLaunch: { Additions: { GlobalPermission: true } } });
    await c.createTags({ ResourceIds: ['ami-1'], Tags: [{ Key: 'k', Value: 'v' }] });
    expect(s.requests.map((r) => r.path)).toEqual(['/api/v1/UpdateImage', '/api/v1/CreateTags']);
    expect(s.requests[0]!.body).toEqual({ ImageId: 'ami-1', Description: 'd', PermissionsToLaunch: { Additions: { GlobalPermission: true } } });
    expect(s.requests[1]!.body).toEqual({ ResourceIds: ['ami-1'], Tags: [{ Key: 'k', Value: 'v' }] });
  });
});

describe('pagination', () => {
  it('follows NextPageToken through every page with ResultsPerPage 1000', async () => {
    const pages: Record<string, { ids: string[]; next?: string }> = {
      '': { ids: ['ami-1', 'ami-2'], next: 'dG9rMQ==' },
      'dG9rMQ==': { ids: ['ami-3'], next: 'dG9rMg==' },
      'dG9rMg==': { ids: ['ami-4'] },
    };
    const s = await server((req) => {
      const token = ((req.body as { NextPageToken?: string }).NextPageToken ?? '') as string;
      const page = pages[token]!;
      return ok({ Images: page.ids.map((ImageId) => ({ ImageId })), ...(page.next ? { NextPageToken: page.next } : {}) });
    });
    const { c } = client(s.url);
    const res = await c.readImages({ Filters: { AccountIds: ['123'] } });
    expect(res.Images?.map((i) => i.ImageId)).toEqual(['ami-1', 'ami-2', 'ami-3', 'ami-4']);
    expect(s.requests.map((r) => r.body)).toEqual([
      { Filters: { AccountIds: ['123'] }, ResultsPerPage: 1000 },
      { Filters: { AccountIds: ['123'] }, ResultsPerPage: 1000, NextPageToken: 'dG9rMQ==' },
      { Filters: { AccountIds: ['123'] }, ResultsPerPage: 1000, NextPageToken: 'dG9rMg==' },
    ]);
  });

  it('fails instead of looping when the token repeats', async () => {
    const s = await server(() => ok({ Images: [], NextPageToken: 'same' }));
    const { c } = client(s.url);
    await expect(c.readImages()).rejects.toThrow(/same NextPageToken/);
    expect(s.requests).toHaveLength(2);
  });

  it('readImage returns the image or undefined', async () => {
    const s = await server((req) => {
      const ids = (req.body as { Filters: { ImageIds: string[] } }).Filters.ImageIds;
      return ok({ Images: ids[0] === 'ami-exists' ? [{ ImageId: 'ami-exists', State: 'available' }] : [] });
    });
    const { c } = client(s.url);
    expect(await c.readImage('ami-exists')).toEqual({ ImageId: 'ami-exists', State: 'available' });
    expect(await c.readImage('ami-gone')).toBeUndefined();
  });

  it('readVms and readSnapshots concatenate pages too', async () => {
    const s = await server((req) =>
      req.action === 'ReadVms' ? ok({ Vms: [{ VmId: 'i-1' }] }) : ok({ Snapshots: [{ SnapshotId: 'snap-1' }] }),
    );
    const { c } = client(s.url);
    expect((await c.readVms({ Filters: { VmIds: ['i-1'] } })).Vms).toEqual([{ VmId: 'i-1' }]);
    expect((await c.readSnapshots({ Filters: { SnapshotIds: ['snap-1'] } })).Snapshots).toEqual([{ SnapshotId: 'snap-1' }]);
  });
});

describe('errors and retries over HTTP', () => {
  it('maps a JSON error body and does not retry 4xx', async () => {
    const s = await server(() => apiError(400, '5023', 'InvalidResource', "The ImageId 'ami-00000000' doesn't exist."));
    const { c } = client(s.url);
    const err = await c.deleteImage({ ImageId: 'ami-00000000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OscApiError);
    expect((err as OscApiError).message).toBe(
      "DeleteImage failed: 5023 InvalidResource: The ImageId 'ami-00000000' doesn't exist. (HTTP 400, request id req-5023)",
    );
    expect(s.requests).toHaveLength(1);
  });

  it('does not retry 401', async () => {
    const s = await server(() => apiError(401, '1', 'AccessDenied', 'Authentication failed'));
    const { c } = client(s.url);
    await expect(c.readImages()).rejects.toMatchObject({ httpStatus: 401, code: '1' });
    expect(s.requests).toHaveLength(1);
  });

  it('retries a non-JSON 502 for a read (4 attempts) but not for CreateImage', async () => {
    const s = await server(() => ({ status: 502, rawBody: '<html><body>Bad Gateway</body></html>' }));
    const { c, delays } = client(s.url);
    await expect(c.readImages()).rejects.toMatchObject({ httpStatus: 502 });
    expect(s.requests).toHaveLength(4);
    expect(delays).toEqual([1000, 2000, 4000]);
    s.requests.length = 0;
    await expect(c.createImage({ ImageName: 'x', VmId: 'i-1' })).rejects.toMatchObject({ httpStatus: 502 });
    expect(s.requests).toHaveLength(1);
  });

  it('retries throttling on CreateImage and counts it', async () => {
    let n = 0;
    const s = await server(() =>
      ++n <= 2
        ? apiError(429, '25', 'ErrorOperationThrottledPerCall', 'Request rate exceeded')
        : ok({ Image: { ImageId: 'ami-new', State: 'pending' } }),
    );
    const { c, delays } = client(s.url);
    const res = await c.createImage({ ImageName: 'x', VmId: 'i-1' });
    expect(res.Image?.ImageId).toBe('ami-new');
    expect(s.requests).toHaveLength(3);
    expect(delays).toEqual([1000, 2000]);
    expect(c.counters).toMatchObject({ attempts: 3, retries: 2, throttled: 2, calls: 1 });
    // A fresh signature per attempt.
    expect(new Set(s.requests.map((r) => r.headers.authorization)).size).toBeGreaterThanOrEqual(1);
  });

  it('honours the overall deadline', async () => {
    const s = await server(() => apiError(503, '6', 'ErrorOperationThrottledWholePlatform', 'throttled'));
    let clock = Date.UTC(2026, 0, 1);
    const { c } = client(s.url, {
      now: () => new Date(clock),
      sleep: async (ms) => void (clock += ms),
    });
    await expect(c.readImages({}, { deadline: clock + 3500 })).rejects.toMatchObject({ httpStatus: 503 });
    expect(s.requests).toHaveLength(3); // waits 1000 and 2000; 4000 more would pass the deadline
  });

  it('wraps connection refused: not sent, retried even for CreateImage', async () => {
    const url = await closedPortUrl();
    const { c, delays } = client(url);
    const err = await c.createImage({ ImageName: 'x', VmId: 'i-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OscNetworkError);
    const e = err as OscNetworkError;
    expect(e.kind).toBe('refused');
    expect(e.mayHaveExecuted).toBe(false);
    expect(e.message).toMatch(
      new RegExp(`^CreateImage to ${new URL(url).host} failed: connection refused \\(the request was not sent\\) — gave up after 4 attempts over [0-9.]+ s$`),
    );
    expect(delays).toHaveLength(3);
  });

  it('a dropped connection after sending is ambiguous: retried for reads, not for CreateImage', async () => {
    let n = 0;
    const s = await server((req) => (req.action === 'ReadImages' && ++n > 1 ? ok({ Images: [] }) : { drop: true }));
    const { c } = client(s.url);
    expect((await c.readImages()).Images).toEqual([]);
    expect(s.requests).toHaveLength(2);
    const err = (await c.createImage({ ImageName: 'x', VmId: 'i-1' }).catch((e: unknown) => e)) as OscNetworkError;
    expect(err).toBeInstanceOf(OscNetworkError);
    expect(err.mayHaveExecuted).toBe(true);
    expect(err.message).toMatch(/^CreateImage to 127\.0\.0\.1:\d+ failed: .*may have been executed\)$/);
    expect(s.requests.filter((r) => r.action === 'CreateImage')).toHaveLength(1);
  });

  it('times out an attempt', async () => {
    const s = await server(() => ({ hang: true }));
    const { c } = client(s.url, { timeoutMs: 100 });
    const err = (await c.createImage({ ImageName: 'x' }).catch((e: unknown) => e)) as OscNetworkError;
    expect(err).toBeInstanceOf(OscNetworkError);
    expect(err.kind).toBe('timeout');
    expect(err.mayHaveExecuted).toBe(true);
    expect(err.message).toContain('no response within 100 ms');
  });

  it('cancels an in-flight request', async () => {
    const s = await server(() => ({ hang: true }));
    const { c } = client(s.url);
    const controller = new AbortController();
    const p = c.readImages({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(p).rejects.toMatchObject({ name: 'AbortError', action: 'ReadImages' });
  });

  it('cancels during a real backoff sleep', async () => {
    const s = await server(() => apiError(429, '24', 'ErrorOperationThrottledPerAccount', 'throttled'));
    const c = new OscClient({ endpoint: s.url, region: 'eu-west-2', accessKey: ACCESS, secretKey: SECRET, env: {}, retry: { baseDelayMs: 60_000 } });
    clients.push(c);
    const controller = new AbortController();
    const p = c.readImages({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(s.requests).toHaveLength(1);
  });

  it('scrubs the secret key from server-provided error text', async () => {
    const s = await server(() => apiError(400, '4000', 'InvalidParameterValue', `bad key ${SECRET} here`));
    const { c } = client(s.url);
    const err = (await c.deleteImage({ ImageId: 'ami-1' }).catch((e: unknown) => e)) as OscApiError;
    expect(err.message).toBe('DeleteImage failed: 4000 InvalidParameterValue: bad key *** here (HTTP 400, request id req-4000)');
    expect(err.details).toBe('bad key *** here');
  });

  it('never puts the secret key, Authorization or signature in messages or logs', async () => {
    const lines: string[] = [];
    log.configure({ level: 'trace', sink: (l) => lines.push(l) });
    try {
      let n = 0;
      const s = await server(() => {
        n++;
        if (n === 1) return apiError(429, '25', 'Throttled', 'slow down');
        if (n === 2) return { status: 500, rawBody: `oops ${SECRET}` };
        return { drop: true };
      });
      const { c } = client(s.url);
      const errors: unknown[] = [];
      errors.push(await c.readImages().catch((e: unknown) => e));
      errors.push(await c.createImage({ ImageName: 'x' }).catch((e: unknown) => e));
      const signature = /Signature=([0-9a-f]{64})/.exec(s.requests[0]!.headers.authorization as string)![1]!;
      const text = errors.map((e) => `${(e as Error).message} ${JSON.stringify(e)}`).join('\n') + lines.join('');
      expect(lines.length).toBeGreaterThan(0);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(signature);
      expect(text).not.toMatch(/authorization|Signature=/i);
    } finally {
      log.configure({ level: 'off' });
    }
  });
});
