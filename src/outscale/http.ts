// One HTTP attempt over node:http / node:https with a keep-alive agent (fetch is avoided: loading undici lazily costs
// start-up time). Network failures are classified by whether the request body was handed to the socket: before that
// nothing can have executed; after it the outcome is unknown.
import * as http from 'node:http';
import * as https from 'node:https';
import { type NetworkFailureKind, OscAbortError, OscNetworkError } from './errors.js';
import { proxyEnvironment } from './proxy.js';
import { ProxyRoutes } from './proxy-routes.js';
import { certificateAuthorities, untrustedCertificateHint } from './trust.js';
import type { Logger } from '../common/log.js';

export interface TransportOptions {
  /** Client certificate and key (PEM text) for mutual TLS. */
  x509Cert?: string | Buffer;
  x509Key?: string | Buffer;
  /** Skip server certificate verification. */
  insecure?: boolean;
  maxSockets?: number;
  /** Where proxies (HTTPS_PROXY…) and CA bundles (SSL_CERT_FILE…) are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where problems with CA files are logged; default the process's logger. */
  log?: Logger;
}

export interface AttemptRequest {
  action: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The signal cancels the attempt only until its request is sent; after that the answer is awaited. */
  abortOnlyBeforeSent?: boolean;
}

export interface AttemptResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export class HttpTransport {
  private readonly httpAgent: http.Agent;
  private readonly httpsOptions: https.AgentOptions;
  private httpsAgentInstance: https.Agent | undefined;
  private readonly proxyRoutes: ProxyRoutes | undefined;

  constructor(options: TransportOptions = {}) {
    const common = { keepAlive: true, maxSockets: options.maxSockets ?? 16 };
    const env = options.env ?? process.env;
    this.httpAgent = new http.Agent(common);
    let ca: { list: string[] | undefined } | undefined;
    // The CA list is read on the first TLS connection, not at configuration: an http endpoint never needs it.
    this.httpsOptions = {
      ...common,
      cert: options.x509Cert,
      key: options.x509Key,
      rejectUnauthorized: !options.insecure,
    };
    Object.defineProperty(this.httpsOptions, 'ca', {
      enumerable: true,
      get: () => (ca ??= { list: certificateAuthorities(env, options.log) }).list,
    });
    const proxies = proxyEnvironment(env);
    this.proxyRoutes = proxies && new ProxyRoutes(proxies, this.httpsOptions);
  }

  private get httpsAgent(): https.Agent {
    return (this.httpsAgentInstance ??= new https.Agent(this.httpsOptions));
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgentInstance?.destroy();
    this.proxyRoutes?.close();
  }

  send(req: AttemptRequest): Promise<AttemptResponse> {
    const { action, url, signal } = req;
    const host = url.host;
    if (signal?.aborted) return Promise.reject(new OscAbortError(action, signal.reason));

    return new Promise<AttemptResponse>((resolve, reject) => {
      const isHttps = url.protocol === 'https:';
      const bodyBytes = Buffer.from(req.body, 'utf8');
      const client = isHttps ? https : http;
      let sent = false;
      let settled = false;
      let timer: NodeJS.Timeout | undefined;

      const finish = (err: Error | undefined, res?: AttemptResponse) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(res!);
      };

      const route = this.proxyRoutes?.route(url);
      const request = client.request(url, {
        method: 'POST',
        agent: route?.agent ?? (isHttps ? this.httpsAgent : this.httpAgent),
        ...(route?.path ? { path: route.path } : {}),
        headers: { ...req.headers, ...route?.headers, 'Content-Length': String(bodyBytes.length) },
      });

      const onAbort = () => {
        if (sent && req.abortOnlyBeforeSent) return;
        const err = new OscAbortError(action, signal?.reason);
        request.destroy(err);
        finish(err);
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      timer = setTimeout(() => {
        const err = new OscNetworkError({
          action,
          host,
          kind: 'timeout',
          errno: 'ETIMEDOUT',
          mayHaveExecuted: sent,
          reason: `no response within ${req.timeoutMs} ms`,
        });
        request.destroy(err);
        finish(err);
      }, req.timeoutMs);

      // 'finish' = the whole body was handed to the socket: from here the server may execute the request.
      request.on('finish', () => {
        sent = true;
      });

      request.on('error', (cause: NodeJS.ErrnoException) => {
        if (settled) return;
        finish(classifyNetworkError(action, host, cause, sent));
      });

      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            const err = new OscNetworkError({
              action,
              host,
              kind: 'other',
              mayHaveExecuted: true,
              reason: `response larger than ${MAX_RESPONSE_BYTES} bytes`,
            });
            request.destroy(err);
            finish(err);
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          finish(undefined, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', (cause: NodeJS.ErrnoException) => finish(classifyNetworkError(action, host, cause, true)));
        res.on('aborted', () =>
          finish(
            new OscNetworkError({
              action,
              host,
              kind: 'reset',
              errno: 'ECONNRESET',
              mayHaveExecuted: true,
              reason: 'connection closed while reading the response',
            }),
          ),
        );
      });

      request.end(bodyBytes);
    });
  }
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function classifyNetworkError(action: string, host: string, cause: NodeJS.ErrnoException, sent: boolean): Error {
  if (cause instanceof OscNetworkError || cause instanceof OscAbortError) return cause;
  const errno = typeof cause.code === 'string' ? cause.code : undefined;
  let kind: NetworkFailureKind = 'other';
  if (errno === 'ECONNREFUSED') kind = 'refused';
  else if (errno === 'ENOTFOUND' || errno === 'EAI_AGAIN') kind = 'dns';
  else if (errno === 'ECONNRESET' || errno === 'EPIPE') kind = 'reset';
  else if (errno === 'ETIMEDOUT') kind = 'timeout';
  else if (errno?.startsWith('ERR_TLS') || errno?.includes('CERT') || errno?.startsWith('ERR_SSL')) kind = 'tls';
  // Connection-level failures happen before any byte of the request is written, whatever `sent` says.
  const mayHaveExecuted = errno !== undefined && NOT_SENT_CODES.has(errno) ? false : kind === 'tls' ? false : sent;
  return new OscNetworkError({
    action,
    host,
    kind,
    errno,
    mayHaveExecuted,
    reason: describe(kind, cause),
    cause,
  });
}

function describe(kind: NetworkFailureKind, cause: Error): string {
  switch (kind) {
    case 'refused':
      return 'connection refused';
    case 'dns':
      return `host name could not be resolved (${cause.message})`;
    case 'reset':
      return 'connection reset by the server';
    case 'tls':
      return `TLS error (${cause.message}${untrustedCertificateHint((cause as NodeJS.ErrnoException).code)})`;
    default:
      return cause.message;
  }
}
