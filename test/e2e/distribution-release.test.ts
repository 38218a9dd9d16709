// `npm run release`: registry-shaped artifacts (zips of single executables, SHA256SUMS signed with a throwaway GPG
// key, the public key, the manifest), checked as files, then used the way mirrors serve them, with no `node` on the
// PATH terraform and the provider get: the zip of this platform unpacked into a filesystem mirror (and, separately,
// left packed, which makes Terraform's own zip reader open it) → `terraform init` offline → apply against the
// sandbox; then `npm run mirror` served over HTTPS (a CA made here, trusted through SSL_CERT_FILE) as a provider
// network mirror → `terraform init`, apply, and `terraform providers lock` for three platforms.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { PLATFORMS, currentPlatform, packageVersion } from '../../scripts/release.mjs';
import { describeE2e, hclString, providerBlock, repoPaths, runProcess, sandboxEnv, workspaceForTest } from './harness/index.js';
import { makeTestCa } from './network/test-ca.js';

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

/** Terraform's h1: package hash (Go dirhash Hash1) of a zip: SHA-256 over the sorted "sha256  name" lines of its files. */
function packageHash1(zip: Buffer): string {
  const lines = readZip(zip)
    .map((entry) => `${sha256(entry.data)}  ${entry.name}\n`)
    .sort()
    .join('');
  return `h1:${createHash('sha256').update(lines).digest('base64')}`;
}

const SEA_FUSE_FLIPPED = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1';

/** ELF machine (0x3e x86-64, 0xb7 aarch64), or undefined when not an ELF file. */
function elfMachine(data: Buffer): number | undefined {
  return data.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) ? data.readUInt16LE(18) : undefined;
}

/** Load commands of a thin 64-bit little-endian Mach-O: CPU type, segment names, whether it carries a signature. */
function machO(data: Buffer): { cpu: number; segments: string[]; signed: boolean } | undefined {
  if (data.readUInt32LE(0) !== 0xfeedfacf) return undefined;
  const count = data.readUInt32LE(16);
  const segments: string[] = [];
  let signed = false;
  for (let i = 0, at = 32; i < count; i++) {
    const cmd = data.readUInt32LE(at);
    if (cmd === 0x19) segments.push(data.toString('latin1', at + 8, at + 24).replace(/\0+$/, ''));
    if (cmd === 0x1d) signed = true;
    at += data.readUInt32LE(at + 4);
  }
  return { cpu: data.readUInt32LE(4), segments, signed };
}

/** A PATH holding terraform and nothing else: no node, no sh. */
function pathWithoutNode(dir: string): string {
  const terraform = execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim();
  mkdirSync(dir, { recursive: true });
  symlinkSync(terraform, join(dir, 'terraform'));
  return dir;
}

function gpg(home: string, args: string[], input?: string): string {
  return execFileSync('gpg', ['--batch', '--no-tty', ...args], { env: { ...process.env, GNUPGHOME: home }, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

function serveDirectory(root: string, tls: { certPem: string; keyPem: string }): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'https://x').pathname));
    requests.push(path);
    readFile(join(root, path)).then(
      (data) => res.writeHead(200, { 'Content-Type': path.endsWith('.json') ? 'application/json' : 'application/zip' }).end(data),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests })),
  );
}

describeE2e(
  'npm run release',
  () => {
    let sandbox: Sandbox;
    let work: string;
    let releaseDir: string;
    let gnupgHome: string;
    let noNodePath: string;
    let unpackedPackageHash: string | undefined;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 100 });
      work = await mkdtemp(join(tmpdir(), 'tfrel-'));
      releaseDir = join(work, 'release');
      noNodePath = pathWithoutNode(join(work, 'path'));
      // A throwaway signing key with a passphrase, in a keyring of its own.
      gnupgHome = await mkdtemp(join(tmpdir(), 'gpg-'));
      chmodSync(gnupgHome, 0o700);
      gpg(gnupgHome, ['--pinentry-mode', 'loopback', '--passphrase', 'test passphrase', '--quick-gen-key', 'Release Test <release@example.invalid>', 'rsa2048', 'sign', '1d']);
      const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(gpg(gnupgHome, ['--with-colons', '--list-secret-keys']))![1]!;
      const built = await runProcess(process.execPath, [join(repoPaths.root, 'scripts/release.mjs'), '--out', releaseDir], {
        cwd: repoPaths.root,
        env: { ...process.env, GNUPGHOME: gnupgHome, RELEASE_GPG_KEY: fingerprint, RELEASE_GPG_PASSPHRASE: 'test passphrase' },
        timeoutMs: 540_000,
      });
      if (built.code !== 0) throw new Error(`release.mjs failed: ${built.stderr}${built.stdout}`);
    }, 600_000);
    afterAll(async () => {
      await sandbox?.close();
      if (gnupgHome) {
        execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: gnupgHome }, stdio: 'ignore' });
        await rm(gnupgHome, { recursive: true, force: true });
      }
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('writes one zip per platform with one executable, the manifest, matching SHA256SUMS, its signature and key', async () => {
      const files = (await readdir(releaseDir)).sort();
      expect(files).toEqual(
        [
          ...PLATFORMS.map((platform) => `${PREFIX}_${platform}.zip`),
          `${PREFIX}_SHA256SUMS`,
          `${PREFIX}_SHA256SUMS.sig`,
          `${PREFIX}_signing-key.asc`,
          `${PREFIX}_manifest.json`,
          'RELEASE_NOTES.md',
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
      expect(listed.map(([name]) => name)).toEqual(files.filter((name) => name.endsWith('.zip') || name.endsWith('manifest.json')));
      for (const [name, hash] of listed) expect(sha256(await readFile(join(releaseDir, name)))).toBe(hash);
    }, 120_000);

    it('signs SHA256SUMS: gpg --verify passes with only the exported public key, and fails on altered sums', async () => {
      const verifier = await mkdtemp(join(tmpdir(), 'gpgv-'));
      try {
        chmodSync(verifier, 0o700);
        const key = await readFile(join(releaseDir, `${PREFIX}_signing-key.asc`), 'utf8');
        expect(key).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
        expect(key).not.toContain('PRIVATE KEY');
        gpg(verifier, ['--import'], key);
        const sums = join(releaseDir, `${PREFIX}_SHA256SUMS`);
        const sig = `${sums}.sig`;
        expect((await readFile(sig))[0]! & 0x80).toBe(0x80); // binary OpenPGP packet, not ASCII armour (the registry's form)
        const verified = execFileSync('gpg', ['--batch', '--status-fd', '1', '--verify', sig, sums], { env: { ...process.env, GNUPGHOME: verifier }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        expect(verified).toMatch(/^\[GNUPG:\] GOODSIG /m);
        const altered = join(verifier, 'SHA256SUMS');
        await writeFile(altered, (await readFile(sums, 'utf8')).replace(/^[0-9a-f]/, (c) => (c === '0' ? '1' : '0')));
        expect(() => execFileSync('gpg', ['--batch', '--verify', sig, altered], { env: { ...process.env, GNUPGHOME: verifier }, stdio: 'ignore' })).toThrow();
      } finally {
        execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: verifier }, stdio: 'ignore' });
        await rm(verifier, { recursive: true, force: true });
      }
    });

    it('holds a Node single executable for linux amd64/arm64 and darwin amd64 (signature removed), JavaScript for darwin arm64', async () => {
      const executable = async (platform: string) => readZip(await readFile(join(releaseDir, `${PREFIX}_${platform}.zip`)))[0]!.data;
      const linuxAmd64 = await executable('linux_amd64');
      const linuxArm64 = await executable('linux_arm64');
      const darwinAmd64 = await executable('darwin_amd64');
      const darwinArm64 = await executable('darwin_arm64');
      expect(elfMachine(linuxAmd64)).toBe(0x3e);
      expect(elfMachine(linuxArm64)).toBe(0xb7);
      for (const data of [linuxAmd64, linuxArm64, darwinAmd64]) {
        expect(data.includes(SEA_FUSE_FLIPPED)).toBe(true);
        expect(data.includes('NODE_SEA_BLOB')).toBe(true);
      }
      const mach = machO(darwinAmd64);
      expect(mach).toEqual({ cpu: 0x01000007, segments: expect.arrayContaining(['__TEXT', '__LINKEDIT', 'NODE_SEA']), signed: false });
      expect(darwinArm64.toString('utf8', 0, 10)).toBe('#!/bin/sh\n');
      const notes = await readFile(join(releaseDir, 'RELEASE_NOTES.md'), 'utf8');
      expect(notes).toContain(`## [${VERSION}]`);
      expect(notes).toMatch(/\| darwin_arm64 \| JavaScript executable: needs Node\.js >= 20 on PATH \|/);
      expect(notes).toMatch(/\| linux_amd64 \| single executable with Node\.js 20\.\d+\.\d+ embedded \|/);
    }, 120_000);

    it('is installed by terraform init from an unpacked filesystem mirror and applies, with no node on PATH', async () => {
      const platform = currentPlatform();
      const mirror = join(work, 'mirror');
      const target = join(mirror, 'registry.terraform.io/outscale/outscale', VERSION, platform);
      mkdirSync(target, { recursive: true });
      for (const entry of readZip(await readFile(join(releaseDir, `${PREFIX}_${platform}.zip`)))) {
        writeFileSync(join(target, entry.name), entry.data);
        chmodSync(join(target, entry.name), entry.mode & 0o777);
      }
      const version = await runProcess(join(target, EXECUTABLE), ['--version'], { cwd: work, env: { PATH: noNodePath }, timeoutMs: 60_000 });
      expect(version.stdout).toBe(`terraform-provider-outscale ${VERSION}\n`);
      const cliConfig = join(work, 'unpacked.tfrc');
      await writeFile(cliConfig, mirrorCliConfig(mirror));
      const tf = await workspaceForTest({
        env: { ...sandboxEnv(sandbox), HOME: work, TF_CLI_CONFIG_FILE: cliConfig, PATH: noNodePath },
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
    }, 300_000);

    it('is installed from the packed zip in a filesystem mirror (Terraform unzips it) with the same package hash', async () => {
      const platform = currentPlatform();
      const mirror = join(work, 'packed-mirror');
      const dir = join(mirror, 'registry.terraform.io/outscale/outscale');
      mkdirSync(dir, { recursive: true });
      await copyFile(join(releaseDir, `${PREFIX}_${platform}.zip`), join(dir, `${PREFIX}_${platform}.zip`));
      const cliConfig = join(work, 'packed.tfrc');
      await writeFile(cliConfig, mirrorCliConfig(mirror));
      const tf = await workspaceForTest({
        env: { ...sandboxEnv(sandbox), HOME: work, TF_CLI_CONFIG_FILE: cliConfig, PATH: noNodePath },
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
    }, 300_000);

    it('npm run mirror: a network mirror over HTTPS (private CA via SSL_CERT_FILE) installs it; providers lock hashes 3 platforms', async () => {
      const mirrorDir = join(work, 'network-mirror');
      const written = await runProcess(process.execPath, [join(repoPaths.root, 'scripts/mirror.mjs'), mirrorDir, '--from', releaseDir], {
        cwd: repoPaths.root,
        env: process.env,
        timeoutMs: 120_000,
      });
      expect(written.code, written.stderr).toBe(0);
      const providerDir = join(mirrorDir, 'registry.terraform.io/outscale/outscale');
      expect(JSON.parse(await readFile(join(providerDir, 'index.json'), 'utf8'))).toEqual({ versions: { [VERSION]: {} } });
      const versionJson = JSON.parse(await readFile(join(providerDir, `${VERSION}.json`), 'utf8'));
      const sums = await readFile(join(releaseDir, `${PREFIX}_SHA256SUMS`), 'utf8');
      for (const platform of PLATFORMS) {
        const zip = `${PREFIX}_${platform}.zip`;
        const hash = new RegExp(`^([0-9a-f]{64})  ${zip}$`, 'm').exec(sums)![1]!;
        expect(versionJson.archives[platform]).toEqual({ url: zip, hashes: [`zh:${hash}`] });
        expect(sha256(await readFile(join(providerDir, zip)))).toBe(hash);
      }

      const ca = await makeTestCa('mirror CA');
      const caFile = join(work, 'mirror-ca.pem');
      await writeFile(caFile, ca.certPem);
      const served = await serveDirectory(mirrorDir, await ca.issue({ dns: ['localhost'], ips: ['127.0.0.1'] }));
      try {
        const cliConfig = join(work, 'network.tfrc');
        await writeFile(
          cliConfig,
          `provider_installation {\n  network_mirror {\n    url     = ${hclString(served.url)}\n    include = ["registry.terraform.io/outscale/outscale"]\n  }\n}\n`,
        );
        const tf = await workspaceForTest({
          env: { ...sandboxEnv(sandbox), HOME: work, TF_CLI_CONFIG_FILE: cliConfig, SSL_CERT_FILE: caFile, PATH: noNodePath },
          config: CONFIG,
        });
        const init = await tf.init();
        expect(init.stdout).toContain(`Installed outscale/outscale v${VERSION}`);
        expect(served.requests).toEqual(
          expect.arrayContaining([
            '/registry.terraform.io/outscale/outscale/index.json',
            `/registry.terraform.io/outscale/outscale/${VERSION}.json`,
            `/registry.terraform.io/outscale/outscale/${PREFIX}_${currentPlatform()}.zip`,
          ]),
        );
        await tf.apply();
        expect(await tf.resource('outscale_image.released')).toMatchObject({ state: 'available' });
        await tf.destroy();

        const platforms = ['linux_amd64', 'linux_arm64', 'darwin_amd64'];
        await tf.run(['providers', 'lock', `-net-mirror=${served.url}`, ...platforms.map((p) => `-platform=${p}`)]);
        // A mirror's zh: hashes are not signed, so Terraform downloads each platform's package and records its h1:.
        const lock = await readFile(tf.path('.terraform.lock.hcl'), 'utf8');
        const recorded = [...lock.matchAll(/"(h1:[A-Za-z0-9+/=]{44})"/g)].map((m) => m[1]);
        const expected = await Promise.all(platforms.map(async (p) => packageHash1(await readFile(join(releaseDir, `${PREFIX}_${p}.zip`)))));
        expect(new Set(recorded)).toEqual(new Set(expected));
        expect(new Set(expected).size).toBe(platforms.length);
      } finally {
        await new Promise<void>((resolve) => served.server.close(() => resolve()));
      }
    }, 400_000);
  },
  { needsProvider: true },
);
