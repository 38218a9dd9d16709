// Process-level behaviour of a plugin launched by Terraform: survive stray errors, do not die of SIGINT (Terraform
// sends StopProvider; the terminal's SIGINT reaches us only because we share its process group),
// and never outlive Terraform (it may die without calling Shutdown; we would be re-parented and linger).

import { log } from '../common/log.js';

const PARENT_POLL_MS = 1000;

export interface ProcessGuardOptions {
  /** SIGINT handler. Default Node behaviour (exit) would kill in-flight RPCs. */
  onInterrupt: () => void;
  /** SIGTERM handler. */
  onTerminate: () => void;
  /** Parent gone or stdout closed: exit quickly. */
  onOrphaned: (reason: string) => void;
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, stack: error.stack ?? '' };
  return { error: String(error) };
}

export function installProcessGuards(options: ProcessGuardOptions): void {
  // Logged as errors and otherwise ignored: one failed request must not take the provider (and the run) down.
  // The log line is JSON, so it can never start with "panic: " (which Terraform would report as a crash).
  process.on('uncaughtException', (error) => log.error('uncaught exception in the provider', describe(error)));
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection in the provider', describe(reason)));

  process.on('SIGINT', () => {
    log.debug('SIGINT received');
    options.onInterrupt();
  });
  process.on('SIGTERM', () => {
    log.debug('SIGTERM received');
    options.onTerminate();
  });

  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') options.onOrphaned('stdout closed (EPIPE)');
    else log.warn('stdout error', describe(error));
  });

  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) options.onOrphaned(`parent process ${parent} went away`);
  }, PARENT_POLL_MS);
  watch.unref();
}
