import { describe, expect, it } from 'vitest';
import {
  type ProviderConfigInput,
  normaliseEndpoint,
  resolveClientConfig,
} from '../../../src/outscale/config.js';

const HOME = '/home/tester';
const DEFAULT_FILE = `${HOME}/.osc/config.json`;

function files(map: Record<string, unknown>): (path: string) => string | undefined {
  return (path) => {
    const v = map[path];
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
}

function resolve(input: ProviderConfigInput, env: NodeJS.ProcessEnv = {}, fs: Record<string, unknown> = {}) {
  return resolveClientConfig(input, { HOME, ...env }, files(fs));
}

describe('precedence: provider block → requested profile → env; key pairs from one source', () => {
  const profileFile = {
    default: {
      access_key: 'AK_FILE',
      secret_key: 'SK_FILE',
      region: 'us-east-2',
      endpoints: { api: 'api.us-east-2.outscale.com' },
      x509_client_cert: '/f/cert.pem',
      x509_client_key: '/f/key.pem',
    },
  };
  const env = {
    OSC_ACCESS_KEY: 'AK_ENV',
    OSC_SECRET_KEY: 'SK_ENV',
    OSC_REGION: 'ap-northeast-1',
    OSC_ENDPOINT_API: 'https://env.example.com/api/v1',
    OSC_X509_CLIENT_CERT: '/e/cert.pem',
    OSC_X509_CLIENT_KEY: '/e/key.pem',
    OSC_TLS_SKIP_VERIFY: 'true',
  };
  const pems = { '/f/cert.pem': 'F-CERT', '/f/key.pem': 'F-KEY', '/e/cert.pem': 'E-CERT', '/e/key.pem': 'E-KEY', '/b/cert.pem': 'B-CERT', '/b/key.pem': 'B-KEY' };

  const cases: Array<{ name: string; input: ProviderConfigInput; env: NodeJS.ProcessEnv; file: boolean; expect: Record<string, unknown> }> = [
    {
      name: 'block wins over file and env',
      input: {
        access_key_id: 'AK_BLOCK',
        secret_key_id: 'SK_BLOCK',
        api: { region: 'cloudgouv-eu-west-1', endpoint: 'https://block.example.com/api/v1', x509_cert_path: '/b/cert.pem', x509_key_path: '/b/key.pem', insecure: false },
      },
      env,
      file: true,
      expect: {
        accessKey: 'AK_BLOCK',
        secretKey: 'SK_BLOCK',
        region: 'cloudgouv-eu-west-1',
        endpoint: 'https://block.example.com/api/v1',
        x509Cert: 'B-CERT',
        x509Key: 'B-KEY',
        insecure: false,
      },
    },
    {
      name: 'a requested profile (OSC_PROFILE) wins over the environment',
      input: {},
      env: { ...env, OSC_PROFILE: 'default' },
      file: true,
      expect: {
        accessKey: 'AK_FILE',
        secretKey: 'SK_FILE',
        region: 'us-east-2',
        endpoint: 'https://api.us-east-2.outscale.com/api/v1',
        x509Cert: 'F-CERT',
        insecure: true,
        sources: { accessKey: 'profile', secretKey: 'profile', region: 'profile', endpoint: 'profile', x509CertPath: 'profile', x509KeyPath: 'profile', insecure: 'env' },
      },
    },
    {
      name: 'env alone: an implicit ~/.osc/config.json is not read',
      input: {},
      env,
      file: true,
      expect: {
        accessKey: 'AK_ENV',
        secretKey: 'SK_ENV',
        region: 'ap-northeast-1',
        endpoint: 'https://env.example.com/api/v1',
        x509Cert: 'E-CERT',
        x509Key: 'E-KEY',
        insecure: true,
        sources: { accessKey: 'env', secretKey: 'env', region: 'env', endpoint: 'env', x509CertPath: 'env', x509KeyPath: 'env', insecure: 'env' },
      },
    },
    {
      name: 'a requested profile without keys lends its region; the keys come whole from the environment',
      input: {},
      env: { OSC_ACCESS_KEY: 'AK_ENV', OSC_SECRET_KEY: 'SK_ENV', OSC_CONFIG_FILE: '/m/config.json' },
      file: false,
      expect: {
        accessKey: 'AK_ENV',
        secretKey: 'SK_ENV',
        region: 'us-west-1',
        endpoint: 'https://api.us-west-1.outscale.com/api/v1',
        sources: { accessKey: 'env', secretKey: 'env', region: 'profile', endpoint: 'default' },
      },
    },
    {
      name: 'top-level region is the fallback of api.region; endpoint defaults from it',
      input: { access_key_id: 'A', secret_key_id: 'S', region: 'us-west-1' },
      env: { OSC_REGION: 'ap-northeast-1' },
      file: false,
      expect: { region: 'us-west-1', endpoint: 'https://api.us-west-1.outscale.com/api/v1' },
    },
    {
      name: 'api.region wins over top-level region',
      input: { access_key_id: 'A', secret_key_id: 'S', region: 'us-west-1', api: { region: 'us-east-2' } },
      env: {},
      file: false,
      expect: { region: 'us-east-2' },
    },
    {
      name: 'deprecated endpoints.api and top-level x509/insecure still work',
      input: { access_key_id: 'A', secret_key_id: 'S', endpoints: { api: 'legacy.example.com' }, x509_cert_path: '/b/cert.pem', x509_key_path: '/b/key.pem', insecure: true },
      env: {},
      file: false,
      expect: { endpoint: 'https://legacy.example.com/api/v1', x509Cert: 'B-CERT', insecure: true },
    },
    {
      name: 'defaults',
      input: { access_key_id: 'A', secret_key_id: 'S' },
      env: {},
      file: false,
      expect: { region: 'eu-west-2', endpoint: 'https://api.eu-west-2.outscale.com/api/v1', insecure: false, sources: { region: 'default', endpoint: 'default' } },
    },
  ];

  for (const tc of cases) {
    it(tc.name, () => {
      const fs: Record<string, unknown> = { ...pems, '/m/config.json': { default: { region: 'us-west-1' } } };
      if (tc.file) fs[DEFAULT_FILE] = profileFile;
      const { config, problems } = resolve(tc.input, tc.env, fs);
      expect(problems).toEqual([]);
      expect(config).toMatchObject(tc.expect);
    });
  }
});

describe('profile selection', () => {
  const fileContent = {
    default: { access_key: 'AK_D', secret_key: 'SK_D' },
    prod: { access_key: 'AK_P', secret_key: 'SK_P', region: 'us-east-2', protocol: 'http', endpoints: { api: 'localhost:8080' } },
  };

  it('reads no profile unless one is asked for, even when ~/.osc/config.json exists', () => {
    const { config, problems } = resolve({}, {}, { [DEFAULT_FILE]: fileContent });
    expect(config).toBeUndefined();
    expect(problems.map((p) => p.summary)).toEqual(['Missing OUTSCALE credentials']);
    expect(resolve({}, { OSC_ACCESS_KEY: 'A', OSC_SECRET_KEY: 'S' }, { [DEFAULT_FILE]: fileContent }).config).toMatchObject({ accessKey: 'A', secretKey: 'S', region: 'eu-west-2' });
  });

  it.each([
    ['profile', { profile: 'default' }, {}],
    ['config_file', { config_file: DEFAULT_FILE }, {}],
    ['OSC_PROFILE', {}, { OSC_PROFILE: 'default' }],
    ['OSC_CONFIG_FILE', {}, { OSC_CONFIG_FILE: DEFAULT_FILE }],
  ])('%s asks for a profile: the "default" one of ~/.osc/config.json unless named', (_name, input, env) => {
    const { config } = resolve(input, env, { [DEFAULT_FILE]: fileContent });
    expect(config).toMatchObject({ accessKey: 'AK_D', profile: 'default', configFile: DEFAULT_FILE });
  });

  it('profile attribute wins over OSC_PROFILE; the profile protocol prefixes a bare endpoint', () => {
    const { config } = resolve({ profile: 'prod' }, { OSC_PROFILE: 'default' }, { [DEFAULT_FILE]: fileContent });
    expect(config).toMatchObject({ accessKey: 'AK_P', region: 'us-east-2', endpoint: 'http://localhost:8080/api/v1', profile: 'prod' });
  });

  it('OSC_PROFILE and OSC_CONFIG_FILE select the file and profile; config_file wins over OSC_CONFIG_FILE', () => {
    const fs = { '/a.json': fileContent, '/b.json': { prod: { access_key: 'AK_B', secret_key: 'SK_B' } } };
    expect(resolve({}, { OSC_PROFILE: 'prod', OSC_CONFIG_FILE: '/a.json' }, fs).config?.accessKey).toBe('AK_P');
    expect(resolve({ config_file: '/b.json' }, { OSC_PROFILE: 'prod', OSC_CONFIG_FILE: '/a.json' }, fs).config?.accessKey).toBe('AK_B');
  });

  it('expands ~ in config_file', () => {
    const { config } = resolve({ config_file: '~/x.json' }, {}, { [`${HOME}/x.json`]: fileContent });
    expect(config?.accessKey).toBe('AK_D');
  });

  it('a missing default file is ignored', () => {
    const { config, problems } = resolve({}, { OSC_ACCESS_KEY: 'A', OSC_SECRET_KEY: 'S' }, {});
    expect(problems).toEqual([]);
    expect(config?.profile).toBeUndefined();
  });

  it('an explicitly requested missing file is a problem', () => {
    const { config, problems } = resolve({ config_file: '/nope.json', access_key_id: 'A', secret_key_id: 'S' }, {}, {});
    expect(config).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ summary: 'Cannot read the OUTSCALE config file', attribute: 'config_file' });
    expect(problems[0]!.detail).toContain('/nope.json');
  });

  it('an explicitly requested missing profile is a problem naming the available ones', () => {
    const { problems } = resolve({ profile: 'staging', access_key_id: 'A', secret_key_id: 'S' }, {}, { [DEFAULT_FILE]: fileContent });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ summary: 'OUTSCALE profile not found', attribute: 'profile' });
    expect(problems[0]!.detail).toContain('default, prod');
  });

  it('OSC_PROFILE naming a missing profile is a problem without attribute', () => {
    const { problems } = resolve({ access_key_id: 'A', secret_key_id: 'S' }, { OSC_PROFILE: 'ghost' }, { [DEFAULT_FILE]: fileContent });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.attribute).toBeUndefined();
    expect(problems[0]!.detail).toContain('OSC_PROFILE');
  });

  it('invalid JSON in the file is a problem', () => {
    const { problems } = resolve({ access_key_id: 'A', secret_key_id: 'S', profile: 'default' }, {}, { [DEFAULT_FILE]: '{not json' });
    expect(problems[0]?.summary).toBe('Invalid OUTSCALE config file');
  });
});

describe('endpoint normalisation', () => {
  const table: Array<[string, string | undefined]> = [
    ['api.eu-west-2.outscale.com', 'https://api.eu-west-2.outscale.com/api/v1'],
    ['https://api.eu-west-2.outscale.com', 'https://api.eu-west-2.outscale.com/api/v1'],
    ['https://api.eu-west-2.outscale.com/', 'https://api.eu-west-2.outscale.com/api/v1'],
    ['https://api.eu-west-2.outscale.com/api/v1/', 'https://api.eu-west-2.outscale.com/api/v1'],
    ['http://127.0.0.1:4567/api/v1', 'http://127.0.0.1:4567/api/v1'],
    ['127.0.0.1:4567', 'https://127.0.0.1:4567/api/v1'],
    ['  https://x.example/custom/path  ', 'https://x.example/custom/path'],
    ['ftp://x.example', undefined],
    ['https://x.example/api/v1?x=1', undefined],
    ['', undefined],
  ];
  for (const [raw, expected] of table) {
    it(`${JSON.stringify(raw)} → ${expected}`, () => expect(normaliseEndpoint(raw)).toBe(expected));
  }

  it('an invalid endpoint is a problem on the attribute', () => {
    const { problems } = resolve({ access_key_id: 'A', secret_key_id: 'S', api: { endpoint: 'ftp://nope' } });
    expect(problems).toEqual([expect.objectContaining({ summary: 'Invalid OUTSCALE API endpoint', attribute: 'api.endpoint' })]);
  });

  it('api.endpoint and endpoints.api together conflict', () => {
    const { problems } = resolve({ access_key_id: 'A', secret_key_id: 'S', api: { endpoint: 'a.example' }, endpoints: { api: 'b.example' } });
    expect(problems.map((p) => p.summary)).toContain('Conflicting endpoint settings');
  });
});

describe('missing credentials', () => {
  it('one problem listing the three ways, on access_key_id', () => {
    const { config, problems } = resolve({});
    expect(config).toBeUndefined();
    expect(problems).toHaveLength(1);
    const p = problems[0]!;
    expect(p.summary).toBe('Missing OUTSCALE credentials');
    expect(p.attribute).toBe('access_key_id');
    expect(p.detail).toContain('access key and secret key');
    expect(p.detail).toContain('access_key_id and secret_key_id');
    expect(p.detail).toContain('~/.osc/config.json');
    expect(p.detail).toContain('OSC_PROFILE');
    expect(p.detail).toContain('OSC_ACCESS_KEY and OSC_SECRET_KEY');
  });

  it('names the requested profile when it lacks the keys', () => {
    const { problems } = resolve({ profile: 'p' }, {}, { '/home/tester/.osc/config.json': { p: { region: 'us-east-2' } } });
    expect(problems.map((p) => p.summary)).toEqual(['Missing OUTSCALE credentials']);
    expect(problems[0]!.detail).toContain(`profile "p" of "${DEFAULT_FILE}"`);
  });

  it('only the secret key in the block: incomplete, on secret_key_id, even with both keys in the environment', () => {
    const { config, problems } = resolve({ access_key_id: 'A' }, { OSC_ACCESS_KEY: 'AK_ENV', OSC_SECRET_KEY: 'SK_ENV' });
    expect(config).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ summary: 'Incomplete OUTSCALE credentials', attribute: 'secret_key_id' });
    expect(problems[0]!.detail).toMatch(/^The provider block sets access_key_id but not secret_key_id/);
  });

  it('empty strings count as missing', () => {
    const { problems } = resolve({ access_key_id: '', secret_key_id: '  ' }, { OSC_ACCESS_KEY: '' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.detail).toMatch(/^No access key and secret key/);
  });
});

describe('x509 and insecure', () => {
  it('reads the certificate and key through readFile and records the paths', () => {
    const { config } = resolve(
      { access_key_id: 'A', secret_key_id: 'S', api: { x509_cert_path: '/c.pem', x509_key_path: '~/k.pem' } },
      {},
      { '/c.pem': 'CERT', [`${HOME}/k.pem`]: 'KEY' },
    );
    expect(config).toMatchObject({ x509CertPath: '/c.pem', x509KeyPath: '~/k.pem', x509Cert: 'CERT', x509Key: 'KEY' });
  });

  it('an unreadable certificate is a problem on the attribute', () => {
    const { problems } = resolve({ access_key_id: 'A', secret_key_id: 'S', api: { x509_cert_path: '/missing.pem', x509_key_path: '/k.pem' } }, {}, { '/k.pem': 'KEY' });
    expect(problems).toEqual([expect.objectContaining({ summary: 'Cannot read the x509 client certificate', attribute: 'api.x509_cert_path' })]);
    expect(problems[0]!.detail).toContain('/missing.pem');
  });

  it('the certificate and the key never mix sources', () => {
    const { problems } = resolve(
      { access_key_id: 'A', secret_key_id: 'S', api: { x509_cert_path: '/c.pem' } },
      { OSC_X509_CLIENT_CERT: '/e/c.pem', OSC_X509_CLIENT_KEY: '/e/k.pem' },
      { '/c.pem': 'CERT', '/e/c.pem': 'E-CERT', '/e/k.pem': 'E-KEY' },
    );
    expect(problems).toEqual([expect.objectContaining({ summary: 'Incomplete x509 client certificate settings', attribute: 'api.x509_cert_path' })]);
  });

  it('a certificate without key is a problem', () => {
    const { problems } = resolve({ access_key_id: 'A', secret_key_id: 'S', x509_cert_path: '/c.pem' }, {}, { '/c.pem': 'CERT' });
    expect(problems).toEqual([expect.objectContaining({ summary: 'Incomplete x509 client certificate settings', attribute: 'x509_cert_path' })]);
  });

  it('env OSC_TLS_SKIP_VERIFY spellings; invalid is a problem', () => {
    for (const [raw, expected] of [['yes', true], ['True', true], ['1', true], ['false', false], ['no', false]] as const) {
      expect(resolve({ access_key_id: 'A', secret_key_id: 'S' }, { OSC_TLS_SKIP_VERIFY: raw }).config?.insecure).toBe(expected);
    }
    const { problems } = resolve({ access_key_id: 'A', secret_key_id: 'S' }, { OSC_TLS_SKIP_VERIFY: 'maybe' });
    expect(problems.map((p) => p.summary)).toEqual(['Invalid OSC_TLS_SKIP_VERIFY']);
  });

  it('profile tls_skip_verify fills insecure before the env', () => {
    const { config } = resolve({}, { OSC_TLS_SKIP_VERIFY: 'false', OSC_PROFILE: 'default' }, { [DEFAULT_FILE]: { default: { access_key: 'A', secret_key: 'S', tls_skip_verify: true } } });
    expect(config?.insecure).toBe(true);
  });
});

describe('the access key and the secret key always come from one source', () => {
  // every combination of the three sources setting neither, one or both keys
  const halves = ['none', 'access', 'secret', 'both'] as const;
  type Half = (typeof halves)[number];
  const has = (h: Half, key: 'access' | 'secret') => h === 'both' || h === key;
  const combos = halves.flatMap((block) => halves.flatMap((profile) => halves.map((env) => ({ block, profile, env }))));

  it.each(combos)('block $block, profile $profile, env $env', ({ block, profile, env }) => {
    const input: ProviderConfigInput = { profile: 'p' };
    if (has(block, 'access')) input.access_key_id = 'AK_BLOCK';
    if (has(block, 'secret')) input.secret_key_id = 'SK_BLOCK';
    const p: Record<string, string> = {};
    if (has(profile, 'access')) p.access_key = 'AK_FILE';
    if (has(profile, 'secret')) p.secret_key = 'SK_FILE';
    const e: NodeJS.ProcessEnv = {};
    if (has(env, 'access')) e.OSC_ACCESS_KEY = 'AK_ENV';
    if (has(env, 'secret')) e.OSC_SECRET_KEY = 'SK_ENV';
    const { config, problems } = resolve(input, e, { [DEFAULT_FILE]: { p } });

    const first = [['BLOCK', block], ['FILE', profile], ['ENV', env]].find(([, h]) => h !== 'none') as [string, Half] | undefined;
    if (first === undefined) {
      expect(problems.map((x) => x.summary)).toEqual(['Missing OUTSCALE credentials']);
    } else if (first[1] !== 'both') {
      expect(problems.map((x) => x.summary)).toEqual(['Incomplete OUTSCALE credentials']);
      expect(config).toBeUndefined();
    } else {
      expect(problems).toEqual([]);
      expect(config).toMatchObject({ accessKey: `AK_${first[0]}`, secretKey: `SK_${first[0]}` });
    }
  });
});
