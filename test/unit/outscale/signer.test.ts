import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signRequest, signingTimestamp } from '../../../src/outscale/signer.js';

// Known-answer vectors from the reference notes §3.4 (OSC4 checked against osc-sdk-python, AWS4 against botocore).
const VECTOR = {
  accessKey: 'AKIDEXAMPLE0123456789',
  secretKey: 'SECRETEXAMPLE0123456789012345678901234567',
  region: 'eu-west-2',
  date: new Date(Date.UTC(2026, 0, 1, 12, 0, 0)),
  url: 'https://api.eu-west-2.outscale.com/api/v1/ReadImages',
  body: '{"Filters":{"ImageIds":["ami-12345678"]}}',
  headers: { 'Content-Type': 'application/json; charset=utf-8' },
};

describe('signRequest', () => {
  it('body hash of the vector matches', () => {
    expect(createHash('sha256').update(VECTOR.body).digest('hex')).toBe(
      'add6546c2b9bb68c59f8233f1b55e41ca0386109eff647df76373703bcafad6e',
    );
  });

  it('formats the timestamp as YYYYMMDDTHHMMSSZ', () => {
    expect(signingTimestamp(VECTOR.date)).toBe('20260101T120000Z');
  });

  it('OSC4 / service api matches the known answer', () => {
    const signed = signRequest({ method: 'POST', ...VECTOR });
    expect(signed.authorization).toBe(
      'OSC4-HMAC-SHA256 Credential=AKIDEXAMPLE0123456789/20260101/eu-west-2/api/osc4_request, ' +
        'SignedHeaders=content-type;host;x-osc-date, ' +
        'Signature=59aabb8ff7c52da4d7ee1f7c173b848f8e5ca6602dd2f47d592de604a1fdd9a8',
    );
    expect(signed.headers['X-Osc-Date']).toBe('20260101T120000Z');
    expect(signed.headers.Authorization).toBe(signed.authorization);
    expect(signed.headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(signed.dateHeaderName).toBe('X-Osc-Date');
  });

  it('AWS4 / service oapi matches the known answer', () => {
    const signed = signRequest({ method: 'POST', ...VECTOR, variant: 'aws4' });
    expect(signed.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE0123456789/20260101/eu-west-2/oapi/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=9e4bb9bc5be8214930ea48e0804a8d11f3b24f43392f95e191e06f1225fb3b7f',
    );
    expect(signed.headers['X-Amz-Date']).toBe('20260101T120000Z');
    expect(signed.headers['X-Osc-Date']).toBeUndefined();
  });

  it('accepts the body as bytes and the URL as an object with the same result', () => {
    const a = signRequest({ method: 'POST', ...VECTOR });
    const b = signRequest({
      method: 'post',
      ...VECTOR,
      url: new URL(VECTOR.url),
      body: new TextEncoder().encode(VECTOR.body),
      headers: { 'content-type': 'application/json;  charset=utf-8 ' },
    });
    expect(b.authorization).toBe(a.authorization);
  });

  it('changes the signature when body, host, date, region or secret change', () => {
    const base = signRequest({ method: 'POST', ...VECTOR }).authorization;
    const variants = [
      { body: '{}' },
      { url: 'https://api.eu-west-2.outscale.com:8443/api/v1/ReadImages' },
      { date: new Date(Date.UTC(2026, 0, 1, 12, 0, 1)) },
      { region: 'us-east-2' },
      { secretKey: VECTOR.secretKey + 'x' },
    ];
    for (const change of variants) {
      expect(signRequest({ method: 'POST', ...VECTOR, ...change }).authorization).not.toBe(base);
    }
  });

  it('with a key cache: the same signatures as without, across days, regions, services and variants', () => {
    const keyCache = {};
    const changes = [
      {},
      { date: new Date(Date.UTC(2026, 0, 1, 23, 59, 59)) },
      { date: new Date(Date.UTC(2026, 0, 2, 0, 0, 0)) },
      { region: 'us-east-2' },
      { service: 'other' },
      { variant: 'aws4' as const },
      {},
    ];
    for (const change of changes) {
      const input = { method: 'POST', ...VECTOR, ...change };
      expect(signRequest({ ...input, keyCache }).authorization).toBe(signRequest(input).authorization);
    }
    expect(signRequest({ method: 'POST', ...VECTOR, keyCache }).authorization).toContain(
      'Signature=59aabb8ff7c52da4d7ee1f7c173b848f8e5ca6602dd2f47d592de604a1fdd9a8',
    );
  });

  it('never leaks the secret key into the produced headers', () => {
    const signed = signRequest({ method: 'POST', ...VECTOR });
    expect(JSON.stringify(signed)).not.toContain(VECTOR.secretKey);
  });

  it('requires a Content-Type header', () => {
    expect(() => signRequest({ method: 'POST', ...VECTOR, headers: {} })).toThrow(/Content-Type/);
  });
});
