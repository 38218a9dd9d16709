// The resident provider process of warm mode: listens on a control socket in the user's private directory, and for
// each launcher that presents this build's id and the token, starts a session (./warm-session.ts) and answers with
// its handshake line. Exits after an idle time without sessions, or when its socket was replaced or removed.

import { timingSafeEqual } from 'node:crypto';
import { chmodSync, statSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { log } from '../../common/log.js';
import type { Session } from '../../common/session.js';
import { generateServerCertificate, type ServerCertificate } from '../server-certificate.js';
import { errorAnswer, parseControlRequest, type ControlRequest } from './control-request.js';
import { ensurePrivateDir, removeFile, warmPaths, writePrivateFile, writeToken, type WarmPaths } from './runtime-dir.js';
import { refusalReason, startWarmSession, type SessionProvider, type WarmSession } from './warm-session.js';

/** A launcher that has not sent its whole request by then is dropped. */
const REQUEST_TIMEOUT_MS = 5000;
const SOCKET_CHECK_MS = 10_000;

export interface ResidentOptions {
  buildId: string;
  dir: string;
  idleMs: number;
  newProvider: (session: Session) => SessionProvider;
  /** Called once the resident has closed by itself (idle, socket taken over). */
  onExit?: (reason: string) => void;
}

export interface Resident {
  paths: WarmPaths;
  activeSessions(): number;
  close(reason?: string): Promise<void>;
}

function isListening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function inode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

export async function startResident(options: ResidentOptions): Promise<Resident> {
  ensurePrivateDir(options.dir);
  const paths = warmPaths(options.dir, options.buildId);
  if (await isListening(paths.socket)) throw new Error(`a resident process already serves ${paths.socket}`);
  removeFile(paths.socket);
  const token = writeToken(paths.token);

  const sessions = new Set<WarmSession>();
  let spareCertificate: ServerCertificate | undefined = generateServerCertificate();
  const takeCertificate = (): ServerCertificate => {
    const certificate = spareCertificate ?? generateServerCertificate();
    spareCertificate = undefined;
    setImmediate(() => (spareCertificate ??= generateServerCertificate()));
    return certificate;
  };

  let idleTimer: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  /** Set when the control socket is no longer ours: exit as soon as no session is left. */
  let retired = false;
  const armIdleTimer = () => {
    clearTimeout(idleTimer);
    if (sessions.size > 0) return;
    if (retired) void closeBy('control socket replaced or removed');
    else idleTimer = setTimeout(() => void closeBy(`idle for ${options.idleMs} ms`), options.idleMs);
  };

  const validate = (request: ControlRequest): string | undefined => {
    if (request.buildId !== options.buildId) return 'another build of the provider';
    if (!sameToken(request.token, token)) return 'wrong token';
    return refusalReason(request.env);
  };

  const serve = async (connection: Socket, request: ControlRequest) => {
    const refusal = validate(request);
    if (refusal) {
      log.debug('warm launch refused', { reason: refusal });
      connection.end(errorAnswer(refusal));
      return;
    }
    clearTimeout(idleTimer);
    let session: WarmSession | undefined;
    try {
      session = await startWarmSession({
        request,
        connection,
        newProvider: options.newProvider,
        socketDir: options.dir,
        serverCertificate: takeCertificate,
      });
    } catch (error) {
      log.warn('warm session failed to start', { error: String(error) });
      connection.end(errorAnswer('the session could not start'));
      armIdleTimer();
      return;
    }
    const started = session;
    sessions.add(started);
    void started.ended.then(() => {
      sessions.delete(started);
      armIdleTimer();
    });
    if (closing || connection.destroyed) started.end('launcher gone before the handshake');
    else started.announce();
  };

  const accept = (connection: Socket) => {
    if (closing) return connection.destroy();
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => connection.destroy(), REQUEST_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parseControlRequest(received);
      if (parsed.status === 'incomplete') return;
      clearTimeout(timer);
      connection.off('data', onData);
      if (parsed.status === 'invalid') connection.end(errorAnswer(parsed.reason));
      else void serve(connection, parsed.request);
    };
    connection.on('data', onData);
    connection.on('error', () => clearTimeout(timer));
    connection.on('close', () => clearTimeout(timer));
  };

  // Half-open: a launcher asked to terminate closes its side and waits until the session has ended.
  const server: Server = createServer({ allowHalfOpen: true }, accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(paths.socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(paths.socket, 0o600);
  const socketInode = inode(paths.socket);
  writePrivateFile(paths.pid, `${process.pid}\n`);
  removeFile(paths.starting);
  log.debug('resident listening', { socket: paths.socket, idle_ms: options.idleMs });

  // Another resident took the path (or someone removed it): stop accepting, finish the sessions, exit.
  const socketCheck = setInterval(() => {
    if (retired || inode(paths.socket) === socketInode) return;
    retired = true;
    server.close();
    armIdleTimer();
  }, SOCKET_CHECK_MS);

  function close(reason = 'closed'): Promise<void> {
    return (closing ??= (async () => {
      log.debug('resident closing', { reason });
      clearTimeout(idleTimer);
      clearInterval(socketCheck);
      // Synchronously, before any await: close() is also what runs on process exit.
      const ours = inode(paths.socket) === socketInode;
      server.close(); // (this unlinks the socket)
      if (ours) {
        removeFile(paths.socket);
        removeFile(paths.token);
        removeFile(paths.pid);
      }
      const ending = [...sessions].map((s) => {
        s.end(`resident ${reason}`);
        return s.ended;
      });
      await Promise.all(ending);
    })());
  }
  async function closeBy(reason: string): Promise<void> {
    await close(reason);
    options.onExit?.(reason);
  }

  armIdleTimer();
  return { paths, activeSessions: () => sessions.size, close };
}
