// An https:// proxy: TLS to the proxy (checked with the CAs of SSL_CERT_FILE, against the proxy's own name), CONNECT
// with credentials inside it, then TLS to the API through the tunnel (checked against the API's name).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport } from '../../../src/outscale/http.js';
import { makeTestCa } from '../../e2e/network/test-ca.js';

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('transport through an https:// proxy', () => {
  let dir: string;
  let api: Server;
  let proxy: Server;
  let apiPort: number;
  let proxyPort: number;
  const connects: Array<{ target?: string; auth?: string }> = [];
  const apiNames: Array<string | false> = [];
  const sockets = new Set<Duplex>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'osc-https-proxy-'));
    const ca = await makeTestCa('proxy test CA');
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    const apiCert = await ca.issue({ dns: ['api.example.test'] });
    const proxyCert = await ca.issue({ ips: ['127.0.0.1'] });
    api = createHttpsServer({ cert: apiCert.certPem, key: apiCert.keyPem }, (req, res) => {
      apiNames.push((req.socket as TLSSocket).servername ?? false);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ResponseContext":{"RequestId":"r-2"}}'));
    });
    proxy = createHttpsServer({ cert: proxyCert.certPem, key: proxyCert.keyPem });
    proxy.on('connect', (req: IncomingMessage, client: Duplex) => {
      connects.push({ target: req.url, auth: req.headers['proxy-authorization'] });
      const upstream = connect({ host: '127.0.0.1', port: apiPort }, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream).add(client);
    });
    apiPort = await listen(api);
    proxyPort = await listen(proxy);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([close(api), close(proxy)]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('tunnels over TLS to the proxy and verifies both certificates with SSL_CERT_FILE', async () => {
    const transport = new HttpTransport({
      env: { HTTPS_PROXY: `https://tester:s3cret@127.0.0.1:${proxyPort}`, SSL_CERT_FILE: join(dir, 'ca.pem') },
    });
    try {
      const url = new URL(`https://api.example.test:${apiPort}/api/v1/ReadImages`);
      const response = await transport.send({ action: 'ReadImages', url, headers: {}, body: '{}', timeoutMs: 10_000 });
      expect(response.status).toBe(200);
      expect(connects).toEqual([{ target: `api.example.test:${apiPort}`, auth: `Basic ${Buffer.from('tester:s3cret').toString('base64')}` }]);
      expect(apiNames).toEqual(['api.example.test']);
    } finally {
      transport.close();
    }
  });
});
