// `terraform-provider-outscale --resident`: the process a launcher starts in the background for warm mode
// (detached, stdio on /dev/null or OUTSCALE_PROVIDER_WARM_LOG). Runs until idle; every failure just exits, and the
// launches fall back to the normal start.

import { log } from '../../common/log.js';
import { removeFile, warmDir, warmPaths } from './runtime-dir.js';
import { startResident } from './resident.js';
import type { SessionProvider } from './warm-session.js';

const DEFAULT_IDLE_SECONDS = 600;

export function idleMsFromEnv(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.OUTSCALE_PROVIDER_WARM_IDLE_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_IDLE_SECONDS * 1000;
}

export async function serveResident(options: {
  buildId: string;
  loadProvider: () => Promise<() => SessionProvider>;
  env?: NodeJS.ProcessEnv;
}): Promise<void> {
  const env = options.env ?? process.env;
  const dir = warmDir(env);
  process.umask(0o077); // session sockets and files: this user only
  process.on('uncaughtException', (error) => log.error('uncaught exception in the resident provider', { error: String(error) }));
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection in the resident provider', { error: String(reason) }));
  process.on('SIGINT', () => {}); // not ours: Terraform stops sessions with StopProvider
  process.on('SIGTERM', () => process.exit(143));
  try {
    const newProvider = await options.loadProvider();
    const resident = await startResident({
      buildId: options.buildId,
      dir,
      idleMs: idleMsFromEnv(env),
      newProvider,
      onExit: () => process.exit(0),
    });
    process.on('exit', () => void resident.close('exiting'));
  } catch (error) {
    log.warn('resident provider not started', { error: String(error) });
    removeFile(warmPaths(dir, options.buildId).starting);
    process.exit(1);
  }
}
