// Where the provider takes its credentials from, through the real terraform: a ~/.osc/config.json nobody asked for is
// not read, a requested profile is, and the access key and the secret key never come from two places.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, providerBlock, sandboxEnv, workspaceForTest } from './harness/index.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { flat } from './fixtures/image-e2e.js';

const TEST_TIMEOUT_MS = 120_000;
const WRONG = { access_key: 'WRONGACCESSKEY000001', secret_key: 'wrongSecretKey00000000000000000000000000' };

function imageConfig(name: string, attributes: Record<string, string> = {}): string {
  return `${providerBlock({ attributes })}
resource "outscale_image" "x" {
  image_name = "${name}"
  vm_id      = "${SEEDED.vmId}"
  no_reboot  = true
}
`;
}

describeE2e(
  'provider credentials',
  () => {
    let sandbox: Sandbox;
    let home: string;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 100 });
      home = mkdtempSync(join(tmpdir(), 'tfe2e-home-'));
      mkdirSync(join(home, '.osc'));
      // a default profile that would fail every call, and one that works
      const good = { access_key: sandbox.accessKey, secret_key: sandbox.secretKey, region: sandbox.region, endpoints: { api: sandbox.url } };
      const profiles = { default: { ...WRONG, region: 'us-east-2' }, sandbox: good };
      writeFileSync(join(home, '.osc', 'config.json'), JSON.stringify(profiles));
    });
    afterAll(async () => {
      await sandbox?.close();
      if (home) rmSync(home, { recursive: true, force: true });
    });

    it(
      'an implicit ~/.osc/config.json does not override OSC_ACCESS_KEY / OSC_SECRET_KEY',
      async () => {
        const tf = await workspaceForTest({ env: { ...sandboxEnv(sandbox), HOME: home }, config: imageConfig('e2e-cfg-env') });
        await tf.apply();
        expect((await tf.resource('outscale_image.x')).account_id).toBe(sandbox.accountId);
        await tf.destroy();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'a profile asked for with OSC_PROFILE wins over the environment',
      async () => {
        const env = { ...sandboxEnv(sandbox), OSC_ACCESS_KEY: WRONG.access_key, OSC_SECRET_KEY: WRONG.secret_key, HOME: home, OSC_PROFILE: 'sandbox' };
        const tf = await workspaceForTest({ env, config: imageConfig('e2e-cfg-profile') });
        await tf.apply();
        await tf.destroy();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'an access key in the provider block is never paired with a secret key from the environment',
      async () => {
        const env = { ...sandboxEnv(sandbox), HOME: home };
        const tf = await workspaceForTest({ env, config: imageConfig('e2e-cfg-mixed', { access_key_id: sandbox.accessKey }) });
        const plan = await tf.plan({ allowFailure: true });
        expect(plan.code).toBe(1);
        const text = flat(plan.stderr);
        expect(text).toContain('Incomplete OUTSCALE credentials');
        expect(text).toContain('The provider block sets access_key_id but not secret_key_id');
        expect(plan.stderr).not.toContain(sandbox.secretKey);
        expect(sandbox.calls.filter((c) => c.action === 'CreateImage' && JSON.stringify(c).includes('e2e-cfg-mixed'))).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );
  },
  { needsProvider: true },
);
