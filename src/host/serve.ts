// Running as a Terraform plugin: check the launch environment, start the server, print the handshake line (or, with
// --debug, the TF_REATTACH_PROVIDERS value), and tie the process lifetime to Terraform's.

import { dirname } from 'node:path';
import { log } from '../common/log.js';
import { formatHandshakeLine } from './handshake-line.js';
import {
  RUN_BY_HAND_MESSAGE,
  clientCertFromEnv,
  hasMagicCookie,
  negotiateProtocolVersion,
  portRangeFromEnv,
} from './plugin-env.js';
import { type PluginServer, startPluginServer } from './plugin-server.js';
import { installProcessGuards } from './process-guards.js';
import type { ProviderSource } from './provider-dispatch.js';
import { removeSocketFile, removeStaleSockets } from './listen-address.js';
import { formatReattachMessage } from './reattach.js';
import { writeStdout } from './stdout.js';

/** Exit even if closing hangs (Terraform SIGKILLs 2 s after Shutdown). */
const EXIT_DEADLINE_MS = 1000;

export interface ServePluginOptions {
  provider: ProviderSource;
  /** Serve for TF_REATTACH_PROVIDERS: plaintext, no magic cookie, runs until SIGINT/SIGTERM. */
  debug?: boolean;
  /** Called on SIGINT in normal mode (cancel in-flight work; StopProvider arrives too). */
  onInterrupt?: () => void;
  env?: NodeJS.ProcessEnv;
}

function fail(message: string): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(1);
}

function exitAfterClose(server: PluginServer, code: number): void {
  setTimeout(() => process.exit(code), EXIT_DEADLINE_MS).unref();
  server.close().then(
    () => process.exit(code),
    () => process.exit(code),
  );
}

/** Starts serving; resolves once the handshake (or reattach) line is out. Exits the process on fatal setup errors. */
export async function servePlugin(options: ServePluginOptions): Promise<PluginServer> {
  const env = options.env ?? process.env;
  const debug = options.debug ?? false;

  if (!debug) {
    if (!hasMagicCookie(env)) fail(RUN_BY_HAND_MESSAGE);
    const negotiation = negotiateProtocolVersion(env);
    if (!negotiation.ok) fail(negotiation.message);
  }

  // Assigned once listening; signals before that just exit.
  let server: PluginServer | undefined;
  const exit = (code: number) => (server ? exitAfterClose(server, code) : process.exit(code));
  installProcessGuards({
    onInterrupt: () => (debug ? exit(0) : options.onInterrupt?.()),
    onTerminate: () => exit(143),
    onOrphaned: (reason) => {
      log.warn('exiting: Terraform is gone', { reason });
      exit(0);
    },
  });

  const clientCertPem = debug ? undefined : clientCertFromEnv(env);
  try {
    server = await startPluginServer({
      provider: options.provider,
      tls: clientCertPem ? { clientCertPem } : false,
      tcpPortRange: portRangeFromEnv(env),
      // Reattached Terraform never sends Shutdown; if something does in debug mode, keep serving.
      onShutdown: debug ? () => log.info('shutdown request ignored in debug mode') : () => exit(0),
    });
  } catch (error) {
    fail(`terraform-provider-outscale: cannot start the plugin server: ${(error as Error).message}`);
  }
  const listening = server;
  if (listening.network === 'unix') process.on('exit', () => removeSocketFile(listening.address));

  if (debug) writeStdout(formatReattachMessage(process.pid, listening.network, listening.address));
  else writeStdout(formatHandshakeLine(listening.network, listening.address, listening.serverCertDer));
  log.debug('handshake sent', { ms_since_process_start: Math.round(performance.now()) });

  // Load the provider code while Terraform connects, rather than on its first call; then a little housekeeping
  // (a directory listing, well under a millisecond) — most provider processes live less than a second.
  setImmediate(() => {
    listening
      .preloadProvider()
      .catch((error: unknown) => log.error('provider failed to load', { error: String(error) }))
      .finally(() => {
        const removed = removeStaleSockets(listening.network === 'unix' ? dirname(listening.address) : undefined);
        if (removed.length > 0) log.debug('removed stale plugin sockets', { count: removed.length });
      });
  });
  return listening;
}
