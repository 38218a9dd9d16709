// Provider configuration → client configuration. Sources, first wins: the provider block, then a profile of the config
// file (read only when one is asked for: `profile`/`config_file` in the block, OSC_PROFILE, OSC_CONFIG_FILE), then
// the environment. Pairs never mix sources: the access key and the secret key (and the x509 certificate and key) come
// together from the first source that sets either half. The other settings are taken one by one from the first source
// that sets them. An explicit `insecure = false` in the block counts as set. docs/index.md states the same rules.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';

export interface ProviderConfigInput {
  access_key_id?: string;
  secret_key_id?: string;
  region?: string;
  /** Deprecated block. */
  endpoints?: { api?: string };
  api?: {
    endpoint?: string;
    region?: string;
    x509_cert_path?: string;
    x509_key_path?: string;
    insecure?: boolean;
  };
  /** Deprecated top-level forms of the api block's attributes. */
  x509_cert_path?: string;
  x509_key_path?: string;
  insecure?: boolean;
  config_file?: string;
  profile?: string;
}

export type ConfigSource = 'provider' | 'profile' | 'env' | 'default';

export interface ResolvedConfig {
  accessKey: string;
  secretKey: string;
  region: string;
  /** Normalised: scheme + host + path, no trailing slash (e.g. https://api.eu-west-2.outscale.com/api/v1). */
  endpoint: string;
  insecure: boolean;
  x509CertPath?: string;
  x509KeyPath?: string;
  /** PEM contents read from the paths above. */
  x509Cert?: string;
  x509Key?: string;
  /** Profile actually used, when the config file was read. */
  profile?: string;
  configFile?: string;
  /** Where each field came from (for debug logs; never the values). */
  sources: Partial<Record<ConfigField, ConfigSource>>;
}

export interface ConfigProblem {
  summary: string;
  detail: string;
  /** Attribute path in the provider block, dot-separated (e.g. "api.x509_cert_path"). */
  attribute?: string;
}

type ConfigField = 'accessKey' | 'secretKey' | 'region' | 'endpoint' | 'x509CertPath' | 'x509KeyPath' | 'insecure';

export const DEFAULT_REGION = 'eu-west-2';
export const DEFAULT_PROFILE = 'default';

export function defaultEndpoint(region: string): string {
  return `https://api.${region}.outscale.com/api/v1`;
}

export type ReadFile = (path: string) => string | undefined;

/** Reads a UTF-8 file; undefined when it cannot be read. */
export const readFileOrUndefined: ReadFile = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

function nonEmpty(v: string | undefined | null): string | undefined {
  if (v === undefined || v === null) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path === '~' || path.startsWith('~/')) {
    const home = nonEmpty(env.HOME) ?? homedir();
    return home + path.slice(1);
  }
  return path;
}

/** true/false spellings accepted in env vars and profiles; undefined when empty, 'invalid' otherwise. */
function parseBool(raw: unknown): boolean | undefined | 'invalid' {
  if (typeof raw === 'boolean') return raw;
  if (raw === undefined || raw === null) return undefined;
  const s = String(raw).trim().toLowerCase();
  if (s === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  return 'invalid';
}

/**
 * Adds https:// (or `protocol`://) when the scheme is missing and /api/v1 when the path is empty; strips trailing
 * slashes. Returns undefined for something that is not a URL.
 */
export function normaliseEndpoint(raw: string, protocol = 'https'): string | undefined {
  let text = raw.trim();
  if (text === '') return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `${protocol}://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.search || url.hash) return undefined;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path === '' ? '/api/v1' : path}`;
}

interface Profile {
  access_key?: string;
  secret_key?: string;
  region?: string;
  protocol?: string;
  endpoints?: { api?: string };
  x509_client_cert?: string;
  x509_client_key?: string;
  tls_skip_verify?: unknown;
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? nonEmpty(v) : undefined;
}

function toProfile(raw: unknown): Profile {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const endpoints = typeof r.endpoints === 'object' && r.endpoints !== null ? (r.endpoints as Record<string, unknown>) : {};
  return {
    access_key: asString(r.access_key),
    secret_key: asString(r.secret_key),
    region: asString(r.region),
    protocol: asString(r.protocol),
    endpoints: { api: asString(endpoints.api) },
    x509_client_cert: asString(r.x509_client_cert),
    x509_client_key: asString(r.x509_client_key),
    tls_skip_verify: r.tls_skip_verify,
  };
}

interface ProfileLoad {
  profile?: Profile;
  name?: string;
  path: string;
  /** false: no profile was asked for, so the file was not read. */
  requested?: false;
}

function loadProfile(
  input: ProviderConfigInput,
  env: NodeJS.ProcessEnv,
  readFile: ReadFile,
  problems: ConfigProblem[],
): ProfileLoad {
  const fileFromBlock = nonEmpty(input.config_file);
  const fileFromEnv = nonEmpty(env.OSC_CONFIG_FILE);
  const profileFromBlock = nonEmpty(input.profile);
  const profileFromEnv = nonEmpty(env.OSC_PROFILE);
  const fileExplicit = fileFromBlock !== undefined || fileFromEnv !== undefined;
  const profileExplicit = profileFromBlock !== undefined || profileFromEnv !== undefined;
  const home = nonEmpty(env.HOME) ?? homedir();
  const path = expandHome(fileFromBlock ?? fileFromEnv ?? `${home}/.osc/config.json`, env);
  const name = profileFromBlock ?? profileFromEnv ?? DEFAULT_PROFILE;
  const fileAttribute = fileFromBlock !== undefined ? 'config_file' : undefined;
  const profileAttribute = profileFromBlock !== undefined ? 'profile' : undefined;

  // an implicit ~/.osc/config.json must not override OSC_ACCESS_KEY/OSC_SECRET_KEY (nor lend them a region)
  if (!fileExplicit && !profileExplicit) return { path, requested: false };
  const text = readFile(path);
  if (text === undefined) {
    problems.push({
      summary: 'Cannot read the OUTSCALE config file',
      detail:
        `The config file ${JSON.stringify(path)} ` +
        `(${fileExplicit ? (fileFromBlock !== undefined ? 'set by config_file' : 'set by OSC_CONFIG_FILE') : 'default location'}) ` +
        `could not be read${profileExplicit ? `, so profile ${JSON.stringify(name)} is not available` : ''}.`,
      attribute: fileAttribute ?? profileAttribute,
    });
    return { path, name };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    problems.push({
      summary: 'Invalid OUTSCALE config file',
      detail: `The config file ${JSON.stringify(path)} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      attribute: fileAttribute,
    });
    return { path };
  }
  const profiles = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  if (profiles === undefined) {
    problems.push({
      summary: 'Invalid OUTSCALE config file',
      detail: `The config file ${JSON.stringify(path)} must be a JSON object mapping profile names to settings.`,
      attribute: fileAttribute,
    });
    return { path };
  }
  if (!Object.prototype.hasOwnProperty.call(profiles, name)) {
    if (profileExplicit) {
      problems.push({
        summary: 'OUTSCALE profile not found',
        detail:
          `Profile ${JSON.stringify(name)} (${profileFromBlock !== undefined ? 'set by profile' : 'set by OSC_PROFILE'}) ` +
          `does not exist in ${JSON.stringify(path)}. Available profiles: ${Object.keys(profiles).join(', ') || 'none'}.`,
        attribute: profileAttribute,
      });
    }
    return { path };
  }
  return { profile: toProfile(profiles[name]), name, path };
}

/** Picks the first defined value and records its source. */
class Layered {
  readonly sources: Partial<Record<ConfigField, ConfigSource>> = {};
  pick<T>(field: ConfigField, candidates: Array<[ConfigSource, T | undefined]>): T | undefined {
    for (const [source, value] of candidates) {
      if (value !== undefined) {
        this.sources[field] = source;
        return value;
      }
    }
    return undefined;
  }

  /** Both halves from the first source that sets either (one half may then be missing: the caller reports it). */
  pickPair(
    fields: [ConfigField, ConfigField],
    candidates: Array<[ConfigSource, string | undefined, string | undefined]>,
  ): { source?: ConfigSource; first?: string; second?: string } {
    const found = candidates.find(([, first, second]) => first !== undefined || second !== undefined);
    if (found === undefined) return {};
    const [source, first, second] = found;
    if (first !== undefined) this.sources[fields[0]] = source;
    if (second !== undefined) this.sources[fields[1]] = source;
    return { source, first, second };
  }
}

export function resolveClientConfig(
  input: ProviderConfigInput,
  env: NodeJS.ProcessEnv,
  readFile: ReadFile = readFileOrUndefined,
): { config?: ResolvedConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const api = input.api ?? {};

  const blockEndpointApi = nonEmpty(api.endpoint);
  const blockEndpointLegacy = nonEmpty(input.endpoints?.api);
  if (blockEndpointApi !== undefined && blockEndpointLegacy !== undefined) {
    problems.push({
      summary: 'Conflicting endpoint settings',
      detail: 'Set the API endpoint either in api.endpoint or in the deprecated endpoints.api, not both.',
      attribute: 'endpoints.api',
    });
  }
  for (const [legacy, current] of [
    ['x509_cert_path', 'x509_cert_path'],
    ['x509_key_path', 'x509_key_path'],
    ['insecure', 'insecure'],
  ] as const) {
    if (input[legacy] !== undefined && input[legacy] !== null && api[current] !== undefined && api[current] !== null) {
      problems.push({
        summary: 'Conflicting provider settings',
        detail: `Set ${current} either in the api block or at the top level (deprecated), not both.`,
        attribute: legacy,
      });
    }
  }

  const loaded = loadProfile(input, env, readFile, problems);
  const profile = loaded.profile ?? {};
  const layers = new Layered();

  const keys = layers.pickPair(
    ['accessKey', 'secretKey'],
    [
      ['provider', nonEmpty(input.access_key_id), nonEmpty(input.secret_key_id)],
      ['profile', profile.access_key, profile.secret_key],
      ['env', nonEmpty(env.OSC_ACCESS_KEY), nonEmpty(env.OSC_SECRET_KEY)],
    ],
  );
  const accessKey = keys.first;
  const secretKey = keys.second;
  const region =
    layers.pick('region', [
      ['provider', nonEmpty(api.region) ?? nonEmpty(input.region)],
      ['profile', profile.region],
      ['env', nonEmpty(env.OSC_REGION)],
    ]) ?? ((layers.sources.region = 'default'), DEFAULT_REGION);

  const endpointEntry = layers.pick<{ raw: string; attribute?: string; origin: string; protocol?: string }>('endpoint', [
    [
      'provider',
      blockEndpointApi !== undefined
        ? { raw: blockEndpointApi, attribute: 'api.endpoint', origin: 'api.endpoint' }
        : blockEndpointLegacy !== undefined
          ? { raw: blockEndpointLegacy, attribute: 'endpoints.api', origin: 'endpoints.api' }
          : undefined,
    ],
    [
      'profile',
      profile.endpoints?.api !== undefined
        ? { raw: profile.endpoints.api, origin: `endpoints.api of profile ${JSON.stringify(loaded.name)}`, protocol: profile.protocol }
        : undefined,
    ],
    ['env', nonEmpty(env.OSC_ENDPOINT_API) !== undefined ? { raw: env.OSC_ENDPOINT_API!.trim(), origin: 'OSC_ENDPOINT_API' } : undefined],
  ]);
  let endpoint: string | undefined;
  if (endpointEntry === undefined) {
    endpoint = defaultEndpoint(region);
    layers.sources.endpoint = 'default';
  } else {
    endpoint = normaliseEndpoint(endpointEntry.raw, endpointEntry.protocol ?? 'https');
    if (endpoint === undefined) {
      problems.push({
        summary: 'Invalid OUTSCALE API endpoint',
        detail: `${endpointEntry.origin} is ${JSON.stringify(endpointEntry.raw)}, which is not an http(s) URL or host name.`,
        attribute: endpointEntry.attribute,
      });
    }
  }

  const x509Paths = layers.pickPair(
    ['x509CertPath', 'x509KeyPath'],
    [
      ['provider', nonEmpty(api.x509_cert_path) ?? nonEmpty(input.x509_cert_path), nonEmpty(api.x509_key_path) ?? nonEmpty(input.x509_key_path)],
      ['profile', profile.x509_client_cert, profile.x509_client_key],
      ['env', nonEmpty(env.OSC_X509_CLIENT_CERT), nonEmpty(env.OSC_X509_CLIENT_KEY)],
    ],
  );
  const x509CertPath = x509Paths.first;
  const x509KeyPath = x509Paths.second;

  const profileInsecure = parseBool(profile.tls_skip_verify);
  const envInsecure = parseBool(env.OSC_TLS_SKIP_VERIFY);
  if (profileInsecure === 'invalid') {
    problems.push({
      summary: 'Invalid tls_skip_verify',
      detail: `tls_skip_verify of profile ${JSON.stringify(loaded.name)} in ${JSON.stringify(loaded.path)} must be true or false.`,
    });
  }
  if (envInsecure === 'invalid') {
    problems.push({
      summary: 'Invalid OSC_TLS_SKIP_VERIFY',
      detail: `OSC_TLS_SKIP_VERIFY is ${JSON.stringify(env.OSC_TLS_SKIP_VERIFY)}; use true or false.`,
    });
  }
  const insecure =
    layers.pick('insecure', [
      ['provider', api.insecure ?? input.insecure ?? undefined],
      ['profile', profileInsecure === 'invalid' ? undefined : profileInsecure],
      ['env', envInsecure === 'invalid' ? undefined : envInsecure],
    ]) ?? false;

  const x509 = readX509(x509CertPath, x509KeyPath, layers.sources, input, env, readFile, problems);

  if (keys.source !== undefined && (accessKey === undefined || secretKey === undefined)) {
    problems.push(incompleteCredentials(keys.source, accessKey === undefined, loaded));
  } else if (accessKey === undefined || secretKey === undefined) {
    problems.push({
      summary: 'Missing OUTSCALE credentials',
      detail:
        'No access key and secret key were found. Provide both, together, in one of these ways:\n' +
        '  1. the provider block attributes access_key_id and secret_key_id;\n' +
        `  2. access_key and secret_key in a profile of the config file, ${profileWords(loaded)};\n` +
        '  3. the environment variables OSC_ACCESS_KEY and OSC_SECRET_KEY.',
      attribute: 'access_key_id',
    });
  }

  if (problems.length > 0 || accessKey === undefined || secretKey === undefined || endpoint === undefined) {
    return { problems };
  }
  const config: ResolvedConfig = {
    accessKey,
    secretKey,
    region,
    endpoint,
    insecure,
    sources: layers.sources,
  };
  if (x509CertPath !== undefined) config.x509CertPath = x509CertPath;
  if (x509KeyPath !== undefined) config.x509KeyPath = x509KeyPath;
  if (x509.cert !== undefined) config.x509Cert = x509.cert;
  if (x509.key !== undefined) config.x509Key = x509.key;
  if (loaded.profile !== undefined) {
    config.profile = loaded.name;
    config.configFile = loaded.path;
  }
  return { config, problems };
}

function profileWords(loaded: ProfileLoad): string {
  if (loaded.requested === false)
    return 'read only when a profile is asked for: profile or config_file in the provider block, OSC_PROFILE or OSC_CONFIG_FILE (default file ~/.osc/config.json, profile "default")';
  return `here profile ${JSON.stringify(loaded.name ?? DEFAULT_PROFILE)} of ${JSON.stringify(loaded.path)}`;
}

const KEY_WORDS = {
  provider: { where: 'The provider block', access: 'access_key_id', secret: 'secret_key_id' },
  profile: { where: 'The profile', access: 'access_key', secret: 'secret_key' },
  env: { where: 'The environment', access: 'OSC_ACCESS_KEY', secret: 'OSC_SECRET_KEY' },
} as const;

function incompleteCredentials(source: ConfigSource, accessMissing: boolean, loaded: ProfileLoad): ConfigProblem {
  const words = KEY_WORDS[source === 'default' ? 'env' : source];
  const [present, missing] = accessMissing ? [words.secret, words.access] : [words.access, words.secret];
  const where = source === 'profile' ? `Profile ${JSON.stringify(loaded.name)} of ${JSON.stringify(loaded.path)}` : words.where;
  return {
    summary: 'Incomplete OUTSCALE credentials',
    detail:
      `${where} sets ${present} but not ${missing}. The access key and the secret key are taken together from the first ` +
      'place that sets either (provider block, then the requested profile, then the environment), never one from each: ' +
      `set ${missing} there too, or remove ${present} from there.`,
    ...(source === 'provider' ? { attribute: missing } : {}),
  };
}

function readX509(
  certPath: string | undefined,
  keyPath: string | undefined,
  sources: Partial<Record<ConfigField, ConfigSource>>,
  input: ProviderConfigInput,
  env: NodeJS.ProcessEnv,
  readFile: ReadFile,
  problems: ConfigProblem[],
): { cert?: string; key?: string } {
  const attributeFor = (field: 'x509CertPath' | 'x509KeyPath'): string | undefined => {
    if (sources[field] !== 'provider') return undefined;
    const name = field === 'x509CertPath' ? 'x509_cert_path' : 'x509_key_path';
    return nonEmpty(input.api?.[name]) !== undefined ? `api.${name}` : name;
  };
  const origin = (field: 'x509CertPath' | 'x509KeyPath'): string => {
    const s = sources[field];
    if (s === 'provider') return attributeFor(field)!;
    if (s === 'profile') return field === 'x509CertPath' ? 'x509_client_cert of the profile' : 'x509_client_key of the profile';
    return field === 'x509CertPath' ? 'OSC_X509_CLIENT_CERT' : 'OSC_X509_CLIENT_KEY';
  };
  if ((certPath === undefined) !== (keyPath === undefined)) {
    const missingField = certPath === undefined ? 'x509CertPath' : 'x509KeyPath';
    const presentField = certPath === undefined ? 'x509KeyPath' : 'x509CertPath';
    problems.push({
      summary: 'Incomplete x509 client certificate settings',
      detail: `${origin(presentField)} is set but no ${missingField === 'x509CertPath' ? 'certificate' : 'key'} path was given; both the certificate and the key are needed.`,
      attribute: attributeFor(presentField),
    });
    return {};
  }
  if (certPath === undefined || keyPath === undefined) return {};
  const result: { cert?: string; key?: string } = {};
  for (const [field, path] of [
    ['x509CertPath', certPath],
    ['x509KeyPath', keyPath],
  ] as const) {
    const content = readFile(expandHome(path, env));
    if (content === undefined) {
      problems.push({
        summary: 'Cannot read the x509 client certificate',
        detail: `${origin(field)} points to ${JSON.stringify(path)}, which could not be read.`,
        attribute: attributeFor(field),
      });
    } else if (field === 'x509CertPath') result.cert = content;
    else result.key = content;
  }
  return result;
}
