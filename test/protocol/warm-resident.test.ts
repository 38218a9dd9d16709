// The warm-mode resident in-process, driven over its control socket like launcher.c does: who may start a session
// (token, build, Terraform's environment), what a session is (its own gRPC server with TLS for the launch's client
// certificate, its own provider instance, environment and logs), and how sessions and the resident end.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loggerFor } from '../../src/common/log.js';
import { sessionPath, type Session } from '../../src/common/session.js';
import type { ProviderHandlers } from '../../src/host/provider-dispatch.js';
import { startResident, type Resident } from '../../src/host/warm/resident.js';
import { untrustedReason, warmPaths } from '../../src/host/warm/runtime-dir.js';
import type { SessionProvider } from '../../src/host/warm/warm-session.js';
import { type ClientCertificate, connect, target, terraformLikeClientCertificate, unary, within } from './host-helpers.js';
import { handshakeFields, launch, privateTempDir, staleSocket, terraformLaunchEnv, type TestLaunch } from './warm-helpers.js';

const BUILD = 'testbuild0000001';

let client: ClientCertificate;
beforeAll(async () => {
  client = await terraformLikeClientCertificate();
});

/** A provider double: GetProviderSchema logs and returns what it sees of its session. */
function fakeProviders() {
  const stopped: number[] = [];
  const closed: number[] = [];
  let created = 0;
  const newProvider = (session: Session): SessionProvider => {
    const instance = ++created;
    const service: ProviderHandlers = {
      GetProviderSchema: (_call, callback) => {
        loggerFor(session).warn('schema asked', { mark: session.env.MARK, instance });
        callback(null, {
          provider: {
            version: 0,
            block: {
              attributes: [
                { name: String(session.env.MARK), type: Buffer.from('"string"'), optional: true },
                { name: sessionPath(session, 'relative.pem'), type: Buffer.from('"string"'), optional: true },
              ],
            },
          },
        });
      },
    };
    return { service, stop: () => stopped.push(instance), close: () => closed.push(instance) };
  };
  return { newProvider, stopped, closed, created: () => created };
}

let resident: Resident | undefined;
const launches: TestLaunch[] = [];
afterEach(async () => {
  launches.splice(0).forEach((l) => l.close());
  await resident?.close();
  resident = undefined;
});

async function startTestResident(options: { idleMs?: number; onExit?: (reason: string) => void } = {}) {
  const dir = join(privateTempDir('warm-resident-'), 'run');
  const providers = fakeProviders();
  resident = await startResident({ buildId: BUILD, dir, idleMs: options.idleMs ?? 60_000, newProvider: providers.newProvider, onExit: options.onExit });
  const token = readFileSync(resident.paths.token, 'utf8');
  const open = (env: NodeJS.ProcessEnv, overrides: { token?: string; buildId?: string; cwd?: string } = {}) => {
    const l = launch(resident!.paths.socket, { buildId: BUILD, token, cwd: '/work/somewhere', env, ...overrides });
    launches.push(l);
    return l;
  };
  return { dir, providers, token, open, resident };
}

function sessionClients(answer: string) {
  expect(answer.startsWith('OK 1|6|unix|')).toBe(true);
  const fields = handshakeFields(answer.slice(3));
  return { fields, clients: connect(target('unix', fields.address), { serverCertDer: fields.serverCertDer, client }) };
}

describe('warm resident: the private directory', () => {
  it('creates it 0700 with socket, token and pid file 0600, and refuses a directory others can enter', async () => {
    const { dir, resident } = await startTestResident();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of [resident.paths.socket, resident.paths.token, resident.paths.pid])
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    expect(readFileSync(resident.paths.token, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(resident.paths.pid, 'utf8').trim()).toBe(String(process.pid));

    const open = join(privateTempDir('warm-open-'), 'run');
    mkdirSync(open, { mode: 0o755 });
    expect(untrustedReason(open)).toMatch(/open to other users/);
    await expect(startResident({ buildId: BUILD, dir: open, idleMs: 1000, newProvider: fakeProviders().newProvider })).rejects.toThrow(
      /open to other users/,
    );
    const file = join(privateTempDir('warm-file-'), 'file');
    writeFileSync(file, '');
    expect(untrustedReason(file)).toMatch(/not a directory/);
  });

  it('does not start a second resident on a live socket, and replaces a stale one', async () => {
    const { dir } = await startTestResident();
    await expect(startResident({ buildId: BUILD, dir, idleMs: 1000, newProvider: fakeProviders().newProvider })).rejects.toThrow(
      /already serves/,
    );

    const staleDir = join(privateTempDir('warm-stale-'), 'run');
    mkdirSync(staleDir, { mode: 0o700 });
    const paths = warmPaths(staleDir, BUILD);
    await staleSocket(paths.socket);
    expect(existsSync(paths.socket)).toBe(true);
    const second = await startResident({ buildId: BUILD, dir: staleDir, idleMs: 1000, newProvider: fakeProviders().newProvider });
    try {
      const answer = await launch(paths.socket, Buffer.from('x')).answer;
      expect(answer).toMatch(/^ERR /);
    } finally {
      await second.close();
    }
  });
});

describe('warm resident: who gets a session', () => {
  it.each([
    ['a wrong token', { token: 'f'.repeat(64) }, /^ERR wrong token$/],
    ['another build', { buildId: 'otherbuild000000' }, /^ERR another build of the provider$/],
  ])('refuses %s', async (_what, overrides, expected) => {
    const { open, providers, resident } = await startTestResident();
    const l = open(terraformLaunchEnv(client.certPem), overrides);
    expect(await l.answer).toMatch(expected);
    await l.closed;
    expect(providers.created()).toBe(0);
    expect(resident.activeSessions()).toBe(0);
  });

  it('refuses a launch without Terraform\'s magic cookie or without protocol 6, and garbage', async () => {
    const { open, providers, resident } = await startTestResident();
    expect(await open({ PLUGIN_CLIENT_CERT: client.certPem }).answer).toBe('ERR not launched by Terraform');
    expect(await open(terraformLaunchEnv(client.certPem, { PLUGIN_PROTOCOL_VERSIONS: '5' })).answer).toBe(
      'ERR unsupported plugin protocol versions',
    );
    expect(await launch(resident.paths.socket, Buffer.from('GET / HTTP/1.1\r\n\r\n')).answer).toBe('ERR not a launcher request');
    expect(providers.created()).toBe(0);
  });
});

describe('warm resident: sessions', () => {
  it('serves each launch on its own TLS socket with its own provider, environment, directory and logs', async () => {
    const { dir, open, providers } = await startTestResident();
    const a = open(terraformLaunchEnv(client.certPem, { MARK: 'alpha', TF_LOG: 'warn' }), { cwd: '/work/a' });
    const b = open(terraformLaunchEnv(client.certPem, { MARK: 'beta', TF_LOG: 'warn' }), { cwd: '/work/b' });
    const [sessionA, sessionB] = [sessionClients(await a.answer), sessionClients(await b.answer)];
    try {
      expect(sessionA.fields.address).not.toBe(sessionB.fields.address);
      expect(sessionA.fields.address.startsWith(`${dir}/`)).toBe(true);
      const names = async (clients: typeof sessionA.clients) =>
        ((await unary<any>(clients.provider, 'GetProviderSchema')).provider.block.attributes as { name: string }[]).map((x) => x.name);
      expect(await names(sessionA.clients)).toEqual(['alpha', '/work/a/relative.pem']);
      expect(await names(sessionB.clients)).toEqual(['beta', '/work/b/relative.pem']);
      expect(providers.created()).toBe(2);
      await within(
        (async () => {
          while (!a.stderr().includes('schema asked') || !b.stderr().includes('schema asked')) await new Promise((r) => setTimeout(r, 10));
        })(),
        5000,
        'the session logs',
      );
      expect(a.stderr()).toContain('"mark":"alpha"');
      expect(a.stderr()).not.toContain('beta');
      expect(b.stderr()).toContain('"mark":"beta"');
      expect(b.stderr()).not.toContain('alpha');
    } finally {
      sessionA.clients.close();
      sessionB.clients.close();
    }
  });

  it('only accepts the client certificate of its own launch', async () => {
    const { open } = await startTestResident();
    const other = await terraformLikeClientCertificate();
    const session = sessionClients(await open(terraformLaunchEnv(other.certPem)).answer);
    session.clients.close();
    const wrong = connect(target('unix', session.fields.address), { serverCertDer: session.fields.serverCertDer, client });
    try {
      await expect(unary(wrong.provider, 'GetProviderSchema', {}, 5000)).rejects.toMatchObject({ code: 14 });
    } finally {
      wrong.close();
    }
  });

  it('ends a session, and only it, when its launcher goes away: provider stopped, socket removed', async () => {
    const { open, providers, resident } = await startTestResident();
    const a = open(terraformLaunchEnv(client.certPem, { MARK: 'a' }));
    const b = open(terraformLaunchEnv(client.certPem, { MARK: 'b' }));
    const sessionA = sessionClients(await a.answer);
    const sessionB = sessionClients(await b.answer);
    try {
      expect(resident.activeSessions()).toBe(2);
      a.close();
      await within(
        (async () => {
          while (resident.activeSessions() !== 1) await new Promise((r) => setTimeout(r, 10));
        })(),
        5000,
        'session a to end',
      );
      expect(providers.stopped).toEqual([1]);
      expect(existsSync(sessionA.fields.address)).toBe(false);
      const schema = await unary<any>(sessionB.clients.provider, 'GetProviderSchema');
      expect(schema.provider.block.attributes[0].name).toBe('b');
    } finally {
      sessionA.clients.close();
      sessionB.clients.close();
    }
  });

  it('ends a session on Shutdown and closes its launcher connection', async () => {
    const { open, providers, resident } = await startTestResident();
    const l = open(terraformLaunchEnv(client.certPem));
    const session = sessionClients(await l.answer);
    try {
      await unary(session.clients.controller, 'Shutdown');
      await within(l.closed, 5000, 'the launcher connection to close');
      expect(providers.stopped).toEqual([1]);
      expect(providers.closed).toEqual([1]); // its API connections freed
      expect(resident.activeSessions()).toBe(0);
    } finally {
      session.clients.close();
    }
  });

  it('serves plaintext when the launch has no client certificate (TF_DISABLE_PLUGIN_TLS)', async () => {
    const { open } = await startTestResident();
    const answer = await open(terraformLaunchEnv(undefined, { MARK: 'plain' })).answer;
    expect(answer).toMatch(/^OK 1\|6\|unix\|[^|]+\|grpc\|$/);
    const clients = connect(target('unix', handshakeFields(answer.slice(3)).address));
    try {
      expect((await unary<any>(clients.provider, 'GetProviderSchema')).provider.block.attributes[0].name).toBe('plain');
    } finally {
      clients.close();
    }
  });
});

describe('warm resident: lifetime', () => {
  it('exits after its idle time once the last session ended, removing its socket, token and pid file', async () => {
    let exited!: (reason: string) => void;
    const exit = new Promise<string>((resolve) => (exited = resolve));
    const { open, resident: r } = await startTestResident({ idleMs: 300, onExit: (reason) => exited(reason) });
    const l = open(terraformLaunchEnv(client.certPem));
    await l.answer;
    l.close();
    expect(await within(exit, 10_000, 'the idle exit')).toBe('idle for 300 ms');
    for (const file of [r.paths.socket, r.paths.token, r.paths.pid]) expect(existsSync(file), file).toBe(false);
  });
});
