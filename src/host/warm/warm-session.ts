// One launch served by the resident process: its own gRPC server (its own socket, TLS with this launch's client
// certificate), its own provider instance (configuration, client, StopProvider), its logs to this launcher's stderr.
// It ends — and only it — on Shutdown, or when the launcher's connection closes (Terraform killed the launcher).

import type { Socket } from 'node:net';
import { loggerFor } from '../../common/log.js';
import type { Session } from '../../common/session.js';
import { formatHandshakeLine } from '../handshake-line.js';
import { clientCertFromEnv, hasMagicCookie, negotiateProtocolVersion, portRangeFromEnv } from '../plugin-env.js';
import { startPluginServer, type PluginServer } from '../plugin-server.js';
import type { ProviderHandlers } from '../provider-dispatch.js';
import type { ServerCertificate } from '../server-certificate.js';
import { okAnswer, type ControlRequest } from './control-request.js';

/** A provider instance for one session. */
export interface SessionProvider {
  service: ProviderHandlers;
  /** Cancels every call in flight. */
  stop(): void;
  /** Frees what the provider holds (API connections), once its server has closed. */
  close?(): void;
}

export interface WarmSessionOptions {
  request: ControlRequest;
  connection: Socket;
  newProvider: (session: Session) => SessionProvider;
  /** Where the session's gRPC socket goes (the resident's private directory). */
  socketDir: string;
  serverCertificate: () => ServerCertificate;
}

export interface WarmSession {
  /** Sends the launcher the handshake line, then the session's stderr from now on. */
  announce(): void;
  /** Resolves when the session has ended (server closed, connection ended). */
  ended: Promise<void>;
  end(reason: string): void;
}

/** Why this launch cannot be served warm (the launcher then starts the provider the normal way), if it cannot. */
export function refusalReason(env: NodeJS.ProcessEnv): string | undefined {
  if (!hasMagicCookie(env)) return 'not launched by Terraform';
  const negotiation = negotiateProtocolVersion(env);
  return negotiation.ok ? undefined : 'unsupported plugin protocol versions';
}

export async function startWarmSession(options: WarmSessionOptions): Promise<WarmSession> {
  const { request, connection } = options;
  // Logs of the session's start wait until the handshake answer is out: the launcher reads that line first.
  let early: string[] | undefined = [];
  const session: Session = {
    env: request.env,
    cwd: request.cwd,
    writeStderr(text) {
      if (early) early.push(text);
      else if (connection.writable) connection.write(text);
    },
  };
  const log = loggerFor(session);
  const provider = options.newProvider(session);
  const clientCertPem = clientCertFromEnv(request.env);
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  let server: PluginServer | undefined;
  let ending = false;
  const end = (reason: string) => {
    if (ending) return;
    ending = true;
    log.debug('warm session ending', { reason });
    provider.stop();
    const closed = server ? server.close() : Promise.resolve();
    void closed.finally(() => {
      provider.close?.(); // after the server: the calls still running when the session ended have had their answer
      connection.end();
      resolveEnded();
    });
  };
  connection.on('end', () => end('launcher closed its side'));
  connection.on('close', () => end('launcher connection closed'));
  connection.on('error', () => end('launcher connection failed'));

  server = await startPluginServer({
    provider: provider.service,
    tls: clientCertPem ? { clientCertPem, serverCertificate: options.serverCertificate() } : false,
    socketDir: options.socketDir,
    tcpPortRange: portRangeFromEnv(request.env),
    onShutdown: () => end('Shutdown'),
    log,
  });
  if (ending) await server.close(); // the launcher went away while the server was starting
  const handshakeLine = formatHandshakeLine(server.network, server.address, server.serverCertDer);
  return {
    ended,
    end,
    announce() {
      const pending = early ?? [];
      early = undefined;
      connection.write(okAnswer(handshakeLine) + pending.join(''));
    },
  };
}
