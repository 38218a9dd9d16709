// Where a resident provider process (warm mode) and its launchers meet: a directory only this user can enter,
// holding per build `<build id>.sock` (the control socket), `<build id>.token` (what a launcher must present) and
// `<build id>.starting` (a launcher is starting a resident: others do not start one too) and `<build id>.pid`. The launcher
// (launcher.c) computes the same paths and makes the same checks before it sends anything.

import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WarmPaths {
  dir: string;
  socket: string;
  token: string;
  starting: string;
  /** The resident's pid (to stop it by hand: kill $(cat …)). */
  pid: string;
}

/** OUTSCALE_PROVIDER_WARM_DIR, else $XDG_RUNTIME_DIR/outscale-provider, else /tmp/outscale-provider-<uid>. */
export function warmDir(env: NodeJS.ProcessEnv, uid = process.getuid?.() ?? 0): string {
  const explicit = env.OUTSCALE_PROVIDER_WARM_DIR;
  if (explicit && explicit.startsWith('/')) return explicit;
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && runtime.startsWith('/')) return join(runtime, 'outscale-provider');
  return `/tmp/outscale-provider-${uid}`;
}

export function warmPaths(dir: string, buildId: string): WarmPaths {
  return {
    dir,
    socket: join(dir, `${buildId}.sock`),
    token: join(dir, `${buildId}.token`),
    starting: join(dir, `${buildId}.starting`),
    pid: join(dir, `${buildId}.pid`),
  };
}

/** Why `dir` cannot be trusted, or undefined when it is a real directory of this user that nobody else may enter. */
export function untrustedReason(dir: string, uid = process.getuid?.() ?? 0): string | undefined {
  let stats;
  try {
    stats = lstatSync(dir);
  } catch (error) {
    return `cannot inspect ${dir}: ${(error as Error).message}`;
  }
  if (!stats.isDirectory()) return `${dir} is not a directory`;
  if (stats.uid !== uid) return `${dir} belongs to uid ${stats.uid}, not ${uid}`;
  if ((stats.mode & 0o077) !== 0) return `${dir} is open to other users (mode ${(stats.mode & 0o777).toString(8)})`;
  return undefined;
}

/** Creates `dir` (0700) when missing; throws when it exists but cannot be trusted. */
export function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const reason = untrustedReason(dir);
  if (reason) throw new Error(reason);
}

/** Writes a 0600 file whole (temp file + rename: a launcher never reads half a token). */
export function writePrivateFile(path: string, text: string): void {
  const temporary = `${path}.${process.pid}`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

/** A fresh random token, written 0600. */
export function writeToken(path: string): string {
  const token = randomBytes(32).toString('hex');
  writePrivateFile(path, token);
  return token;
}

export function readTextOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
