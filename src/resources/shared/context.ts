// What every OUTSCALE resource needs from its call context: the configured client and its `timeouts` block.
import type { OscClient } from '../../outscale/client.js';
import type { CallContext } from '../../framework/resource.js';
import { parseDuration } from '../../framework/duration.js';
import { isObjectValue, isUnknown, type ObjectValue, type Value } from '../../protocol/value.js';

export type OscContext = CallContext<OscClient>;

export function oscClient(ctx: OscContext): OscClient {
  if (!ctx.client) throw new Error('The provider is not configured.');
  return ctx.client;
}

/** The `timeouts.<op>` of a state or config, else the default. */
export function timeoutMs<Op extends string>(state: ObjectValue, op: Op, defaults: Record<Op, number>): number {
  const t = state.timeouts;
  const text = isObjectValue(t) && typeof t[op] === 'string' ? (t[op] as string) : undefined;
  return (text !== undefined ? parseDuration(text) : undefined) ?? defaults[op];
}

export const knownOrNull = (v: Value | undefined): Value => (v === undefined || isUnknown(v) ? null : v);
