// `npm run demo` (scripts/demo.mjs) from this working tree, as a new user would run it: a fresh HOME, none of the
// developer's TF_*/OSC_* settings. It must finish with exit 0 after every announced step.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeE2e, repoPaths, runProcess } from './harness/index.js';

function userEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(TF_|OSC_|OUTSCALE_|VITEST)/.test(name) || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  return { ...env, HOME: home };
}

describeE2e(
  'npm run demo',
  () => {
    it('applies the quickstart, plans no changes, imports, destroys and stops the sandbox', async () => {
      const home = await mkdtemp(join(tmpdir(), 'demo-home-'));
      try {
        const result = await runProcess(process.execPath, [join(repoPaths.root, 'scripts/demo.mjs')], {
          cwd: repoPaths.root,
          env: userEnv(home),
          timeoutMs: 110_000,
        });
        const output = result.stdout + result.stderr;
        expect(result.timedOut, output).toBe(false);
        expect(result.code, output).toBe(0);
        expect(result.stdout).toMatch(/Start the local OUTSCALE API sandbox/);
        expect(result.stdout).toMatch(/Apply complete! Resources: 2 added, 0 changed, 0 destroyed\./);
        expect(result.stdout).toMatch(/from_vm = \{"id":"ami-[0-9a-f]{8}"/);
        expect(result.stdout).toMatch(/No changes: plan exit code 0/);
        expect(result.stdout).toMatch(/Import successful!/);
        expect(result.stdout).toMatch(/No changes after import: plan exit code 0/);
        expect(result.stdout).toMatch(/Destroy complete! Resources: 2 destroyed\./);
        expect(result.stdout).toMatch(/==> Stop the sandbox/);
        expect(result.stdout).toMatch(/Demo complete/);
        expect(output).not.toMatch(/DEMO FAILED/);
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    }, 120_000);

    it('fails loudly with exit 1 when terraform is not on PATH', async () => {
      const home = await mkdtemp(join(tmpdir(), 'demo-home-'));
      try {
        const env = { ...userEnv(home), PATH: '/nonexistent-dir' };
        const result = await runProcess(process.execPath, [join(repoPaths.root, 'scripts/demo.mjs')], {
          cwd: repoPaths.root,
          env,
          timeoutMs: 30_000,
        });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/DEMO FAILED: terraform is not on PATH/);
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    }, 40_000);
  },
  { needsProvider: true },
);
