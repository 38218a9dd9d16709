// Connections through an HTTP proxy, with Node's own http CONNECT (no dependency: this is all a proxy agent
// library would do, and it keeps the error text ours: the proxy's credentials are never in it). Loaded on first use,
// only when a proxy is configured.
import * as http from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { ProxyEndpoint } from './proxy.js';

class ProxyError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

const via = (proxy: ProxyEndpoint) => `the proxy ${proxy.display} (from ${proxy.variable})`;

function unreachable(proxy: ProxyEndpoint, cause: Error): ProxyError {
  // Not a connection error of the API host: its errno would be reported as if the API refused the connection.
  return new ProxyError('ERR_PROXY_CONNECT', `cannot connect to ${via(proxy)}: ${cause.message}`);
}

/** TLS options for an https:// proxy: the same trust as for the API, checked against the proxy's own name. */
function proxyTls(proxy: ProxyEndpoint, trust: tls.ConnectionOptions): tls.ConnectionOptions {
  const servername = net.isIP(proxy.hostname) === 0 ? proxy.hostname : undefined;
  return { ca: trust.ca, rejectUnauthorized: trust.rejectUnauthorized, ...(servername ? { servername } : {}) };
}

/** A socket to the proxy itself, for plain-HTTP requests in absolute form. */
export function connectToProxy(proxy: ProxyEndpoint, trust: tls.ConnectionOptions, callback: (err: Error | null, socket?: Duplex) => void): void {
  const socket =
    proxy.protocol === 'https:'
      ? tls.connect({ host: proxy.hostname, port: proxy.port, ...proxyTls(proxy, trust) })
      : net.connect({ host: proxy.hostname, port: proxy.port });
  const ready = proxy.protocol === 'https:' ? 'secureConnect' : 'connect';
  const onError = (cause: Error) => callback(unreachable(proxy, cause));
  socket.once('error', onError);
  socket.once(ready, () => {
    socket.off('error', onError);
    callback(null, socket);
  });
}

/** CONNECT host:port through the proxy, then TLS with `options` (the API's name, CAs, client certificate) inside. */
export function openTunnel(
  proxy: ProxyEndpoint,
  options: tls.ConnectionOptions & { host: string; port: number },
  callback: (err: Error | null, socket?: Duplex) => void,
): void {
  const authority = `${net.isIP(options.host) === 6 ? `[${options.host}]` : options.host}:${options.port}`;
  const headers: Record<string, string> = { Host: authority };
  if (proxy.authorization) headers['Proxy-Authorization'] = proxy.authorization;
  // The connection to the proxy is made here (no agent: a tunnel is never reused for another target). To an https://
  // proxy, TLS is set up here too: https.request would check the proxy's certificate against the Host header, which
  // for CONNECT names the API.
  const request = http.request({
    host: proxy.hostname,
    port: proxy.port,
    method: 'CONNECT',
    path: authority,
    headers,
    createConnection: () =>
      proxy.protocol === 'https:'
        ? tls.connect({ host: proxy.hostname, port: proxy.port, ...proxyTls(proxy, options) })
        : net.connect({ host: proxy.hostname, port: proxy.port }),
  });
  let done = false;
  const finish = (err: Error | null, socket?: Duplex) => {
    if (done) return;
    done = true;
    callback(err, socket);
  };
  request.once('connect', (res: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    if (res.statusCode !== 200) {
      socket.destroy();
      const hint = res.statusCode === 407 ? `; check the user and password in ${proxy.variable}` : '';
      const status = `${res.statusCode}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
      finish(new ProxyError('ERR_PROXY_TUNNEL', `${via(proxy)} answered ${status} to CONNECT ${authority}${hint}`));
      return;
    }
    if (head.length > 0) socket.unshift(head);
    const servername = options.servername ?? (net.isIP(options.host) === 0 ? options.host : undefined);
    const { host: _host, port: _port, ...rest } = options;
    finish(null, tls.connect({ ...rest, socket, ...(servername ? { servername } : {}) }));
  });
  request.once('response', (res: http.IncomingMessage) => {
    res.resume();
    finish(new ProxyError('ERR_PROXY_TUNNEL', `${via(proxy)} answered ${res.statusCode} to CONNECT ${authority}`));
  });
  request.once('error', (cause: Error) => finish(unreachable(proxy, cause)));
  request.end();
}
