// ConfigureProvider: provider block → client configuration (profile file and environment as fallbacks) → client.

import { OscClient } from '../outscale/client.js';
import { readFileOrUndefined, resolveClientConfig, type ProviderConfigInput } from '../outscale/config.js';
import { isObjectValue, isUnknown, type ObjectValue, type Value } from '../protocol/value.js';
import type { Diagnostics } from '../framework/diagnostics.js';
import { loggerFor } from '../common/log.js';
import { sessionPath, type Session } from '../common/session.js';

const text = (v: Value | undefined) => (typeof v === 'string' ? v : undefined);
const flag = (v: Value | undefined) => (typeof v === 'boolean' ? v : undefined);
const firstBlock = (v: Value | undefined): ObjectValue | undefined =>
  Array.isArray(v) && isObjectValue(v[0]) ? v[0] : isObjectValue(v) ? v : undefined;

export function providerConfigInput(config: ObjectValue): ProviderConfigInput {
  const api = firstBlock(config.api);
  const endpoints = firstBlock(config.endpoints);
  return {
    access_key_id: text(config.access_key_id),
    secret_key_id: text(config.secret_key_id),
    region: text(config.region),
    x509_cert_path: text(config.x509_cert_path),
    x509_key_path: text(config.x509_key_path),
    insecure: flag(config.insecure),
    config_file: text(config.config_file),
    profile: text(config.profile),
    endpoints: endpoints ? { api: text(endpoints.api) } : undefined,
    api: api
      ? {
          endpoint: text(api.endpoint),
          region: text(api.region),
          x509_cert_path: text(api.x509_cert_path),
          x509_key_path: text(api.x509_key_path),
          insecure: flag(api.insecure),
        }
      : undefined,
  };
}

/** `session`: the launch being configured (its environment and directory); undefined: the process's own. */
export async function configureClient(config: ObjectValue, diags: Diagnostics, session?: Session): Promise<OscClient | undefined> {
  const unknown = Object.entries(config).filter(([, v]) => isUnknown(v)).map(([k]) => k);
  if (unknown.length > 0) {
    diags.error(
      'Provider configuration not known yet',
      `These provider arguments depend on values known only after apply: ${unknown.join(', ')}.`,
      [{ attribute: unknown[0]! }],
    );
    return undefined;
  }
  // The launch's environment and directory (in warm mode, one resident process serves several launches).
  const env = session?.env ?? process.env;
  const readFile = (path: string) => readFileOrUndefined(sessionPath(session, path));
  const { config: resolved, problems } = resolveClientConfig(providerConfigInput(config), env, readFile);
  for (const p of problems)
    diags.error(p.summary, p.detail, p.attribute ? p.attribute.split('.').map((attribute) => ({ attribute })) : undefined);
  if (!resolved || diags.hasErrors()) return undefined;
  const log = loggerFor(session);
  log.debug('OUTSCALE client configured', { endpoint: resolved.endpoint, region: resolved.region, sources: resolved.sources });
  return OscClient.fromConfig(resolved, { env, log });
}
