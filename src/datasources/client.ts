// The configured API client of a call (data sources are read only after ConfigureProvider).
import type { CallContext } from '../framework/resource.js';
import type { OscClient } from '../outscale/client.js';

export function requireClient(ctx: CallContext<OscClient>): OscClient {
  if (!ctx.client) throw new Error('The provider is not configured.');
  return ctx.client;
}
