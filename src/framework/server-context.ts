// What every RPC handler of one provider process shares: the registered types, the configured client and the
// cancellation of everything in flight.

import type { Diagnostics } from './diagnostics.js';
import { PrivateState } from './private-state.js';
import type { TypeRegistry } from './registry.js';
import type { CallContext } from './resource.js';

export class ServerContext<Client> {
  client: Client | undefined;
  private readonly stopController = new AbortController();

  constructor(readonly registry: TypeRegistry<Client>) {}

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
