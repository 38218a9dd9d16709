// What Terraform's plugin client (go-plugin) puts in the environment of the provider it launches, and the checks a
// plugin makes on it before serving.

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** go-plugin's own handshake version (first field of the handshake line). */
export const CORE_PROTOCOL_VERSION = 1;
/** The Terraform plugin protocol we speak (second field). */
export const APP_PROTOCOL_VERSION = 6;

export const PROVIDER_ADDRESS = 'registry.terraform.io/outscale/outscale';

export function hasMagicCookie(env: NodeJS.ProcessEnv): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}

export const RUN_BY_HAND_MESSAGE = [
  'This program is the Terraform provider for OUTSCALE (outscale/outscale), a plugin that Terraform starts itself.',
  'It is not meant to be run directly. To use it, declare it in a Terraform configuration:',
  '',
  '  terraform {',
  '    required_providers {',
  '      outscale = { source = "outscale/outscale" }',
  '    }',
  '  }',
  '',
  'and run terraform init / plan / apply (a local build can be wired in with a dev_overrides block in the',
  'Terraform CLI configuration). To debug it, run it with --debug and export the TF_REATTACH_PROVIDERS value it',
  'prints before running terraform.',
  '',
].join('\n');

export type ProtocolNegotiation = { ok: true; version: number } | { ok: false; message: string };

/**
 * PLUGIN_PROTOCOL_VERSIONS lists the protocol versions the client accepts ("5,6" or "6,5" from Terraform 1.11).
 * Like go-plugin, an absent/empty list means "the plugin's default", i.e. 6.
 */
export function negotiateProtocolVersion(env: NodeJS.ProcessEnv): ProtocolNegotiation {
  const raw = (env.PLUGIN_PROTOCOL_VERSIONS ?? '').trim();
  if (raw === '') return { ok: true, version: APP_PROTOCOL_VERSION };
  const offered = raw.split(',').map((v) => Number.parseInt(v.trim(), 10));
  if (offered.includes(APP_PROTOCOL_VERSION)) return { ok: true, version: APP_PROTOCOL_VERSION };
  return {
    ok: false,
    message:
      `Incompatible plugin protocol: this provider speaks protocol ${APP_PROTOCOL_VERSION}, Terraform offered ${raw}. ` +
      'Use Terraform 1.0 or later.\n',
  };
}

export interface PortRange {
  min: number;
  max: number;
}

/** PLUGIN_MIN_PORT / PLUGIN_MAX_PORT, defaulting to go-plugin's 10000..25000. */
export function portRangeFromEnv(env: NodeJS.ProcessEnv): PortRange {
  const min = Number.parseInt(env.PLUGIN_MIN_PORT ?? '', 10);
  const max = Number.parseInt(env.PLUGIN_MAX_PORT ?? '', 10);
  const range = { min: Number.isFinite(min) ? min : 10000, max: Number.isFinite(max) ? max : 25000 };
  return range.min > 0 && range.min <= range.max && range.max < 65536 ? range : { min: 10000, max: 25000 };
}

/** The client's certificate for AutoMTLS; absent when TLS is disabled (TF_DISABLE_PLUGIN_TLS, reattach). */
export function clientCertFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const pem = env.PLUGIN_CLIENT_CERT ?? '';
  return pem.trim() === '' ? undefined : pem;
}
