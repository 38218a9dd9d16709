// Calls a running sandbox over HTTP with requests signed by the test signer.
import { request } from 'node:http';
import type { Sandbox } from '../../src/sandbox/index.js';
import { signHeaders, type SignOptions } from './sign.js';

export interface ApiAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers are inspected freely in tests
}

export interface CallOptions extends Partial<Omit<SignOptions, 'host' | 'path' | 'body'>> {
  /** Sign this body but send `sendBody` instead (tampering). */
  sendBody?: string;
  rawBody?: string;
  extraHeaders?: Record<string, string>;
  unsigned?: boolean;
}

export function rawPost(port: number, path: string, body: string, headers: Record<string, string>): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function call(sandbox: Sandbox, action: string, payload: unknown = {}, options: CallOptions = {}): Promise<ApiAnswer> {
  const body = options.rawBody ?? JSON.stringify(payload);
  const path = `/api/v1/${action}`;
  const { sendBody, extraHeaders, unsigned, rawBody: _raw, ...signOptions } = options;
  const headers = unsigned
    ? { 'Content-Type': 'application/json' }
    : signHeaders({
        accessKey: sandbox.accessKey,
        secretKey: sandbox.secretKey,
        region: sandbox.region,
        ...signOptions,
        host: `127.0.0.1:${sandbox.port}`,
        path,
        body,
      });
  return rawPost(sandbox.port, path, sendBody ?? body, { ...headers, ...extraHeaders });
}

/** Calls and expects HTTP 200, returning the body. */
export async function ok(sandbox: Sandbox, action: string, payload: unknown = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const answer = await call(sandbox, action, payload);
  if (answer.status !== 200) throw new Error(`${action} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export function errorCode(answer: ApiAnswer): string | undefined {
  return answer.body?.Errors?.[0]?.Code;
}
