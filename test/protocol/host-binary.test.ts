// The built launcher bin/terraform-provider-outscale, spawned the way Terraform does (environment only, no args),
// by hand (no magic cookie) and in --debug mode. Needs `npm run build` (the `test` script runs it first).

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientCertificate,
  MAGIC_COOKIE,
  connect,
  target,
  terraformLikeClientCertificate,
  unary,
  within,
} from './host-helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/terraform-provider-outscale');
const BUNDLE = join(ROOT, 'dist/terraform-provider-outscale.cjs'); // what bin/terraform-provider-outscale runs
const built = existsSync(BIN) && existsSync(BUNDLE);
if (!built) console.warn(`skipping built-binary tests: ${BIN} or ${BUNDLE} missing (run npm run build)`);

const TIMEOUT = 30_000;
const running: ChildProcessWithoutNullStreams[] = [];

interface Launched {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function launch(args: string[], env: NodeJS.ProcessEnv): Launched {
  const cleanEnv = { ...process.env };
  for (const key of ['TF_PLUGIN_MAGIC_COOKIE', 'PLUGIN_CLIENT_CERT', 'PLUGIN_PROTOCOL_VERSIONS', 'TF_LOG']) {
    delete cleanEnv[key];
  }
  const child = spawn(BIN, args, { env: { ...cleanEnv, ...env } });
  running.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(out.slice(0, newline));
    });
    child.on('exit', () => reject(new Error(`exited before a stdout line; stderr: ${err}`)));
  });
  firstLine.catch(() => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, firstLine, stdout: () => out, stderr: () => err, exited };
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe.skipIf(!built)('built binary', () => {
  let clientCert: ClientCertificate;
  beforeAll(async () => {
    clientCert = await terraformLikeClientCertificate();
  });

  const terraformEnv = () => ({
    TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: '5,6',
    PLUGIN_MIN_PORT: '10000',
    PLUGIN_MAX_PORT: '25000',
    PLUGIN_CLIENT_CERT: clientCert.certPem,
  });

  it(
    'prints a valid handshake line, serves mTLS, and exits on Shutdown removing its socket',
    async () => {
      const run = launch([], terraformEnv());
      const line = await within(run.firstLine, TIMEOUT, 'handshake line');
      const fields = line.split('|');
      expect(fields).toHaveLength(6);
      const [core, app, network, address, protocol, certText] = fields as [string, string, string, string, string, string];
      expect(core).toBe('1');
      expect(app).toBe('6');
      expect(network).toBe('unix');
      expect(address.startsWith('/')).toBe(true);
      expect(protocol).toBe('grpc');
      expect(certText).toMatch(/^[A-Za-z0-9+/]+$/); // standard alphabet, no '=' padding
      const der = Buffer.from(certText, 'base64');
      const cert = new X509Certificate(der);
      expect(cert.subjectAltName).toBe('DNS:localhost');
      expect(cert.raw.equals(der)).toBe(true);
      expect(existsSync(address)).toBe(true);

      const clients = connect(target('unix', address), { serverCertDer: der, client: clientCert });
      try {
        expect(await unary(clients.health, 'Check', { service: 'plugin' })).toEqual({ status: 1 });
        // a terminal Ctrl-C reaches the provider too: it must keep serving (Terraform sends StopProvider itself)
        run.child.kill('SIGINT');
        const schema = await unary<Record<string, any>>(clients.provider, 'GetProviderSchema');
        expect(run.child.exitCode).toBeNull();
        expect(schema.provider?.block).toBeTruthy();
        expect(await unary(clients.controller, 'Shutdown', {})).toEqual({});
      } finally {
        clients.close();
      }
      const exit = await within(run.exited, TIMEOUT, 'exit after Shutdown');
      expect(exit.code).toBe(0);
      expect(existsSync(address)).toBe(false);
      expect(run.stdout()).toBe(`${line}\n`);
    },
    TIMEOUT * 2,
  );

  it(
    'run by hand (no magic cookie): exits 1 with a message on stderr and nothing on stdout',
    async () => {
      const run = launch([], {});
      const exit = await within(run.exited, TIMEOUT, 'exit');
      expect(exit.code).toBe(1);
      expect(run.stdout()).toBe('');
      expect(run.stderr()).toContain('not meant to be run directly');
      expect(run.stderr()).toContain('outscale/outscale');
    },
    TIMEOUT,
  );

  it(
    'refuses a client that offers no protocol 6',
    async () => {
      const run = launch([], { ...terraformEnv(), PLUGIN_PROTOCOL_VERSIONS: '5' });
      const exit = await within(run.exited, TIMEOUT, 'exit');
      expect(exit.code).toBe(1);
      expect(run.stdout()).toBe('');
      expect(run.stderr()).toContain('protocol 6');
    },
    TIMEOUT,
  );

  it(
    'serves plaintext when PLUGIN_CLIENT_CERT is empty, with an empty cert field',
    async () => {
      const run = launch([], { ...terraformEnv(), PLUGIN_CLIENT_CERT: '' });
      const line = await within(run.firstLine, TIMEOUT, 'handshake line');
      expect(line).toMatch(/^1\|6\|unix\|\/[^|]+\|grpc\|$/);
      const clients = connect(target('unix', line.split('|')[3]!));
      try {
        expect(await unary(clients.health, 'Check', { service: '' })).toEqual({ status: 1 });
      } finally {
        clients.close();
      }
      run.child.kill('SIGTERM');
      await within(run.exited, TIMEOUT, 'exit on SIGTERM');
      expect(existsSync(line.split('|')[3]!)).toBe(false);
    },
    TIMEOUT * 2,
  );

  it(
    'keeps serving through SIGINT (Terraform sends StopProvider for that)',
    async () => {
      const run = launch([], { ...terraformEnv(), PLUGIN_CLIENT_CERT: '' });
      const line = await within(run.firstLine, TIMEOUT, 'handshake line');
      run.child.kill('SIGINT');
      const clients = connect(target('unix', line.split('|')[3]!));
      try {
        expect(await unary(clients.health, 'Check', { service: '' })).toEqual({ status: 1 });
        expect(run.child.exitCode).toBeNull();
        await unary(clients.controller, 'Shutdown', {});
      } finally {
        clients.close();
      }
      expect((await within(run.exited, TIMEOUT, 'exit after Shutdown')).code).toBe(0);
    },
    TIMEOUT * 2,
  );

  it(
    '--debug prints TF_REATTACH_PROVIDERS and serves plaintext until SIGINT',
    async () => {
      const run = launch(['--debug'], {});
      const line = await within(run.firstLine, TIMEOUT, 'reattach line');
      const match = /^TF_REATTACH_PROVIDERS='(.*)'$/.exec(line);
      expect(match).not.toBeNull();
      const reattach = JSON.parse(match![1]!) as Record<string, any>;
      const entry = reattach['registry.terraform.io/outscale/outscale'];
      expect(entry).toMatchObject({ Protocol: 'grpc', ProtocolVersion: 6, Test: true, Pid: run.child.pid });
      expect(entry.Addr.Network).toBe('unix');
      const clients = connect(target('unix', entry.Addr.String));
      try {
        expect(await unary(clients.health, 'Check', { service: 'plugin' })).toEqual({ status: 1 });
        const schema = await unary<Record<string, any>>(clients.provider, 'GetProviderSchema');
        expect(schema.provider?.block).toBeTruthy();
      } finally {
        clients.close();
      }
      run.child.kill('SIGINT');
      expect((await within(run.exited, TIMEOUT, 'exit on SIGINT')).code).toBe(0);
      expect(existsSync(entry.Addr.String)).toBe(false);
    },
    TIMEOUT * 2,
  );

  it(
    '--version and --help print to stdout and exit 0',
    async () => {
      const version = launch(['--version'], {});
      expect((await within(version.exited, TIMEOUT, 'exit')).code).toBe(0);
      // package.json is the one source of the version
      const { version: packageVersion } = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8'));
      expect(version.stdout()).toBe(`terraform-provider-outscale ${packageVersion}\n`);
      const help = launch(['--help'], {});
      expect((await within(help.exited, TIMEOUT, 'exit')).code).toBe(0);
      expect(help.stdout()).toContain('--debug');
    },
    TIMEOUT,
  );
});
