// What every RPC handler of one provider session shares: the registered types, the configured client, the
// cancellation of everything in flight, and the launch's session (environment, directory, logs).

import { loggerFor, type Logger } from '../common/log.js';
import type { Session } from '../common/session.js';
import type { Diagnostics } from './diagnostics.js';
import { PrivateState } from './private-state.js';
import type { TypeRegistry } from './registry.js';
import type { CallContext } from './resource.js';

export class ServerContext<Client> {
  client: Client | undefined;
  private readonly stopController = new AbortController();

  /** The logger of the launch this server answers (in warm mode, one of several in the process). */
  readonly log: Logger;

  constructor(
    readonly registry: TypeRegistry<Client>,
    /** The launch served; undefined: the process's own (environment, directory, stderr). */
    readonly session?: Session,
  ) {
    this.log = loggerFor(session);
  }

  get signal(): AbortSignal {
    return this.stopController.signal;
  }

  stop(reason: string): void {
    this.stopController.abort(new Error(reason));
  }

  callContext(diagnostics: Diagnostics, privateState = PrivateState.fromBytes(undefined)): CallContext<Client> {
    return { client: this.client, signal: this.signal, diagnostics, private: privateState };
  }

  /** An error diagnostic when ConfigureProvider has not produced a client (its own errors say why). */
  requireClient(diags: Diagnostics): void {
    if (this.client === undefined)
      diags.error('Provider not configured', 'The OUTSCALE provider was not configured before this call (see earlier errors).');
  }
}
