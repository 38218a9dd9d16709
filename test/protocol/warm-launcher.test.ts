// The built warm-mode launcher (bin/terraform-provider-outscale compiled from src/host/warm/launcher.c), spawned the
// way Terraform does: the warm path against an in-process resident, and every way the warm path can fail, which must
// end in the normal Node start (a handshake line of its own), never in an error.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loggerFor } from '../../src/common/log.js';
import type { Session } from '../../src/common/session.js';
import { startResident, type Resident } from '../../src/host/warm/resident.js';
import { warmPaths } from '../../src/host/warm/runtime-dir.js';
import type { SessionProvider } from '../../src/host/warm/warm-session.js';
import { type ClientCertificate, connect, target, terraformLikeClientCertificate, unary, within } from './host-helpers.js';
import { handshakeFields, privateTempDir, staleSocket, terraformLaunchEnv } from './warm-helpers.js';
import { RESIDENT_NODE_FLAGS } from '../../scripts/warm-launcher.mjs';

const root = join(import.meta.dirname, '..', '..');
const LAUNCHER = join(root, 'bin/terraform-provider-outscale');
const BUILD_ID_FILE = join(root, 'dist/warm-build-id');

/** A compiled program, not the Node launcher script. */
function launcherIsNative(): boolean {
  try {
    return readFileSync(LAUNCHER).subarray(0, 2).toString('latin1') !== '#!';
  } catch {
    return false;
  }
}

// `npm test` builds first; a build on a machine with a C compiler (CI has one) always makes the native launcher.
const native = launcherIsNative();
if (!native) console.warn(`warm launcher tests skipped: ${LAUNCHER} is not the native launcher (no C compiler at build time)`);

let client: ClientCertificate;
let buildId: string;
beforeAll(async () => {
  client = await terraformLikeClientCertificate();
  if (native) buildId = readFileSync(BUILD_ID_FILE, 'utf8').trim();
});

interface Launched {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  stderr(): string;
  exited: Promise<number | null>;
}

const children: ChildProcessWithoutNullStreams[] = [];
const residents: Resident[] = [];
const servers: Server[] = [];
const warmDirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const r of residents.splice(0)) await r.close();
  for (const s of servers.splice(0)) s.close();
  // residents the launcher started in the background
  for (const dir of warmDirs.splice(0)) {
    const pidFile = warmPaths(dir, buildId).pid;
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
      } catch {
        // gone
      }
    }
  }
});

function newWarmDir(mode = 0o700): string {
  const dir = join(privateTempDir('warm-launcher-'), 'run');
  mkdirSync(dir, { mode });
  warmDirs.push(dir);
  return dir;
}

function start(env: NodeJS.ProcessEnv): Launched {
  const child = spawn(LAUNCHER, [], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.on('exit', (code) => reject(new Error(`launcher exited ${code} before a handshake; stderr: ${err}`)));
  });
  firstLine.catch(() => {});
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, firstLine, stderr: () => err, exited };
}

function warmEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return terraformLaunchEnv(client.certPem, {
    OUTSCALE_PROVIDER_WARM: '1',
    OUTSCALE_PROVIDER_WARM_DIR: dir,
    OUTSCALE_PROVIDER_WARM_IDLE_SECONDS: '30',
    TMPDIR: privateTempDir('warm-launcher-tmp-'),
    ...extra,
  });
}

function providerDouble() {
  const stopped: number[] = [];
  let created = 0;
  const newProvider = (session: Session): SessionProvider => {
    const instance = ++created;
    return {
      service: {
        GetProviderSchema: (_call, callback) => {
          loggerFor(session).warn('schema asked', { mark: session.env.MARK });
          callback(null, { provider: { version: 0, block: { attributes: [] } } });
        },
      },
      stop: () => stopped.push(instance),
    };
  };
  return { newProvider, stopped, created: () => created };
}

async function inProcessResident(dir: string) {
  const providers = providerDouble();
  const resident = await startResident({ buildId, dir, idleMs: 60_000, newProvider: providers.newProvider });
  residents.push(resident);
  return { resident, providers };
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  await within(
    (async () => {
      while (!check()) await new Promise((r) => setTimeout(r, 20));
    })(),
    ms,
    what,
  );
}

/** The normal start answered: its socket is in the launch's TMPDIR, not in the warm directory. */
function expectNormalStart(line: string, env: NodeJS.ProcessEnv) {
  const { address } = handshakeFields(line);
  expect(line).toMatch(/^1\|6\|unix\|/);
  expect(address.startsWith(`${env.TMPDIR}/`)).toBe(true);
}

describe.runIf(native)('warm launcher: the warm path', () => {
  it('prints the session handshake, relays its logs, ignores SIGINT, and its SIGKILL ends only its session', async () => {
    const dir = newWarmDir();
    const { resident, providers } = await inProcessResident(dir);
    // TF_LOG=trace: the session logs while it starts, before its handshake line (which must still come first)
    const a = start(warmEnv(dir, { MARK: 'first', TF_LOG: 'trace' }));
    const b = start(warmEnv(dir, { MARK: 'second', TF_LOG: 'warn' }));
    const fieldsA = handshakeFields(await a.firstLine);
    const fieldsB = handshakeFields(await b.firstLine);
    expect(fieldsA.address.startsWith(`${dir}/`)).toBe(true);
    const clientsA = connect(target('unix', fieldsA.address), { serverCertDer: fieldsA.serverCertDer, client });
    try {
      a.child.kill('SIGINT');
      await unary(clientsA.provider, 'GetProviderSchema');
      await until(() => a.stderr().includes('schema asked'), 'the relayed log line');
      expect(a.stderr()).toContain('"mark":"first"');
      expect(a.stderr()).toContain(`"plugin server listening"`);
      expect(b.stderr()).not.toContain('first');
      expect(resident.activeSessions()).toBe(2);

      a.child.kill('SIGKILL');
      await until(() => resident.activeSessions() === 1, 'the session of the killed launcher to end');
      expect(providers.stopped).toEqual([1]);
      expect(existsSync(fieldsA.address)).toBe(false);
      expect(existsSync(fieldsB.address)).toBe(true);
    } finally {
      clientsA.close();
    }
  });

  it('exits 0 when the session ends with Shutdown', async () => {
    const dir = newWarmDir();
    await inProcessResident(dir);
    const l = start(warmEnv(dir));
    const fields = handshakeFields(await l.firstLine);
    const clients = connect(target('unix', fields.address), { serverCertDer: fields.serverCertDer, client });
    try {
      await unary(clients.controller, 'Shutdown');
      expect(await within(l.exited, 10_000, 'the launcher to exit')).toBe(0);
    } finally {
      clients.close();
    }
  });
});

describe.runIf(native)('warm launcher: every failure falls back to the normal start', () => {
  it('no resident: normal start, and a resident is started in the background, detached from Terraform', async () => {
    const dir = newWarmDir();
    const env = warmEnv(dir);
    const l = start(env);
    expectNormalStart(await l.firstLine, env);
    const paths = warmPaths(dir, buildId);
    await until(() => existsSync(paths.pid), 'the background resident', 60_000);
    const pid = Number(readFileSync(paths.pid, 'utf8'));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [ppid, , session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(1, 4).map(Number);
    expect(ppid).not.toBe(l.child.pid);
    expect(session).not.toBe(l.child.pid); // its own session (setsid), out of Terraform's process group
    for (const fd of [0, 1, 2]) expect(readlinkSync(`/proc/${pid}/fd/${fd}`)).toBe('/dev/null');
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    expect(environ).not.toContain('PLUGIN_CLIENT_CERT');
    expect(environ).not.toContain('TF_PLUGIN_MAGIC_COOKIE');
    // Node's heap flags for a long-lived process, and a code cache made under those very flags (V8 rejects others)
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toEqual(expect.arrayContaining([...RESIDENT_NODE_FLAGS, join(root, 'bin/terraform-provider-outscale-node'), '--resident']));
    const caches = readdirSync(join(root, 'dist')).filter((name) => name.endsWith('.v8cache'));
    expect(caches).toHaveLength(2);

    // the next launch is served by it
    const next = start(env);
    expect(handshakeFields(await next.firstLine).address.startsWith(`${dir}/`)).toBe(true);
  }, 120_000);

  it('a stale socket (resident killed with SIGKILL): normal start', async () => {
    const dir = newWarmDir();
    const paths = warmPaths(dir, buildId);
    await staleSocket(paths.socket);
    writeFileSync(paths.token, 'a'.repeat(64), { mode: 0o600 });
    const env = warmEnv(dir);
    expectNormalStart(await start(env).firstLine, env);
  }, 60_000);

  it('a wrong token: the resident refuses, normal start', async () => {
    const dir = newWarmDir();
    const { providers, resident } = await inProcessResident(dir);
    writeFileSync(resident.paths.token, 'b'.repeat(64), { mode: 0o600 });
    const env = warmEnv(dir);
    expectNormalStart(await start(env).firstLine, env);
    expect(providers.created()).toBe(0);
  }, 60_000);

  it('a token file others can read, or a directory others can enter: nothing is sent, normal start', async () => {
    for (const [dirMode, tokenMode] of [
      [0o700, 0o644],
      [0o755, 0o600],
    ] as const) {
      const dir = newWarmDir(dirMode);
      const paths = warmPaths(dir, buildId);
      const received: Buffer[] = [];
      const impostor = createServer((socket) => socket.on('data', (chunk) => received.push(chunk)));
      servers.push(impostor);
      await new Promise<void>((resolve) => impostor.listen(paths.socket, resolve));
      writeFileSync(paths.token, 'c'.repeat(64), { mode: tokenMode });
      const env = warmEnv(dir);
      expectNormalStart(await start(env).firstLine, env);
      expect(received).toEqual([]);
    }
  }, 60_000);

  it('a resident that does not answer in time: normal start', async () => {
    const dir = newWarmDir();
    const paths = warmPaths(dir, buildId);
    const silent = createServer(() => {});
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(paths.socket, resolve));
    writeFileSync(paths.token, 'd'.repeat(64), { mode: 0o600 });
    const env = warmEnv(dir, { OUTSCALE_PROVIDER_WARM_TIMEOUT_MS: '300' });
    expectNormalStart(await start(env).firstLine, env);
  }, 60_000);

  it('OUTSCALE_PROVIDER_WARM=0: the resident is not asked', async () => {
    const dir = newWarmDir();
    const { providers } = await inProcessResident(dir);
    const env = warmEnv(dir, { OUTSCALE_PROVIDER_WARM: '0' });
    expectNormalStart(await start(env).firstLine, env);
    expect(providers.created()).toBe(0);
  }, 60_000);

  it('arguments and launches by hand go to the Node provider', async () => {
    const l = spawn(LAUNCHER, ['--version'], { env: { PATH: process.env.PATH, OUTSCALE_PROVIDER_WARM: '1' } });
    let out = '';
    l.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    expect(await new Promise((resolve) => l.on('exit', resolve))).toBe(0);
    expect(out).toMatch(/^terraform-provider-outscale \S+\n$/);
  }, 60_000);
});
