// `npm run install-provider`: the provider installed into ~/.terraform.d/plugins (Terraform's implied local mirror)
// is found by a plain, offline `terraform init` — no dev_overrides — recorded in the lock file and works for apply.
// HOME is a temp directory, so the developer's own ~/.terraform.d is never touched.
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { currentPlatform, packageVersion } from '../../scripts/release.mjs';
import { describeE2e, providerBlock, repoPaths, runProcess, sandboxEnv, workspaceForTest } from './harness/index.js';

const VERSION = packageVersion();

describeE2e(
  'npm run install-provider',
  () => {
    let sandbox: Sandbox;
    let home: string;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 100 });
      home = await mkdtemp(join(tmpdir(), 'tfhome-'));
    });
    afterAll(async () => {
      await sandbox?.close();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('installs a self-contained provider that terraform init finds offline, then applies with it', async () => {
      const installed = await runProcess(process.execPath, [join(repoPaths.root, 'scripts/install-provider.mjs')], {
        cwd: repoPaths.root,
        env: { ...process.env, HOME: home },
        timeoutMs: 60_000,
      });
      expect(installed.code, installed.stderr).toBe(0);
      const executable = join(
        home,
        '.terraform.d/plugins/registry.terraform.io/outscale/outscale',
        VERSION,
        currentPlatform(),
        `terraform-provider-outscale_v${VERSION}`,
      );
      expect(installed.stdout).toContain(executable);
      expect(statSync(executable).mode & 0o111).not.toBe(0);
      // self-contained: no path of this checkout inside
      expect(await readFile(executable, 'utf8')).not.toContain(repoPaths.root);

      const emptyCliConfig = join(home, 'empty.tfrc');
      await writeFile(emptyCliConfig, '');
      const tf = await workspaceForTest({
        env: { ...sandboxEnv(sandbox), HOME: home, TF_CLI_CONFIG_FILE: emptyCliConfig },
        config:
          providerBlock().replace('source = "outscale/outscale"', `source = "outscale/outscale"\n      version = "${VERSION}"`) +
          `
resource "outscale_image" "installed" {
  image_name         = "installed-provider-copy"
  source_image_id    = "ami-5eed0001"
  source_region_name = "eu-west-2"
}
`,
      });
      const init = await tf.init();
      expect(init.stdout).toMatch(new RegExp(`Installed outscale/outscale v${VERSION.replaceAll('.', '\\.')}`));
      expect(existsSync(tf.path(`.terraform/providers/registry.terraform.io/outscale/outscale/${VERSION}/${currentPlatform()}`))).toBe(true);
      const lock = await readFile(tf.path('.terraform.lock.hcl'), 'utf8');
      expect(lock).toContain('provider "registry.terraform.io/outscale/outscale"');
      expect(lock).toMatch(new RegExp(`version\\s+= "${VERSION.replaceAll('.', '\\.')}"`));
      expect(lock).toMatch(/"h1:[A-Za-z0-9+/=]{44}"/);

      await tf.apply();
      expect(await tf.resource('outscale_image.installed')).toMatchObject({
        image_name: 'installed-provider-copy',
        state: 'available',
      });
      const plan = await tf.plan({ detailedExitCode: true });
      expect(plan.hasChanges).toBe(false);
      await tf.destroy();
      expect(sandbox.calls.filter((call) => call.action === 'DeleteImage' && call.status === 200)).toHaveLength(1);
    }, 180_000);
  },
  { needsProvider: true },
);
