// Runs a child process with stdin closed, collects its output and bounds it by a timeout that kills the whole
// process group (terraform, the provider processes it launched and any provisioner shells share that group).
import { spawn } from 'node:child_process';

export interface RunResult {
  command: string;
  args: string[];
  /** Exit code, or null when the process ended by a signal (e.g. after a timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface RunProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL of the process group once the timeout fired. */
  killGraceMs?: number;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // group already gone
  }
}

export function runProcess(command: string, args: string[], options: RunProcessOptions): Promise<RunResult> {
  const started = performance.now();
  const killGraceMs = options.killGraceMs ?? 3000;
  return new Promise((resolvePromise, rejectPromise) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // own process group, so a timeout can take down everything terraform started
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timeoutTimer = setTimeout(() => {
      timedOut = true;
      if (child.pid === undefined) return;
      const pid = child.pid;
      signalGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs);
    }, options.timeoutMs);

    child.on('error', (error) => {
      clearTimeout(timeoutTimer);
      if (killTimer) clearTimeout(killTimer);
      rejectPromise(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timeoutTimer);
      if (killTimer) clearTimeout(killTimer);
      // the leader is gone; make sure nothing it left behind in its group survives a timeout
      if (timedOut && child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      resolvePromise({
        command,
        args,
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: Math.round(performance.now() - started),
        timedOut,
      });
    });
  });
}
