// `npm run release`: registry-shaped artifacts (zips, SHA256SUMS, manifest), checked as files, then used the way a
// mirror serves them: the zip of this platform unpacked into a filesystem mirror (and, separately, left packed,
// which makes Terraform's own zip reader open it) → `terraform init` offline → apply against the sandbox.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { PLATFORMS, currentPlatform, packageVersion } from '../../scripts/release.mjs';
import { describeE2e, hclString, providerBlock, repoPaths, runProcess, sandboxEnv, workspaceForTest } from './harness/index.js';

const VERSION = packageVersion();
const PREFIX = `terraform-provider-outscale_${VERSION}`;
const EXECUTABLE = `terraform-provider-outscale_v${VERSION}`;

interface ZipEntry {
  name: string;
  mode: number;
  data: Buffer;
}

/** Reads every entry through the central directory (independent of the writer's code). */
function readZip(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    if (data.length !== size) throw new Error(`${name}: size ${data.length} != ${size}`);
    entries.push({ name, mode, data });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function mirrorCliConfig(mirror: string): string {
  return `provider_installation {\n  filesystem_mirror {\n    path    = ${hclString(mirror)}\n    include = ["registry.terraform.io/outscale/outscale"]\n  }\n}\n`;
}

const CONFIG =
  providerBlock() +
  `
resource "outscale_image" "released" {
  image_name         = "released-provider-copy"
  source_image_id    = "ami-5eed0002"
  source_region_name = "eu-west-2"
}
`;

describeE2e(
  'npm run release',
  () => {
    let sandbox: Sandbox;
    let work: string;
    let releaseDir: string;
    let unpackedPackageHash: string | undefined;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 100 });
      work = await mkdtemp(join(tmpdir(), 'tfrel-'));
      releaseDir = join(work, 'release');
      const built = await runProcess(process.execPath, [join(repoPaths.root, 'scripts/release.mjs'), '--out', releaseDir], {
        cwd: repoPaths.root,
        env: process.env,
        timeoutMs: 60_000,
      });
      if (built.code !== 0) throw new Error(`release.mjs failed: ${built.stderr}${built.stdout}`);
    }, 90_000);
    afterAll(async () => {
      await sandbox?.close();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('writes one zip per platform with one executable, the manifest and matching SHA256SUMS', async () => {
      const files = (await readdir(releaseDir)).sort();
      expect(files).toEqual(
        [
          ...PLATFORMS.map((platform) => `${PREFIX}_${platform}.zip`),
          `${PREFIX}_SHA256SUMS`,
          `${PREFIX}_manifest.json`,
        ].sort(),
      );
      expect(PLATFORMS).toEqual(expect.arrayContaining(['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64']));
      for (const platform of PLATFORMS) {
        const entries = readZip(await readFile(join(releaseDir, `${PREFIX}_${platform}.zip`)));
        expect(entries.map((entry) => entry.name)).toEqual([EXECUTABLE]);
        expect(entries[0]!.mode & 0o777).toBe(0o755);
        expect(entries[0]!.mode & 0o170000).toBe(0o100000);
        expect(entries[0]!.data.length).toBeGreaterThan(100_000);
      }
      const manifest = JSON.parse(await readFile(join(releaseDir, `${PREFIX}_manifest.json`), 'utf8'));
      expect(manifest).toEqual({ version: 1, metadata: { protocol_versions: ['6.0'] } });
      expect(await readFile(join(releaseDir, `${PREFIX}_manifest.json`), 'utf8')).toBe(
        await readFile(join(repoPaths.root, 'terraform-registry-manifest.json'), 'utf8'),
      );

      const sums = await readFile(join(releaseDir, `${PREFIX}_SHA256SUMS`), 'utf8');
      expect(sums.endsWith('\n')).toBe(true);
      const lines = sums.trimEnd().split('\n');
      expect(lines).toHaveLength(PLATFORMS.length + 1);
      const listed = lines.map((line) => {
        const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
        expect(match, `SHA256SUMS line ${JSON.stringify(line)}`).not.toBeNull();
        return [match![2]!, match![1]!] as const;
      });
      expect(listed.map(([name]) => name)).toEqual(files.filter((name) => !name.endsWith('SHA256SUMS')));
      for (const [name, hash] of listed) expect(sha256(await readFile(join(releaseDir, name)))).toBe(hash);
    });

    it('is installed by terraform init from an unpacked filesystem mirror and applies', async () => {
      const platform = currentPlatform();
      const mirror = join(work, 'mirror');
      const target = join(mirror, 'registry.terraform.io/outscale/outscale', VERSION, platform);
      mkdirSync(target, { recursive: true });
      for (const entry of readZip(await readFile(join(releaseDir, `${PREFIX}_${platform}.zip`)))) {
        writeFileSync(join(target, entry.name), entry.data);
        chmodSync(join(target, entry.name), entry.mode & 0o777);
      }
      const cliConfig = join(work, 'unpacked.tfrc');
      await writeFile(cliConfig, mirrorCliConfig(mirror));
      const tf = await workspaceForTest({
        env: { ...sandboxEnv(sandbox), HOME: work, TF_CLI_CONFIG_FILE: cliConfig },
        config: CONFIG,
      });
      const init = await tf.init();
      expect(init.stdout).toContain(`Installed outscale/outscale v${VERSION}`);
      const lock = await readFile(tf.path('.terraform.lock.hcl'), 'utf8');
      expect(lock).toContain('provider "registry.terraform.io/outscale/outscale"');
      unpackedPackageHash = /"(h1:[A-Za-z0-9+/=]{44})"/.exec(lock)?.[1];
      expect(unpackedPackageHash).toBeDefined();
      await tf.apply();
      expect(await tf.resource('outscale_image.released')).toMatchObject({ state: 'available', image_name: 'released-provider-copy' });
      expect((await tf.plan({ detailedExitCode: true })).hasChanges).toBe(false);
      await tf.destroy();
    }, 180_000);

    it('is installed from the packed zip in a filesystem mirror (Terraform unzips it) with the same package hash', async () => {
      const platform = currentPlatform();
      const mirror = join(work, 'packed-mirror');
      const dir = join(mirror, 'registry.terraform.io/outscale/outscale');
      mkdirSync(dir, { recursive: true });
      await copyFile(join(releaseDir, `${PREFIX}_${platform}.zip`), join(dir, `${PREFIX}_${platform}.zip`));
      const cliConfig = join(work, 'packed.tfrc');
      await writeFile(cliConfig, mirrorCliConfig(mirror));
      const tf = await workspaceForTest({
        env: { ...sandboxEnv(sandbox), HOME: work, TF_CLI_CONFIG_FILE: cliConfig },
        config: CONFIG,
      });
      await tf.init();
      const lock = await readFile(tf.path('.terraform.lock.hcl'), 'utf8');
      // h1: hashes the unpacked package: the zip holds exactly what was unpacked by hand in the previous test
      expect(lock).toMatch(/"h1:[A-Za-z0-9+/=]{44}"/);
      if (unpackedPackageHash) expect(lock).toContain(`"${unpackedPackageHash}"`);
      await tf.apply();
      expect(await tf.resource('outscale_image.released')).toMatchObject({ state: 'available' });
      await tf.destroy();
    }, 180_000);
  },
  { needsProvider: true },
);
