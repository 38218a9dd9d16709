import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { verifySignature } from '../../src/sandbox/signature.js';
import { call } from './helpers.js';
import { signHeaders } from './sign.js';

// Known-answer vectors from shared/reference/outscale-api.md §3.4.
const VECTOR = {
  accessKey: 'AKIDEXAMPLE0123456789',
  secretKey: 'SECRETEXAMPLE0123456789012345678901234567',
  region: 'eu-west-2',
  date: new Date(Date.UTC(2026, 0, 1, 12, 0, 0)),
  host: 'api.eu-west-2.outscale.com',
  path: '/api/v1/ReadImages',
  body: '{"Filters":{"ImageIds":["ami-12345678"]}}',
  contentType: 'application/json; charset=utf-8',
};
const OSC4_SIG = '59aabb8ff7c52da4d7ee1f7c173b848f8e5ca6602dd2f47d592de604a1fdd9a8';
const AWS4_SIG = '9e4bb9bc5be8214930ea48e0804a8d11f3b24f43392f95e191e06f1225fb3b7f';

function rawHeaders(headers: Record<string, string>, host: string): string[] {
  return ['Host', host, ...Object.entries(headers).flat()];
}

function verifyVector(headers: Record<string, string>, body = VECTOR.body, nowMs = VECTOR.date.getTime()) {
  return verifySignature(
    { method: 'POST', url: VECTOR.path, rawHeaders: rawHeaders(headers, VECTOR.host), body: Buffer.from(body) },
    { region: 'eu-west-2', nowMs, maxSkewMs: 300_000, secretFor: (ak) => (ak === VECTOR.accessKey ? VECTOR.secretKey : undefined) },
  );
}

describe('known-answer vectors', () => {
  it('the test signer reproduces the OSC4 and AWS4 vectors', () => {
    expect(signHeaders({ ...VECTOR, algorithm: 'OSC4', service: 'api' }).Authorization).toBe(
      `OSC4-HMAC-SHA256 Credential=AKIDEXAMPLE0123456789/20260101/eu-west-2/api/osc4_request, SignedHeaders=content-type;host;x-osc-date, Signature=${OSC4_SIG}`,
    );
    expect(signHeaders({ ...VECTOR, algorithm: 'AWS4', service: 'oapi' }).Authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE0123456789/20260101/eu-west-2/oapi/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${AWS4_SIG}`,
    );
  });

  it('the sandbox verifier accepts the OSC4 vector', () => {
    const headers = {
      'Content-Type': VECTOR.contentType,
      'X-Osc-Date': '20260101T120000Z',
      Authorization: `OSC4-HMAC-SHA256 Credential=AKIDEXAMPLE0123456789/20260101/eu-west-2/api/osc4_request, SignedHeaders=content-type;host;x-osc-date, Signature=${OSC4_SIG}`,
    };
    expect(verifyVector(headers)).toEqual({ ok: true, accessKey: VECTOR.accessKey });
    expect(verifyVector(headers, VECTOR.body.replace('1234', '9999'))).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('the sandbox verifier accepts the AWS4 vector', () => {
    const headers = {
      'Content-Type': VECTOR.contentType,
      'X-Amz-Date': '20260101T120000Z',
      Authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE0123456789/20260101/eu-west-2/oapi/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${AWS4_SIG}`,
    };
    expect(verifyVector(headers)).toEqual({ ok: true, accessKey: VECTOR.accessKey });
    const late = verifyVector(headers, VECTOR.body, VECTOR.date.getTime() + 301_000);
    expect(late.ok).toBe(false);
  });
});

describe('signature checks over HTTP', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ imagePendingMs: 0 });
  });
  afterAll(() => sandbox.close());

  it.each([
    ['OSC4', 'api'],
    ['OSC4', 'osc'],
    ['AWS4', 'oapi'],
    ['AWS4', 'osc'],
    ['AWS4', 'api'],
  ] as const)('accepts %s signatures with service %s', async (algorithm, service) => {
    const answer = await call(sandbox, 'ReadImages', {}, { algorithm, service });
    expect(answer.status).toBe(200);
    expect(answer.body.ResponseContext.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  const denied = async (options: Parameters<typeof call>[3], expectedReason: RegExp) => {
    const answer = await call(sandbox, 'ReadImages', { Filters: { ImageIds: ['ami-5eed0001'] } }, options);
    expect(answer.status).toBe(401);
    expect(answer.body.Errors).toEqual([{ Code: '1', Type: 'AccessDenied', Details: expect.stringMatching(/^Authentication failed/) }]);
    expect(answer.body.ResponseContext.RequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const recorded = sandbox.calls.find((c) => c.requestId === answer.body.ResponseContext.RequestId)!;
    expect(recorded.status).toBe(401);
    expect(recorded.executed).toBe(false);
    expect(recorded.authError).toMatch(expectedReason);
    expect(JSON.stringify(answer.body)).not.toContain(sandbox.secretKey);
  };

  it('rejects an unknown access key', () => denied({ accessKey: 'AKUNKNOWN00000000000' }, /unknown access key/));
  it('rejects a wrong secret key', () => denied({ secretKey: 'x'.repeat(40) }, /signature does not match/));
  it('rejects a stale date', () => denied({ date: new Date(Date.now() - 6 * 60_000) }, /5 minutes/));
  it('rejects a date in the future', () => denied({ date: new Date(Date.now() + 6 * 60_000) }, /5 minutes/));
  it('rejects a tampered body', () =>
    denied({ sendBody: JSON.stringify({ Filters: { ImageIds: ['ami-5eed0002'] } }) }, /signature does not match/));
  it('rejects another region', () => denied({ region: 'us-east-2' }, /region/));
  it('rejects a signature that leaves host unsigned', () => denied({ signedHeaders: ['content-type', 'x-osc-date'] }, /host/));
  it('rejects a signature that leaves the date unsigned', () => denied({ signedHeaders: ['content-type', 'host'] }, /x-osc-date/));
  it('rejects a missing Authorization header', () => denied({ unsigned: true }, /missing Authorization/));
  it('rejects a mismatched date header (OSC4 signature with X-Amz-Date only)', async () => {
    const answer = await call(sandbox, 'ReadImages', {}, { extraHeaders: { 'X-Osc-Date': '20200101T000000Z' } });
    expect(answer.status).toBe(401);
  });
});
