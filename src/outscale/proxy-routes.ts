// The agents of the requests that go through a proxy (see proxy.ts for which do): https URLs through a CONNECT
// tunnel, http URLs in absolute form to the proxy, as Go's HTTP client does. One pooled agent per proxy.
import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import type { ProxyChoice, ProxyEndpoint, ProxyEnvironment } from './proxy.js';

export interface ProxyRoute {
  agent: http.Agent;
  /** For http URLs: the absolute URL as the request target. */
  path?: string;
  headers?: Record<string, string>;
}

type Callback = (err: Error | null, socket: Duplex) => void;

const tunnelModule = () => import('./proxy-tunnel.js');

function failing(message: string): (options: unknown, callback: Callback) => undefined {
  return (_options, callback) => {
    callback(Object.assign(new Error(message), { code: 'ERR_PROXY_CONFIG' }), undefined as never);
    return undefined;
  };
}

class TunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: ProxyEndpoint,
    options: https.AgentOptions,
  ) {
    super(options);
  }
  override createConnection(options: https.RequestOptions, callback?: Callback): undefined {
    tunnelModule().then(
      ({ openTunnel }) =>
        openTunnel(this.proxy, { ...(options as object), host: options.host ?? 'localhost', port: Number(options.port) }, (err, socket) =>
          callback!(err, socket as Duplex),
        ),
      (err: Error) => callback!(err, undefined as never),
    );
    return undefined;
  }
}

class ForwardAgent extends http.Agent {
  constructor(
    private readonly proxy: ProxyEndpoint,
    private readonly trust: https.AgentOptions,
    options: http.AgentOptions,
  ) {
    super(options);
  }
  override createConnection(_options: http.ClientRequestArgs, callback?: Callback): undefined {
    tunnelModule().then(
      ({ connectToProxy }) => connectToProxy(this.proxy, this.trust, (err, socket) => callback!(err, socket as Duplex)),
      (err: Error) => callback!(err, undefined as never),
    );
    return undefined;
  }
}

export class ProxyRoutes {
  private readonly agents = new Map<ProxyChoice, http.Agent>();

  constructor(
    private readonly environment: ProxyEnvironment,
    /** The agent options of direct requests: pool size, CAs, client certificate, verification. */
    private readonly httpsOptions: https.AgentOptions,
  ) {}

  /** undefined: connect directly. */
  route(url: URL): ProxyRoute | undefined {
    const choice = this.environment.proxyFor(url);
    if (choice === undefined) return undefined;
    let agent = this.agents.get(choice);
    if (agent === undefined) {
      if ('unusable' in choice) {
        agent = new http.Agent();
        agent.createConnection = failing(`the proxy setting cannot be used: ${choice.unusable}`) as never;
      } else if (url.protocol === 'https:') {
        agent = new TunnelAgent(choice, this.httpsOptions);
      } else {
        const { keepAlive, maxSockets } = this.httpsOptions;
        agent = new ForwardAgent(choice, this.httpsOptions, { keepAlive, maxSockets });
      }
      this.agents.set(choice, agent);
    }
    if (url.protocol === 'https:' || 'unusable' in choice) return { agent };
    return { agent, path: url.href, headers: choice.authorization ? { 'Proxy-Authorization': choice.authorization } : {} };
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
  }
}
