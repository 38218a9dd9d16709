// `outscale-sandbox`: runs the sandbox until SIGINT/SIGTERM and prints the four OSC_* lines a shell can eval.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SANDBOX_DEFAULTS, startSandbox } from './server.js';
import type { SandboxOptions } from './types.js';

const USAGE = `usage: outscale-sandbox [--port N] [--region R] [--image-pending-ms N] [--delete-pending-ms N]
                        [--export-task-ms N] [--state FILE] [--no-seed] [--throttle-fraction F]
                        [--fail-images-matching REGEX] [--fail-export-tasks-matching REGEX]
                        [--access-key AK --secret-key SK] [--host ADDRESS] [--tls-cert PEM --tls-key PEM]`;

function numberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      region: { type: 'string' },
      'image-pending-ms': { type: 'string' },
      'delete-pending-ms': { type: 'string' },
      'export-task-ms': { type: 'string' },
      'fail-export-tasks-matching': { type: 'string' },
      state: { type: 'string' },
      'no-seed': { type: 'boolean' },
      'throttle-fraction': { type: 'string' },
      'fail-images-matching': { type: 'string' },
      'access-key': { type: 'string' },
      'secret-key': { type: 'string' },
      host: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if ((values['access-key'] === undefined) !== (values['secret-key'] === undefined)) {
    throw new Error('--access-key and --secret-key go together');
  }
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw new Error('--tls-cert and --tls-key go together');
  }
  const options: SandboxOptions = { port: numberFlag('port', values.port) ?? 0 };
  if (values.host) options.host = values.host;
  if (values['tls-cert'] && values['tls-key']) {
    options.tls = { cert: readFileSync(values['tls-cert'], 'utf8'), key: readFileSync(values['tls-key'], 'utf8') };
  }
  if (values.region) options.region = values.region;
  const pending = numberFlag('image-pending-ms', values['image-pending-ms']);
  if (pending !== undefined) options.imagePendingMs = pending;
  const deletePending = numberFlag('delete-pending-ms', values['delete-pending-ms']);
  if (deletePending !== undefined) options.deletePendingMs = deletePending;
  const exportMs = numberFlag('export-task-ms', values['export-task-ms']);
  if (exportMs !== undefined) options.exportTaskMs = exportMs;
  if (values.state) options.statePath = values.state;
  if (values['no-seed']) options.seed = false;
  if (values['access-key'] && values['secret-key']) {
    options.keys = [{ accessKey: values['access-key'], secretKey: values['secret-key'], accountId: SANDBOX_DEFAULTS.accountId }];
  }
  const sandbox = await startSandbox(options);
  const fraction = numberFlag('throttle-fraction', values['throttle-fraction']);
  if (fraction !== undefined && fraction > 0) sandbox.faults.throttleFraction(fraction);
  if (values['fail-images-matching'] !== undefined) sandbox.faults.failImages({ nameMatches: values['fail-images-matching'] });
  if (values['fail-export-tasks-matching'] !== undefined)
    sandbox.faults.failExportTasks({ bucketMatches: values['fail-export-tasks-matching'] });

  process.stdout.write(
    [
      `OSC_ENDPOINT_API=${sandbox.url}`,
      `OSC_ACCESS_KEY=${sandbox.accessKey}`,
      `OSC_SECRET_KEY=${sandbox.secretKey}`,
      `OSC_REGION=${sandbox.region}`,
    ].join('\n') + '\n',
  );

  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`outscale-sandbox: ${(e as Error).message}\n${USAGE}\n`);
  process.exit(2);
});
