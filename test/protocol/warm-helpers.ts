// Test helpers for warm mode: a launcher speaking the control protocol from the test process (what launcher.c does),
// and private temporary directories.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatControlRequest, type ControlRequest } from '../../src/host/warm/control-request.js';
import { MAGIC_COOKIE } from './host-helpers.js';

export interface TestLaunch {
  /** The resident's first line ("OK …" or "ERR …"), without the newline. */
  answer: Promise<string>;
  /** Everything after the first line so far (the session's stderr). */
  stderr(): string;
  /** Resolves when the resident closed the connection. */
  closed: Promise<void>;
  /** The launcher goes away (like Terraform killing it). */
  close(): void;
}

export function launch(socket: string, request: ControlRequest | Buffer): TestLaunch {
  const connection = createConnection(socket);
  let received = '';
  let resolveAnswer!: (line: string) => void;
  const answer = new Promise<string>((resolve) => (resolveAnswer = resolve));
  const closed = new Promise<void>((resolve) => connection.on('close', () => resolve()));
  connection.on('error', () => {});
  connection.on('data', (chunk) => {
    received += chunk.toString('utf8');
    const newline = received.indexOf('\n');
    if (newline >= 0) resolveAnswer(received.slice(0, newline));
  });
  connection.on('close', () => resolveAnswer(received));
  connection.write(Buffer.isBuffer(request) ? request : formatControlRequest(request));
  return {
    answer,
    stderr: () => {
      const newline = received.indexOf('\n');
      return newline >= 0 ? received.slice(newline + 1) : '';
    },
    closed,
    close: () => connection.destroy(),
  };
}

/** The environment Terraform gives a provider it launches. */
export function terraformLaunchEnv(clientCertPem: string | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: '5,6',
    PLUGIN_MIN_PORT: '10000',
    PLUGIN_MAX_PORT: '25000',
    ...(clientCertPem ? { PLUGIN_CLIENT_CERT: clientCertPem } : {}),
    ...extra,
  };
}

/** A fresh directory under the temp dir (0700: mkdtemp makes it so). */
export function privateTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The fields of a handshake line. */
export function handshakeFields(line: string): { network: string; address: string; serverCertDer: Buffer } {
  const [, , network, address, , cert] = line.trim().split('|');
  return { network: network ?? '', address: address ?? '', serverCertDer: Buffer.from(cert ?? '', 'base64') };
}

/** Leaves a unix socket file nobody listens on, like a resident killed with SIGKILL. */
export async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the socket holder exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
