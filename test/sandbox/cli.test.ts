import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { call } from './helpers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('bin/outscale-sandbox', () => {
  it('prints the four OSC_* lines first, serves signed calls and stops on SIGTERM', async () => {
    await runSandboxCli([], () => undefined);
  }, 30_000);

  it('--latency-ms: every call is answered that much later (recorded as a slow fault)', async () => {
    await runSandboxCli(['--latency-ms', '40'], (calls) => {
      expect(calls.map((c) => c.fault)).toEqual(['slow-40', 'slow-40']);
    });
  }, 30_000);
});

async function runSandboxCli(extraArgs: string[], check: (calls: { fault?: string }[]) => void): Promise<void> {
  {
    const child = spawn(resolve(repoRoot, 'bin/outscale-sandbox'), ['--port', '0', '--image-pending-ms', '0', '--region', 'eu-west-2', ...extraArgs], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines: string[] = [];
      const reader = createInterface({ input: child.stdout! });
      const done = new Promise<void>((resolveLines, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(lines)}`)), 20_000);
        reader.on('line', (line) => {
          lines.push(line);
          if (lines.length === 4) {
            clearTimeout(timer);
            resolveLines();
          }
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      await done;
      expect(lines[0]).toMatch(/^OSC_ENDPOINT_API=http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      expect(lines[1]).toBe('OSC_ACCESS_KEY=OSCSANDBOXACCESSKEY1');
      expect(lines[2]).toMatch(/^OSC_SECRET_KEY=\S{40}$/);
      expect(lines[3]).toBe('OSC_REGION=eu-west-2');

      const env = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      const port = Number(new URL(env.OSC_ENDPOINT_API!).port);
      const remote = { port, region: env.OSC_REGION, accessKey: env.OSC_ACCESS_KEY, secretKey: env.OSC_SECRET_KEY } as Sandbox;
      const answer = await call(remote, 'ReadImages', { Filters: { ImageNames: ['Ubuntu*'] } });
      expect(answer.status).toBe(200);
      expect(answer.body.Images).toHaveLength(1);
      expect((await call(remote, 'ReadImages', {})).status).toBe(200);
      const calls = (await (await fetch(new URL('/_sandbox/calls', env.OSC_ENDPOINT_API))).json()) as { fault?: string }[];
      check(calls);
    } finally {
      const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve([child.exitCode]);
      child.kill('SIGTERM');
      await exited;
    }
  }
}
