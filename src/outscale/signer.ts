// Access-key request signing: SigV4-style canonical request → string to sign → HMAC-SHA256 key chain.
// OSC4-HMAC-SHA256 (X-Osc-Date, service "api") is the documented OUTSCALE variant; AWS4-HMAC-SHA256 (X-Amz-Date,
// service "oapi") is also accepted by the gateway. Pure: the caller supplies the date.
import { createHash, createHmac } from 'node:crypto';

export type SignatureVariant = 'osc4' | 'aws4';

interface VariantParameters {
  algorithm: string;
  dateHeader: string;
  keyPrefix: string;
  terminator: string;
  defaultService: string;
}

const VARIANTS: Record<SignatureVariant, VariantParameters> = {
  osc4: {
    algorithm: 'OSC4-HMAC-SHA256',
    dateHeader: 'X-Osc-Date',
    keyPrefix: 'OSC4',
    terminator: 'osc4_request',
    defaultService: 'api',
  },
  aws4: {
    algorithm: 'AWS4-HMAC-SHA256',
    dateHeader: 'X-Amz-Date',
    keyPrefix: 'AWS4',
    terminator: 'aws4_request',
    defaultService: 'oapi',
  },
};

export interface SignInput {
  method: string;
  url: string | URL;
  /** Must contain Content-Type (any case); other headers are passed through unsigned. */
  headers: Record<string, string>;
  body: string | Uint8Array;
  accessKey: string;
  secretKey: string;
  region: string;
  date: Date;
  variant?: SignatureVariant;
  /** Defaults: "api" for osc4, "oapi" for aws4. */
  service?: string;
  /** The caller's cache of the derived key; only ever used with this same secretKey. */
  keyCache?: SigningKeyCache;
}

export interface SignResult {
  /** The input headers plus the date header and Authorization. */
  headers: Record<string, string>;
  authorization: string;
  dateHeaderName: string;
  timestamp: string;
}

/** YYYYMMDDTHHMMSSZ in UTC. */
export function signingTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function canonicalQuery(url: URL): string {
  const pairs = [...url.searchParams].map(([k, v]) => [rfc3986(k), rfc3986(v)] as const);
  pairs.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/**
 * Where a caller that signs with one secret keeps the key derived from it: it changes once a day (or with the region,
 * service or variant), so four HMACs per request become four per day. Owned by the caller (the client), it lives and
 * goes with the secret it comes from.
 */
export interface SigningKeyCache {
  scope?: string;
  key?: Buffer;
}

function signingKey(variant: VariantParameters, input: SignInput, day: string, service: string): Buffer {
  const scope = `${variant.keyPrefix}/${day}/${input.region}/${service}/${variant.terminator}`;
  const cache = input.keyCache;
  if (cache?.key && cache.scope === scope) return cache.key;
  const kDate = hmac(variant.keyPrefix + input.secretKey, day);
  const key = hmac(hmac(hmac(kDate, input.region), service), variant.terminator);
  if (cache) {
    cache.scope = scope;
    cache.key = key;
  }
  return key;
}

export function signRequest(input: SignInput): SignResult {
  const variant = VARIANTS[input.variant ?? 'osc4'];
  const service = input.service ?? variant.defaultService;
  const url = typeof input.url === 'string' ? new URL(input.url) : input.url;
  const timestamp = signingTimestamp(input.date);
  const day = timestamp.slice(0, 8);
  const contentType = headerValue(input.headers, 'content-type');
  if (contentType === undefined) throw new Error('signRequest: a Content-Type header is required (it is signed)');

  const signedHeaderNames = ['content-type', 'host', variant.dateHeader.toLowerCase()];
  const canonicalHeaders =
    `content-type:${canonicalHeaderValue(contentType)}\n` +
    `host:${url.host}\n` +
    `${variant.dateHeader.toLowerCase()}:${timestamp}\n`;
  const signedHeaders = signedHeaderNames.join(';');

  const canonicalRequest = [
    input.method.toUpperCase(),
    url.pathname || '/',
    canonicalQuery(url),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(input.body),
  ].join('\n');

  const scope = `${day}/${input.region}/${service}/${variant.terminator}`;
  const stringToSign = [variant.algorithm, timestamp, scope, sha256Hex(canonicalRequest)].join('\n');

  const kSigning = signingKey(variant, input, day, service);
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');

  const authorization =
    `${variant.algorithm} Credential=${input.accessKey}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;

  return {
    headers: { ...input.headers, [variant.dateHeader]: timestamp, Authorization: authorization },
    authorization,
    dateHeaderName: variant.dateHeader,
    timestamp,
  };
}
