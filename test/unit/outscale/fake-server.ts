// A tiny scripted OUTSCALE-like HTTP server for client tests (127.0.0.1, port 0).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  action: string;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

export type Reply =
  | { status: number; body?: unknown; rawBody?: string; headers?: Record<string, string> }
  | { drop: true }
  | { hang: true };

export interface FakeServer {
  url: string;
  host: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(handler: (req: ReceivedRequest) => Reply | Promise<Reply>): Promise<FakeServer> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const path = req.url ?? '';
      const received: ReceivedRequest = {
        action: path.split('/').pop() ?? '',
        method: req.method ?? '',
        path,
        headers: req.headers,
        rawBody,
        body,
      };
      requests.push(received);
      const reply = await handler(received);
      if ('drop' in reply) {
        req.socket.destroy();
        return;
      }
      if ('hang' in reply) return;
      const text = reply.rawBody ?? JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...(reply.headers ?? {}) });
      res.end(text);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function ok(body: Record<string, unknown> = {}): Reply {
  return { status: 200, body: { ...body, ResponseContext: { RequestId: 'req-ok' } } };
}

export function apiError(status: number, code: string, type: string, details: string): Reply {
  return { status, body: { Errors: [{ Code: code, Type: type, Details: details }], ResponseContext: { RequestId: `req-${code}` } } };
}

/** A free port with nothing listening (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/v1`;
}
