// The gRPC server of the plugin: tfplugin6.Provider plus go-plugin's auxiliary services, on a unix socket or
// 127.0.0.1 TCP, with Terraform's AutoMTLS when a client certificate is given. No stdout, no process handling here
// (see ./serve.ts): this part is what tests start in-process.

import * as grpc from '@grpc/grpc-js';
import { log as processLog, type Logger } from '../common/log.js';
import {
  BrokerService,
  ControllerService,
  HealthService,
  ProviderService,
  StdioService,
} from '../protocol/tfplugin6.js';
import {
  OpenStreams,
  brokerImplementation,
  controllerImplementation,
  healthImplementation,
  stdioImplementation,
} from './aux-services.js';
import type { Network } from './handshake-line.js';
import { type Listening, listenTcp, listenUnix, removeSocketFile, socketPathIn } from './listen-address.js';
import type { PortRange } from './plugin-env.js';
import { type ProviderHandlers, type ProviderSource, providerImplementation } from './provider-dispatch.js';
import { generateServerCertificate, type ServerCertificate } from './server-certificate.js';

/** Like terraform-plugin-go: large schemas and states must pass both ways (grpc-js defaults to 4 MiB in). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** How long close() lets in-flight calls finish before cutting connections. */
const GRACEFUL_CLOSE_MS = 250;

export interface PluginServerOptions {
  provider: ProviderSource;
  /**
   * AutoMTLS: the PEM of the only client certificate to accept (and the server's own certificate, made fresh when
   * not given). false/absent = plaintext.
   */
  tls?: { clientCertPem: string; serverCertificate?: ServerCertificate } | false;
  /** Default 'unix' (falls back to TCP when the socket path would be too long). */
  network?: Network;
  /** Directory for the unix socket (default $TMPDIR). */
  socketDir?: string;
  /** TCP ports to pick from (default: any free port). */
  tcpPortRange?: PortRange;
  /** Called after GRPCController.Shutdown has been answered. Default: close the server. */
  onShutdown?: () => void;
  /** Where the server logs: the session's logger in warm mode; default the process's. */
  log?: Logger;
}

export interface PluginServer extends Listening {
  /** DER of the server certificate when serving TLS (goes into the handshake line). */
  serverCertDer?: Buffer;
  /** The provider handlers once loaded (a lazy provider is loaded on first call or preloadProvider()). */
  provider(): ProviderHandlers | undefined;
  preloadProvider(): Promise<void>;
  /** Ends open streams, stops the server (graceful, then forced) and removes the socket file. Idempotent. */
  close(): Promise<void>;
}

function serverCredentials(tls: PluginServerOptions['tls']): {
  credentials: grpc.ServerCredentials;
  serverCertDer?: Buffer;
} {
  if (!tls) return { credentials: grpc.ServerCredentials.createInsecure() };
  const certificate = tls.serverCertificate ?? generateServerCertificate();
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(tls.clientCertPem),
    [{ private_key: Buffer.from(certificate.keyPem), cert_chain: Buffer.from(certificate.certPem) }],
    true, // require a client certificate, and only this one (it is its own CA)
  );
  return { credentials, serverCertDer: certificate.certDer };
}

function shutdownServer(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, GRACEFUL_CLOSE_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

export async function startPluginServer(options: PluginServerOptions): Promise<PluginServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc.enable_channelz': 0,
  });
  const streams = new OpenStreams();
  const log = options.log ?? processLog;
  const provider = providerImplementation(options.provider, log);
  let closing: Promise<void> | undefined;
  let socketPath: string | undefined;

  const close = (): Promise<void> =>
    (closing ??= (async () => {
      streams.endAll();
      await shutdownServer(server);
      if (socketPath) removeSocketFile(socketPath);
    })());

  server.addService(ProviderService, provider.implementation);
  server.addService(HealthService, healthImplementation(streams));
  server.addService(StdioService, stdioImplementation(streams));
  server.addService(BrokerService, brokerImplementation(streams));
  server.addService(
    ControllerService,
    controllerImplementation(() => {
      log.debug('shutdown requested by the client');
      if (options.onShutdown) options.onShutdown();
      else void close();
    }),
  );

  const { credentials, serverCertDer } = serverCredentials(options.tls);
  let listening: Listening;
  try {
    socketPath = options.network === 'tcp' ? undefined : socketPathIn(options.socketDir);
    listening = socketPath
      ? await listenUnix(server, credentials, socketPath)
      : await listenTcp(server, credentials, options.tcpPortRange);
  } catch (error) {
    server.forceShutdown();
    if (socketPath) removeSocketFile(socketPath);
    throw error;
  }
  log.debug('plugin server listening', { network: listening.network, address: listening.address, tls: !!serverCertDer });

  return {
    ...listening,
    ...(serverCertDer ? { serverCertDer } : {}),
    provider: provider.loaded,
    preloadProvider: provider.preload,
    close,
  };
}
