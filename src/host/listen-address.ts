// Where the gRPC server listens: a unix socket in the temp dir like go-plugin on Linux/macOS, or TCP on 127.0.0.1
// when a socket path would be too long (sun_path is 108 bytes on Linux, 104 on macOS; a long TMPDIR breaks plugins).

import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { Network } from './handshake-line.js';
import type { PortRange } from './plugin-env.js';

export const MAX_SOCKET_PATH_BYTES = 100;

const SOCKET_NAME = /^plugin-outscale-(\d+)-[0-9a-f]{8}$/;

export interface Listening {
  network: Network;
  /** Socket path, or 127.0.0.1:PORT. */
  address: string;
}

/** A fresh socket path in `dir` (default: $TMPDIR), or undefined when it would be too long. */
export function socketPathIn(dir = tmpdir()): string | undefined {
  const path = join(dir, `plugin-outscale-${process.pid}-${randomBytes(4).toString('hex')}`);
  return Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES ? undefined : path;
}

function bind(server: grpc.Server, target: string, credentials: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(target, credentials, (error, port) => (error ? reject(error) : resolve(port)));
  });
}

export async function listenUnix(
  server: grpc.Server,
  credentials: grpc.ServerCredentials,
  path: string,
): Promise<Listening> {
  await bind(server, `unix://${path}`, credentials);
  return { network: 'unix', address: path };
}

/**
 * TCP on 127.0.0.1: an OS-chosen port when no range is given, else the first free port of the range, starting
 * from a random one.
 */
export async function listenTcp(
  server: grpc.Server,
  credentials: grpc.ServerCredentials,
  range?: PortRange,
): Promise<Listening> {
  if (!range) {
    const port = await bind(server, '127.0.0.1:0', credentials);
    return { network: 'tcp', address: `127.0.0.1:${port}` };
  }
  const size = range.max - range.min + 1;
  const start = Math.floor(Math.random() * size);
  let lastError: unknown;
  for (let i = 0; i < Math.min(size, 200); i++) {
    const port = range.min + ((start + i) % size);
    try {
      await bind(server, `127.0.0.1:${port}`, credentials);
      return { network: 'tcp', address: `127.0.0.1:${port}` };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`no free TCP port in ${range.min}..${range.max}: ${String(lastError)}`);
}

export function removeSocketFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes sockets left in `dir` by provider processes that died without cleaning up (SIGKILL: Terraform kills a
 * plugin that has not exited 2 s after Shutdown). Only our own naming pattern, only sockets, only dead pids.
 * Returns the paths removed.
 */
export function removeStaleSockets(dir = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = SOCKET_NAME.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    const path = join(dir, name);
    try {
      if (!lstatSync(path).isSocket()) continue;
      unlinkSync(path);
      removed.push(path);
    } catch {
      // raced with another sweeper, or not ours to remove
    }
  }
  return removed;
}
