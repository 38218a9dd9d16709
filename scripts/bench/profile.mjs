#!/usr/bin/env node
// Where the provider's CPU goes (issue 12): a CPU profile of the warm resident while terraform runs commands on N
// OMIs against the sandbox, summed by module (self time) and by function (time on the stack), from samples taken
// after a warm-up, so that start-up and JIT compilation are left out.
//
//   BUILD_MINIFY=0 npm run build        # readable function names (npm run build restores the minified bundle)
//   node scripts/bench/profile.mjs [N=100] [commands=plan,plan,plan] [--keep DIR]
//
// Commands are plan, apply or destroy, run in order after the warm-up (which leaves N OMIs in state for plans, none
// for applies). The profile (.cpuprofile, for Chrome DevTools) is kept in DIR when --keep is given.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandboxProcess } from '../sandbox-process.mjs';
import { imageConfig, mustRun, terraformEnv, writeWorkspace } from './terraform.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const keepAt = args.indexOf('--keep');
const keep = keepAt >= 0 ? args.splice(keepAt, 2)[1] : undefined;
const n = Number(args[0] ?? 100);
const commands = (args[1] ?? 'plan,plan,plan').split(',');
const ARGS = {
  plan: ['plan', '-input=false', '-no-color'],
  apply: ['apply', '-auto-approve', '-input=false', '-no-color'],
  destroy: ['destroy', '-auto-approve', '-input=false', '-no-color'],
};

const work = mkdtempSync(join(tmpdir(), 'osc-profile-'));
const warmDir = join(work, 'warm');
const profileDir = keep ? resolve(keep) : join(work, 'profile');
mkdirSync(warmDir, { mode: 0o700 });
mkdirSync(profileDir, { recursive: true });
const tfrc = join(work, 'tfrc');
writeFileSync(tfrc, `provider_installation {\n  dev_overrides {\n    "outscale/outscale" = "${join(root, 'bin')}"\n  }\n  direct {}\n}\n`);

const sandbox = await startSandboxProcess(root, ['--image-pending-ms', '0']);
const env = terraformEnv({ ...sandbox.vars, TF_CLI_CONFIG_FILE: tfrc, OUTSCALE_PROVIDER_WARM_DIR: warmDir });
const dir = writeWorkspace(join(work, 'workspace'), imageConfig(n));
const run = (command) => mustRun(dir, ARGS[command], env, [0, 2]);

// The resident the launcher would start, under the profiler; launches find it by its socket in warmDir.
const spawnedAt = Date.now();
const resident = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=100', join(root, 'bin/terraform-provider-outscale-node'), '--resident'], {
  env: { PATH: process.env.PATH, HOME: process.env.HOME, OUTSCALE_PROVIDER_WARM_DIR: warmDir },
  stdio: 'ignore',
  cwd: '/',
});
while (!readdirSync(warmDir).some((f) => f.endsWith('.sock'))) await new Promise((r) => setTimeout(r, 50));

for (const command of ['apply', 'destroy', 'apply', ...(commands[0] === 'plan' ? [] : ['destroy'])]) await run(command);
const measuredFromMs = Date.now() - spawnedAt;
for (const command of commands) {
  const { ms } = await run(command);
  process.stderr.write(`${command} N=${n}: ${Math.round(ms)} ms\n`);
}
await new Promise((done) => {
  resident.once('exit', done);
  resident.kill('SIGTERM');
});
await mustRun(dir, ARGS.destroy, { ...env, OUTSCALE_PROVIDER_WARM: '0' });
await sandbox.stop();

// ---- summary ----
const bundle = readFileSync(join(root, 'dist/terraform-provider-outscale.cjs'), 'utf8').split('\n');
const moduleStarts = [];
bundle.forEach((line, i) => {
  const m = /^\/\/ (\S+\.(?:ts|js|cjs|mjs|json))$/.exec(line);
  if (m) moduleStarts.push([i, m[1].replace(/^node_modules\//, '')]);
});
if (moduleStarts.length === 0) process.stderr.write('the bundle is minified: run BUILD_MINIFY=0 npm run build for names\n');
function moduleAt(line) {
  let found = '(bundle)';
  for (const [start, name] of moduleStarts) {
    if (start > line) break;
    found = name;
  }
  return found;
}
const label = (frame) => {
  if (frame.url.endsWith('terraform-provider-outscale.cjs')) return moduleAt(frame.lineNumber);
  if (frame.url.startsWith('node:')) return frame.url.split('/').slice(0, 2).join('/');
  return frame.functionName.startsWith('(') ? frame.functionName : frame.url || '(native)';
};
const self = new Map();
const onStack = new Map();
let busyUs = 0;
for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t - profile.startTime < measuredFromMs * 1000) continue;
    const leaf = nodes.get(profile.samples[i]);
    if (leaf.callFrame.functionName === '(idle)') continue;
    busyUs += dt;
    self.set(label(leaf.callFrame), (self.get(label(leaf.callFrame)) ?? 0) + dt);
    const seen = new Set();
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
      const frame = nodes.get(id).callFrame;
      if (!frame.url.endsWith('terraform-provider-outscale.cjs')) continue;
      const key = `${frame.functionName || '(anonymous)'} [${moduleAt(frame.lineNumber)}]`;
      if (seen.has(key)) continue;
      seen.add(key);
      onStack.set(key, (onStack.get(key) ?? 0) + dt);
    }
  }
}
const table = (map, rows) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([name, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / busyUs).toFixed(1).padStart(5)} %  ${name}`)
    .join('\n');
console.log(`resident CPU while terraform ran ${commands.join(', ')} on ${n} OMIs: ${(busyUs / 1000).toFixed(0)} ms (profiler on)`);
console.log(`\nself time by module:\n${table(self, 30)}`);
console.log(`\ntime on the stack, bundle functions:\n${table(onStack, 40)}`);
if (keep) console.log(`\nprofile kept in ${profileDir}`);
rmSync(work, { recursive: true, force: true });
