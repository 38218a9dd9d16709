// A provider session: what one launch by Terraform brings with it. A normal provider process is one session and uses
// its own environment, directory and stderr. A resident process (warm mode, src/host/warm) serves several launches
// at once, each with the environment, working directory and stderr of its own launcher.
//
// The session is handed down explicitly (provider server → configuration → client → logger), not found through
// AsyncLocalStorage: that enables async hooks for every promise and stream of the process, which costs grpc-js
// +12–16 % of its server CPU per call (scripts/bench/async-hooks-cost.cjs), on every RPC Terraform makes.

import { isAbsolute, resolve } from 'node:path';

export interface Session {
  /** The launch's environment (Terraform's, plus the go-plugin variables). */
  readonly env: NodeJS.ProcessEnv;
  /** The launch's working directory: relative paths in the configuration are relative to it. */
  readonly cwd: string;
  /** The launch's stderr: log lines go there. */
  writeStderr(text: string): void;
}

/** A path from the configuration, relative to the launch's working directory (the process's without a session). */
export function sessionPath(session: Session | undefined, path: string): string {
  return session && !isAbsolute(path) ? resolve(session.cwd, path) : path;
}
