// Which proxy a URL goes through, checked against the rules of Go's httpproxy.FromEnvironment (the official
// provider's HTTP client), and the plain-HTTP forwarding path of the transport against a loopback proxy.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OscNetworkError } from '../../../src/outscale/errors.js';
import { HttpTransport } from '../../../src/outscale/http.js';
import { type ProxyChoice, proxyEnvironment } from '../../../src/outscale/proxy.js';

const show = (choice: ProxyChoice | undefined) =>
  choice === undefined ? 'direct' : 'unusable' in choice ? `unusable: ${choice.unusable}` : `${choice.display} (${choice.variable})`;

const pick = (env: NodeJS.ProcessEnv, url: string) => show(proxyEnvironment(env)?.proxyFor(new URL(url)));

describe('proxy environment (Go httpproxy rules)', () => {
  it('is nothing at all when no proxy variable is set, whatever NO_PROXY says', () => {
    expect(proxyEnvironment({})).toBeUndefined();
    expect(proxyEnvironment({ NO_PROXY: 'example.com', HTTPS_PROXY: '' })).toBeUndefined();
  });

  it.each([
    // [env, url, expected]
    [{ HTTPS_PROXY: 'http://proxy:3128' }, 'https://api.eu-west-2.outscale.com/api/v1', 'http://proxy:3128 (HTTPS_PROXY)'],
    [{ HTTPS_PROXY: 'http://proxy:3128' }, 'http://api.example/api/v1', 'direct'],
    [{ HTTP_PROXY: 'http://proxy:3128' }, 'https://api.example/api/v1', 'direct'],
    [{ HTTP_PROXY: 'http://proxy:3128' }, 'http://api.example/api/v1', 'http://proxy:3128 (HTTP_PROXY)'],
    [{ https_proxy: 'http://lower:1' }, 'https://api.example', 'http://lower:1 (https_proxy)'],
    [{ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1' }, 'https://api.example', 'http://upper:1 (HTTPS_PROXY)'],
    [{ HTTPS_PROXY: '', https_proxy: 'http://lower:1' }, 'https://api.example', 'http://lower:1 (https_proxy)'],
    // no scheme: http:// is assumed
    [{ HTTPS_PROXY: 'cache.corp.example.com:1234' }, 'https://api.example', 'http://cache.corp.example.com:1234 (HTTPS_PROXY)'],
    [{ HTTPS_PROXY: 'cache.corp.example.com' }, 'https://api.example', 'http://cache.corp.example.com (HTTPS_PROXY)'],
    [{ HTTPS_PROXY: 'https://secure.proxy' }, 'https://api.example', 'https://secure.proxy (HTTPS_PROXY)'],
    [{ HTTPS_PROXY: 'socks5://proxy:1080' }, 'https://api.example', 'unusable: HTTPS_PROXY uses the scheme socks5; only http and https proxies are supported'],
    // CGI: HTTP_PROXY may come from a request header, Go ignores it; HTTPS_PROXY still counts
    [{ HTTP_PROXY: 'http://proxy:1', REQUEST_METHOD: 'GET' }, 'http://api.example', 'direct'],
    [{ HTTPS_PROXY: 'http://proxy:1', REQUEST_METHOD: 'GET' }, 'https://api.example', 'http://proxy:1 (HTTPS_PROXY)'],
    // never for localhost and loopback addresses
    [{ HTTPS_PROXY: 'http://proxy:1' }, 'https://localhost:8443', 'direct'],
    [{ HTTPS_PROXY: 'http://proxy:1' }, 'https://127.0.0.1:8443', 'direct'],
    [{ HTTPS_PROXY: 'http://proxy:1' }, 'https://127.45.6.7', 'direct'],
    [{ HTTPS_PROXY: 'http://proxy:1' }, 'https://[::1]:8443', 'direct'],
    [{ HTTPS_PROXY: 'http://proxy:1' }, 'https://[::ffff:127.0.0.1]', 'direct'],
    [{ HTTPS_PROXY: 'http://proxy:1' }, 'https://localhost.example', 'http://proxy:1 (HTTPS_PROXY)'],
  ] as Array<[NodeJS.ProcessEnv, string, string]>)('%o: %s → %s', (env, url, expected) => {
    expect(pick(env, url)).toBe(expected);
  });

  // NO_PROXY entry → URLs that go direct / through the proxy
  it.each([
    ['example.com', ['https://example.com', 'https://api.example.com', 'https://a.b.example.com:8443'], ['https://notexample.com', 'https://example.com.evil']],
    ['.example.com', ['https://api.example.com'], ['https://example.com']],
    ['*.example.com', ['https://api.example.com'], ['https://example.com']],
    ['example.com:8443', ['https://api.example.com:8443'], ['https://api.example.com', 'https://api.example.com:443']],
    ['EXAMPLE.com', ['https://API.example.COM'], []],
    ['outscale.com', ['https://api.eu-west-2.outscale.com/api/v1'], ['https://api.eu-west-2.outscale.hk']],
    ['10.0.0.0/8', ['https://10.1.2.3', 'https://10.255.0.1:8443'], ['https://11.0.0.1', 'https://example.com']],
    ['192.0.2.2/32', ['https://192.0.2.2:4443'], ['https://192.0.2.3']],
    ['192.0.2.2', ['https://192.0.2.2', 'https://192.0.2.2:1'], ['https://192.0.2.20']],
    ['192.0.2.2:443', ['https://192.0.2.2'], ['https://192.0.2.2:8443']],
    ['2001:db8::/32', ['https://[2001:db8::1]', 'https://[2001:db8:ffff::1]'], ['https://[2001:db9::1]']],
    ['[2001:db8::1]:443', ['https://[2001:db8::1]'], ['https://[2001:db8::1]:8443', 'https://[2001:db8::2]']],
    ['2001:db8::1', ['https://[2001:db8:0::1]:8443'], ['https://[2001:db8::2]']],
    ['*', ['https://anything.example', 'https://192.0.2.9'], []],
    [' foo.test , ,  example.com ', ['https://example.com', 'https://x.foo.test'], ['https://bar.test']],
    [':443', [], ['https://example.com']],
  ] as Array<[string, string[], string[]]>)('NO_PROXY=%j', (noProxy, direct, proxied) => {
    for (const variable of ['NO_PROXY', 'no_proxy']) {
      const env = { HTTPS_PROXY: 'http://proxy:3128', [variable]: noProxy };
      for (const url of direct) expect(pick(env, url), url).toBe('direct');
      for (const url of proxied) expect(pick(env, url), url).toBe('http://proxy:3128 (HTTPS_PROXY)');
    }
  });

  it('turns credentials into a Basic Proxy-Authorization header and keeps them out of the display form', () => {
    const choice = proxyEnvironment({ HTTPS_PROXY: 'http://us%65r:p%40ss%3Aw0rd@proxy.corp:8080' })!.proxyFor(new URL('https://api.example'));
    expect(choice).toMatchObject({ protocol: 'http:', hostname: 'proxy.corp', port: 8080, display: 'http://proxy.corp:8080' });
    expect((choice as { authorization: string }).authorization).toBe(`Basic ${Buffer.from('user:p@ss:w0rd').toString('base64')}`);
    expect(JSON.stringify({ ...choice, authorization: undefined })).not.toContain('p%40ss');
  });
});

describe('transport through an HTTP proxy for http:// endpoints', () => {
  let proxy: Server;
  let port: number;
  const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    proxy = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ResponseContext":{"RequestId":"r-1"}}'));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    port = (proxy.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  const request = (transport: HttpTransport) =>
    transport.send({ action: 'ReadImages', url: new URL('http://api.sandbox.test:8080/api/v1/ReadImages'), headers: { 'X-Test': '1' }, body: '{}', timeoutMs: 5000 });

  it('sends the request in absolute form to the proxy, with the credentials as Proxy-Authorization', async () => {
    const transport = new HttpTransport({ env: { HTTP_PROXY: `http://tester:s%3Acret@127.0.0.1:${port}` } });
    try {
      const response = await request(transport);
      expect(response.status).toBe(200);
      expect(seen.at(-1)).toMatchObject({ method: 'POST', url: 'http://api.sandbox.test:8080/api/v1/ReadImages' });
      expect(seen.at(-1)!.headers.host).toBe('api.sandbox.test:8080');
      expect(seen.at(-1)!.headers['proxy-authorization']).toBe(`Basic ${Buffer.from('tester:s:cret').toString('base64')}`);
      expect(seen.at(-1)!.headers['x-test']).toBe('1');
    } finally {
      transport.close();
    }
  });

  it('reports an unreachable proxy as such, as not sent, without the password', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const transport = new HttpTransport({ env: { http_proxy: `http://tester:hunter2@127.0.0.1:${deadPort}` } });
    try {
      const error = await request(transport).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OscNetworkError);
      expect((error as OscNetworkError).mayHaveExecuted).toBe(false);
      expect((error as Error).message).toContain(`cannot connect to the proxy http://127.0.0.1:${deadPort} (from http_proxy)`);
      expect((error as Error).message).toContain('api.sandbox.test:8080');
      expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain('hunter2');
    } finally {
      transport.close();
    }
  });

  it('fails a request clearly when the proxy setting cannot be used', async () => {
    const transport = new HttpTransport({ env: { HTTP_PROXY: 'socks5://tester:hunter2@127.0.0.1:1080' } });
    try {
      const error = (await request(transport).catch((e: unknown) => e)) as OscNetworkError;
      expect(error).toBeInstanceOf(OscNetworkError);
      expect(error.mayHaveExecuted).toBe(false);
      expect(error.message).toContain('HTTP_PROXY uses the scheme socks5; only http and https proxies are supported');
      expect(error.message).not.toContain('hunter2');
    } finally {
      transport.close();
    }
  });
});
