// Verification of OSC4-HMAC-SHA256 and AWS4-HMAC-SHA256 request signatures, written independently of the client's
// signer on purpose: a bug shared by both sides would otherwise go unnoticed.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  method: string;
  /** Path and query exactly as received, e.g. /api/v1/ReadImages */
  url: string;
  /** Raw header pairs as received (node's req.rawHeaders). */
  rawHeaders: string[];
  body: Buffer;
}

export interface VerifyContext {
  region: string;
  nowMs: number;
  maxSkewMs: number;
  secretFor(accessKey: string): string | undefined;
}

export type VerifyResult = { ok: true; accessKey: string } | { ok: false; reason: string };

interface Variant {
  dateHeader: string;
  keyPrefix: string;
  terminator: string;
}

const VARIANTS: Record<string, Variant> = {
  'OSC4-HMAC-SHA256': { dateHeader: 'x-osc-date', keyPrefix: 'OSC4', terminator: 'osc4_request' },
  'AWS4-HMAC-SHA256': { dateHeader: 'x-amz-date', keyPrefix: 'AWS4', terminator: 'aws4_request' },
};

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

interface ParsedAuthorization {
  algorithm: string;
  accessKey: string;
  scope: { date: string; region: string; service: string; terminator: string };
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string): ParsedAuthorization | string {
  const m = /^(\S+)\s+(.*)$/.exec(header.trim());
  if (!m) return 'malformed Authorization header';
  const algorithm = m[1]!;
  const parts = new Map<string, string>();
  for (const piece of m[2]!.split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0) return 'malformed Authorization header';
    parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!credential || !signedHeaders || !signature) return 'Authorization header lacks Credential, SignedHeaders or Signature';
  const cred = credential.split('/');
  if (cred.length !== 5) return 'malformed credential scope';
  const [accessKey, date, region, service, terminator] = cred as [string, string, string, string, string];
  return {
    algorithm,
    accessKey,
    scope: { date, region, service, terminator },
    signedHeaders: signedHeaders.split(';'),
    signature: signature.toLowerCase(),
  };
}

/** Header values per lower-case name, several occurrences joined by commas, whitespace trimmed and collapsed. */
function headerValues(rawHeaders: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!.trim().replace(/\s+/g, ' ');
    out.set(name, out.has(name) ? `${out.get(name)},${value}` : value);
  }
  return out;
}

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(query: string): string {
  if (!query) return '';
  const pairs = query.split('&').filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? p : p.slice(0, eq));
    const v = eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1));
    return [rfc3986(k), rfc3986(v)] as const;
  });
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((seg) => rfc3986(decodeURIComponent(seg)))
    .join('/') || '/';
}

const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseTimestamp(ts: string): number | undefined {
  const m = TIMESTAMP.exec(ts);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

export function verifySignature(req: SignedRequest, ctx: VerifyContext): VerifyResult {
  const headers = headerValues(req.rawHeaders);
  const authorization = headers.get('authorization');
  if (!authorization) return { ok: false, reason: 'missing Authorization header' };
  const parsed = parseAuthorization(authorization);
  if (typeof parsed === 'string') return { ok: false, reason: parsed };
  const variant = VARIANTS[parsed.algorithm];
  if (!variant) return { ok: false, reason: `unsupported algorithm ${parsed.algorithm}` };
  if (parsed.scope.terminator !== variant.terminator) return { ok: false, reason: 'credential scope terminator does not match the algorithm' };
  if (parsed.scope.region !== ctx.region) return { ok: false, reason: `credential scope region is not ${ctx.region}` };
  if (!parsed.scope.service) return { ok: false, reason: 'empty service in credential scope' };
  const secret = ctx.secretFor(parsed.accessKey);
  if (secret === undefined) return { ok: false, reason: 'unknown access key' };

  const signed = parsed.signedHeaders;
  if (!signed.includes('host')) return { ok: false, reason: 'SignedHeaders must include host' };
  if (!signed.includes(variant.dateHeader)) return { ok: false, reason: `SignedHeaders must include ${variant.dateHeader}` };
  const timestamp = headers.get(variant.dateHeader);
  if (!timestamp) return { ok: false, reason: `missing ${variant.dateHeader} header` };
  const at = parseTimestamp(timestamp);
  if (at === undefined) return { ok: false, reason: `malformed ${variant.dateHeader} header` };
  if (timestamp.slice(0, 8) !== parsed.scope.date) return { ok: false, reason: 'credential scope date does not match the request date' };
  if (Math.abs(ctx.nowMs - at) > ctx.maxSkewMs) return { ok: false, reason: 'request date is more than 5 minutes away from the server time' };

  const canonicalHeaders: string[] = [];
  for (const name of signed) {
    const value = headers.get(name);
    if (value === undefined) return { ok: false, reason: `signed header ${name} is absent` };
    canonicalHeaders.push(`${name}:${value}\n`);
  }
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalPath(path),
    canonicalQuery(query),
    canonicalHeaders.join(''),
    signed.join(';'),
    sha256Hex(req.body),
  ].join('\n');
  const { date, region, service, terminator } = parsed.scope;
  const scope = `${date}/${region}/${service}/${terminator}`;
  const stringToSign = [parsed.algorithm, timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
  let key = hmac(variant.keyPrefix + secret, date);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, terminator);
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
  const given = /^[0-9a-f]{64}$/.test(parsed.signature) ? Buffer.from(parsed.signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature does not match' };
  }
  return { ok: true, accessKey: parsed.accessKey };
}
