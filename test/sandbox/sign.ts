// A tiny SigV4-style signer for the sandbox tests, independent of src/outscale and of src/sandbox/signature.ts.
import { createHash, createHmac } from 'node:crypto';

export interface SignOptions {
  algorithm?: 'OSC4' | 'AWS4';
  accessKey: string;
  secretKey: string;
  region: string;
  service?: string;
  host: string;
  path: string;
  body: string;
  date?: Date;
  contentType?: string;
  /** Override the signed header list (e.g. to leave host out). */
  signedHeaders?: string[];
}

const hex = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const mac = (k: string | Buffer, d: string) => createHmac('sha256', k).update(d).digest();

export function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Returns the headers to send (Content-Type, the date header and Authorization). */
export function signHeaders(o: SignOptions): Record<string, string> {
  const alg = o.algorithm ?? 'OSC4';
  const dateHeader = alg === 'OSC4' ? 'x-osc-date' : 'x-amz-date';
  const terminator = alg === 'OSC4' ? 'osc4_request' : 'aws4_request';
  const service = o.service ?? (alg === 'OSC4' ? 'api' : 'oapi');
  const stamp = amzDate(o.date ?? new Date());
  const day = stamp.slice(0, 8);
  const all: Record<string, string> = {
    'content-type': o.contentType ?? 'application/json; charset=utf-8',
    host: o.host,
    [dateHeader]: stamp,
  };
  const names = o.signedHeaders ?? Object.keys(all).sort();
  const canonical = [
    'POST',
    o.path,
    '',
    names.map((n) => `${n}:${all[n] ?? ''}\n`).join(''),
    names.join(';'),
    hex(o.body),
  ].join('\n');
  const scope = `${day}/${o.region}/${service}/${terminator}`;
  const toSign = [`${alg}-HMAC-SHA256`, stamp, scope, hex(canonical)].join('\n');
  const key = [day, o.region, service, terminator].reduce<Buffer | string>((k, part) => mac(k, part), `${alg}${o.secretKey}`);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    'Content-Type': all['content-type']!,
    [alg === 'OSC4' ? 'X-Osc-Date' : 'X-Amz-Date']: stamp,
    Authorization: `${alg}-HMAC-SHA256 Credential=${o.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}
