// A missing spec must not pass silently under CI: the contract tier would vanish from the run without a trace.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, specGate } from './spec.js';

describe('contract tests without the OpenAPI spec', () => {
  it('skip on a developer machine, fail under CI, run when the spec is there', () => {
    expect(specGate(false, {}).mode).toBe('skip');
    expect(specGate(false, { CI: 'false' }).mode).toBe('skip');
    expect(specGate(false, { CI: 'true' })).toMatchObject({ mode: 'fail', reason: expect.stringContaining('outscale.yaml') });
    expect(specGate(true, { CI: 'true' }).mode).toBe('run');
  });

  it('make the contract test file fail under CI=true when the spec file is missing', () => {
    const missing = join(repoRoot, 'no-such-dir', 'outscale.yaml');
    const run = spawnSync(process.execPath, [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', 'test/contract/spec-contract.test.ts'], {
      cwd: repoRoot,
      env: { ...process.env, CI: 'true', CONTRACT_SPEC_PATH: missing, VITEST: undefined, VITEST_POOL_ID: undefined, VITEST_WORKER_ID: undefined },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(1);
    expect(output).toContain(missing);
  }, 130_000);
});
