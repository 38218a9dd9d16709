// A provider session: what one launch by Terraform brings with it. A normal provider process is one session and uses
// its own environment, directory and stderr. A resident process (warm mode, src/host/warm) serves several launches
// at once, each with the environment, working directory and stderr of its own launcher; the code below the host
// asks here instead of reading process.env, process.cwd() or process.stderr.

import { AsyncLocalStorage } from 'node:async_hooks';
import { isAbsolute, resolve } from 'node:path';

export interface Session {
  /** The launch's environment (Terraform's, plus the go-plugin variables). */
  readonly env: NodeJS.ProcessEnv;
  /** The launch's working directory: relative paths in the configuration are relative to it. */
  readonly cwd: string;
  /** The launch's stderr: log lines go there. */
  writeStderr(text: string): void;
}

const sessions = new AsyncLocalStorage<Session>();

/** Runs fn (and everything it starts asynchronously) as part of `session`. */
export function runInSession<T>(session: Session, fn: () => T): T {
  return sessions.run(session, fn);
}

export function currentSession(): Session | undefined {
  return sessions.getStore();
}

export function sessionEnv(): NodeJS.ProcessEnv {
  return sessions.getStore()?.env ?? process.env;
}

/** A path from the configuration, relative to the launch's working directory. */
export function sessionPath(path: string): string {
  const session = sessions.getStore();
  return session && !isAbsolute(path) ? resolve(session.cwd, path) : path;
}
