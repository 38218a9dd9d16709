// The bench against real competitors (issue 12): the Go floor and the lean Node floor (../shared/floor: minimal
// providers speaking the same protocol) as rows next to ours, warm and cold, all measured in the same interleaved
// rounds; provider CPU per extra resource from the provider processes' own CPU time; API calls per command; the cost
// of API latency. Kept apart from bench.mjs so the two can change independently.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median, round } from './stats.mjs';
import { imageConfig, mustRun, terraformEnv, writeWorkspace } from './terraform.mjs';

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];
const PLAN = ['plan', '-input=false', '-no-color'];
const DESTROY = ['destroy', '-auto-approve', '-input=false', '-no-color'];
const COMMANDS = { apply: APPLY, plan: PLAN, destroy: DESTROY };

function floorConfig(count) {
  return `terraform {
  required_providers {
    floor = { source = "floor/floor" }
  }
}

resource "floor_thing" "bench" {
  count = ${count}
  name  = "bench-\${count.index}"
}
`;
}

function cliConfig(file, address, dir) {
  writeFileSync(file, `provider_installation {\n  dev_overrides {\n    "${address}" = "${dir}"\n  }\n  direct {}\n}\n`);
  return file;
}

/** Builds the floors with ../shared/floor/build.sh; { go, nodeLean } executables, or { skipped: reason }. */
export function buildFloors(root, out, progress) {
  const script = resolve(root, '..', 'shared', 'floor', 'build.sh');
  if (!existsSync(script)) return { skipped: `no ${script}` };
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    return { skipped: 'Go is not installed (see the apt-get line in ../shared/floor/README.md)' };
  }
  progress(`building the Go and lean Node floors (${script})`);
  const result = spawnSync('sh', [script], { cwd: root, env: { ...process.env, OUT: out }, encoding: 'utf8' });
  const go = join(out, 'go', 'terraform-provider-floor');
  const nodeLean = join(out, 'node-lean', 'terraform-provider-floor');
  if (result.status !== 0 || !existsSync(go)) return { skipped: `build.sh failed: ${(result.stderr || '').slice(-500)}` };
  return { go, ...(existsSync(nodeLean) ? { nodeLean } : {}) };
}

// ---- CPU of provider processes ----

// A provider's CPU, exactly: this wrapper runs it as its child and, once it exited, appends the child's
// getrusage(RUSAGE_CHILDREN) user+system microseconds to a file. Terraform runs the wrapper under the provider's name.
const CPU_METER_C = `#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  pid_t child = fork();
  if (child == 0) { execv(argv[2], argv + 2); _exit(127); }
  int status = 0;
  waitpid(child, &status, 0);
  struct rusage usage;
  getrusage(RUSAGE_CHILDREN, &usage);
  FILE *log = fopen(argv[1], "a");
  if (log) { fprintf(log, "%ld\\n", (long)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000L + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec); fclose(log); }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
`;

function buildCpuMeter(work) {
  const source = join(work, 'cpu-meter.c');
  const binary = join(work, 'cpu-meter');
  writeFileSync(source, CPU_METER_C);
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    if (spawnSync(cc, ['-O2', '-o', binary, source], { stdio: 'ignore' }).status === 0) return binary;
  }
  return undefined;
}

/** A directory holding `name`, a script that runs `real` under the CPU meter; the meter's log file. */
function meteredProviderDir(work, label, name, real, meter) {
  const dir = join(work, `metered-${label}`);
  mkdirSync(dir, { recursive: true });
  const log = join(work, `cpu-${label}.log`);
  const wrapper = join(dir, name);
  writeFileSync(wrapper, `#!/bin/sh\nexec "${meter}" "${log}" "${real}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  return { dir, log };
}

function takeCpuLog(log) {
  if (!existsSync(log)) return 0;
  const total = readFileSync(log, 'utf8').split('\n').filter(Boolean).reduce((sum, line) => sum + Number(line), 0);
  rmSync(log);
  return total / 1000;
}

/** utime+stime of a live process, in ms (clock ticks of 10 ms). */
/** CPU time of a process: the sum over its threads of /proc/PID/task/TID/schedstat (ns), else clock ticks. */
function processCpuMs(pid) {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    if (Number.isFinite(ns) && ns > 0) return ns / 1e6;
  } catch {
    // no schedstat: ticks below
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

// ---- the variants ----

/**
 * The rows: Go floor, lean Node floor (when built), ours warm, ours cold. Each has its CLI config, its config text and
 * its environment; ours share the sandbox.
 */
function variants({ work, root, floors, sandboxVars, warmDir, meter }) {
  const list = [];
  const floorEnv = (tfrc) => terraformEnv({ TF_CLI_CONFIG_FILE: tfrc });
  const ourEnv = (tfrc, warm) =>
    terraformEnv({ ...sandboxVars, TF_CLI_CONFIG_FILE: tfrc, OUTSCALE_PROVIDER_WARM: warm ? '1' : '0', OUTSCALE_PROVIDER_WARM_DIR: warmDir });
  const add = (label, address, binary, config, env, warm = false) => {
    const name = binary.split('/').at(-1);
    const tfrc = cliConfig(join(work, `${label}.tfrc`), address, binary.slice(0, -name.length - 1));
    const metered = meter ? meteredProviderDir(work, label, name, binary, meter) : undefined;
    const meteredTfrc = metered ? cliConfig(join(work, `${label}-metered.tfrc`), address, metered.dir) : undefined;
    list.push({ label, config, env: env(tfrc), meteredEnv: meteredTfrc && env(meteredTfrc), cpuLog: metered?.log, warm });
  };
  if (floors.go) add('Go floor', 'floor/floor', floors.go, floorConfig, floorEnv);
  if (floors.nodeLean) add('lean Node floor', 'floor/floor', floors.nodeLean, floorConfig, floorEnv);
  const ours = join(root, 'bin/terraform-provider-outscale');
  add('ours, warm', 'outscale/outscale', ours, imageConfig, (tfrc) => ourEnv(tfrc, true), true);
  add('ours, cold', 'outscale/outscale', ours, imageConfig, (tfrc) => ourEnv(tfrc, false));
  return list;
}

function residentPid(warmDir) {
  const id = readFileSync(join(warmDir, '..', 'build-id'), 'utf8').trim();
  const file = join(warmDir, `${id}.pid`);
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
}

/** SIGTERM to the residents whose pid files are in `dir` (the bench's own private directories). */
function stopResidents(dir) {
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (!name.endsWith('.pid')) continue;
    try {
      process.kill(Number(readFileSync(join(dir, name), 'utf8')), 'SIGTERM');
    } catch {
      // gone already
    }
  }
}

async function ensureResident(root, warmDir, variant, dir) {
  if (residentPid(warmDir) !== undefined) return;
  await mustRun(dir, ['validate', '-no-color'], variant.env);
  const deadline = Date.now() + 60_000;
  while (residentPid(warmDir) === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Fixed cost (N = 1) and provider CPU per extra resource (N from → to), interleaved: every round runs every
 * variant once. Returns per variant: medians of wall-clock ms per command at N=1, and CPU ms per extra resource.
 */
export async function floorComparison({ root, work, floors, sandboxVars, reps, from = 10, to = 100, progress }) {
  const warmDir = join(work, 'warm', 'run');
  mkdirSync(warmDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(work, 'warm', 'build-id'), readFileSync(join(root, 'dist/warm-build-id')));
  const meter = buildCpuMeter(work);
  const rows = variants({ work, root, floors, sandboxVars, warmDir, meter });
  const results = new Map(rows.map((v) => [v.label, { wall: { apply: [], plan: [], destroy: [] }, cpu: { apply: [], plan: [] } }]));
  const dirs = new Map();
  const dirFor = (variant, n) => {
    const key = `${variant.label}-${n}`;
    if (!dirs.has(key)) dirs.set(key, writeWorkspace(join(work, 'floors', key.replace(/[^a-z0-9-]/gi, '_')), variant.config(n)));
    return dirs.get(key);
  };
  for (const variant of rows) if (variant.warm) await ensureResident(root, warmDir, variant, dirFor(variant, 1));

  for (let rep = 0; rep < reps; rep++) {
    progress(`floors: round ${rep + 1}/${reps} (fixed cost N=1${meter ? `, CPU N=${from} and ${to}` : ''})`);
    for (const variant of rows) {
      const result = results.get(variant.label);
      for (const [command, args] of Object.entries(COMMANDS)) {
        result.wall[command].push((await mustRun(dirFor(variant, 1), args, variant.env)).ms);
      }
    }
    if (!meter) continue;
    for (const variant of rows) {
      const result = results.get(variant.label);
      const cpuOf = async (n, args) => {
        const before = variant.warm ? processCpuMs(residentPid(warmDir)) : 0;
        takeCpuLog(variant.cpuLog);
        await mustRun(dirFor(variant, n), args, variant.meteredEnv);
        const resident = variant.warm ? processCpuMs(residentPid(warmDir)) - before : 0;
        return takeCpuLog(variant.cpuLog) + resident;
      };
      const cpu = {};
      for (const n of [from, to]) {
        cpu[`apply${n}`] = await cpuOf(n, APPLY);
        cpu[`plan${n}`] = await cpuOf(n, PLAN);
        await mustRun(dirFor(variant, n), DESTROY, variant.meteredEnv);
      }
      result.cpu.apply.push((cpu[`apply${to}`] - cpu[`apply${from}`]) / (to - from));
      result.cpu.plan.push((cpu[`plan${to}`] - cpu[`plan${from}`]) / (to - from));
    }
  }
  stopResidents(warmDir);
  return {
    cpuMeasured: meter ? 'getrusage of each provider process (+ the resident process for warm)' : 'skipped: no C compiler',
    from,
    to,
    rows: rows.map((variant) => {
      const result = results.get(variant.label);
      return {
        label: variant.label,
        ms: Object.fromEntries(Object.entries(result.wall).map(([c, v]) => [c, round(median(v), 0)])),
        samples: result.wall,
        cpuPerExtraMs: meter ? Object.fromEntries(Object.entries(result.cpu).map(([c, v]) => [c, round(median(v), 2)])) : undefined,
      };
    }),
  };
}

/** API calls per command of ours (warm) for each N, and the plan's cost of `latencyMs` on every call. */
export async function callsAndLatency({ root, work, startSandboxProcess, sizes, latencyMs, reps, progress }) {
  const warmDir = join(work, 'calls-warm');
  mkdirSync(warmDir, { recursive: true, mode: 0o700 });
  const tfrc = cliConfig(join(work, 'calls.tfrc'), 'outscale/outscale', join(root, 'bin'));
  const calls = [];
  const sandbox = await startSandboxProcess(root, ['--image-pending-ms', '0']);
  try {
    const env = terraformEnv({ ...sandbox.vars, TF_CLI_CONFIG_FILE: tfrc, OUTSCALE_PROVIDER_WARM_DIR: warmDir });
    for (const n of sizes) {
      progress(`calls per command: N=${n}`);
      const dir = writeWorkspace(join(work, `calls-${n}`), imageConfig(n));
      const row = { n };
      for (const [command, args] of Object.entries(COMMANDS)) {
        const before = (await sandbox.calls()).length;
        await mustRun(dir, args, env);
        const made = (await sandbox.calls()).slice(before);
        row[command] = { total: made.length, readImages: made.filter((c) => c.action === 'ReadImages').length };
      }
      calls.push(row);
    }
  } finally {
    await sandbox.stop();
  }

  // Interleaved: a sandbox without latency and one with it, the plans alternating.
  const latency = {};
  const setups = [];
  try {
    for (const ms of [0, latencyMs]) {
      const sandbox = await startSandboxProcess(root, ['--image-pending-ms', '0', ...(ms ? ['--latency-ms', String(ms)] : [])]);
      const env = terraformEnv({ ...sandbox.vars, TF_CLI_CONFIG_FILE: tfrc, OUTSCALE_PROVIDER_WARM_DIR: warmDir });
      const dir = writeWorkspace(join(work, `latency-${ms}`), imageConfig(100));
      setups.push({ ms, sandbox, env, dir, plans: [] });
      progress(`latency ${ms} ms: apply of 100 OMIs`);
      await mustRun(dir, APPLY, env);
    }
    for (let rep = 0; rep < Math.max(reps, 3); rep++) {
      progress(`latency: plans, round ${rep + 1}`);
      for (const setup of setups) setup.plans.push((await mustRun(setup.dir, PLAN, setup.env)).ms);
    }
    for (const setup of setups) latency[setup.ms] = round(median(setup.plans), 0);
  } finally {
    for (const setup of setups) await setup.sandbox.stop();
  }
  stopResidents(warmDir);
  return { calls, latency: { latencyMs, planMs: latency, extraMs: round(latency[latencyMs] - latency[0], 0) } };
}

/**
 * Peak memory (VmHWM, which counts the pages of the node binary too): of every provider process of a normal start
 * (OUTSCALE_PROVIDER_WARM=0) through an apply and a plan of `n` OMIs, and of the resident while `parallel` terraform
 * processes at once apply and plan `perProcess` OMIs each.
 */
export async function peakMemory({ root, work, startSandboxProcess, n = 500, parallel = 5, perProcess = 100, progress }) {
  const { watchProviderMemory } = await import('./memory.mjs');
  const tfrc = cliConfig(join(work, 'memory.tfrc'), 'outscale/outscale', join(root, 'bin'));
  const warmDir = join(work, 'memory-warm');
  mkdirSync(warmDir, { recursive: true, mode: 0o700 });
  const sandbox = await startSandboxProcess(root, ['--image-pending-ms', '0']);
  const env = terraformEnv({ ...sandbox.vars, TF_CLI_CONFIG_FILE: tfrc, OUTSCALE_PROVIDER_WARM_DIR: warmDir });
  const measure = async (label, workspaces, extraEnv) => {
    progress(`memory: ${label}`);
    const watcher = watchProviderMemory();
    await Promise.all(workspaces.map((dir) => mustRun(dir, APPLY, { ...env, ...extraEnv })));
    await Promise.all(workspaces.map((dir) => mustRun(dir, PLAN, { ...env, ...extraEnv })));
    const seen = watcher.stop();
    await Promise.all(workspaces.map((dir) => mustRun(dir, DESTROY, { ...env, ...extraEnv })));
    return seen;
  };
  try {
    const cold = await measure(`normal start, N=${n}`, [writeWorkspace(join(work, 'memory-cold'), imageConfig(n))], { OUTSCALE_PROVIDER_WARM: '0' });
    const many = Array.from({ length: parallel }, (_, i) =>
      writeWorkspace(join(work, `memory-warm-${i}`), imageConfig(perProcess).replace(/bench-/g, `memory-${i}-`)),
    );
    const warm = await measure(`resident, ${parallel} terraform processes × N=${perProcess}`, many, {});
    return { n, parallel, perProcess, coldPeakMiB: cold.peakMiB, coldProcesses: cold.processes, residentPeakMiB: warm.peakMiB };
  } finally {
    stopResidents(warmDir);
    await sandbox.stop();
  }
}

/** Table rows (figure, ours, baseline, ratio, goal, verdict) for bench.mjs's printTable. */
export function floorRows(comparison, callsResult) {
  const rows = [];
  const go = comparison.rows.find((row) => row.label === 'Go floor');
  for (const command of ['plan', 'apply', 'destroy']) {
    for (const row of comparison.rows) {
      const ratio = go ? row.ms[command] / go.ms[command] : undefined;
      const isOursWarm = row.label === 'ours, warm';
      rows.push([
        `${command} N=1: ${row.label}`,
        `${row.ms[command]} ms`,
        go ? `Go floor ${go.ms[command]} ms` : 'no Go floor',
        ratio === undefined ? '' : `${round(ratio, 2)}×`,
        isOursWarm ? '≤ 1.5×' : '',
        isOursWarm && ratio !== undefined ? (ratio <= 1.5 ? 'met' : `MISSED by ${round(ratio - 1.5, 2)}×`) : '',
      ]);
    }
  }
  for (const command of ['plan', 'apply']) {
    const goal = command === 'plan' ? 1.5 : 2;
    for (const row of comparison.rows) {
      if (!row.cpuPerExtraMs) continue;
      const ours = row.label.startsWith('ours');
      const value = row.cpuPerExtraMs[command];
      rows.push([
        `provider CPU per extra resource, ${command} (N ${comparison.from}→${comparison.to}): ${row.label}`,
        `${value} ms`,
        go?.cpuPerExtraMs ? `Go floor ${go.cpuPerExtraMs[command]} ms` : '',
        go?.cpuPerExtraMs?.[command] > 0 ? `${round(value / go.cpuPerExtraMs[command], 1)}×` : '',
        ours ? `≤ ${goal} ms` : '',
        ours ? (value <= goal ? 'met' : `MISSED by ${round(value - goal, 2)} ms`) : '',
      ]);
    }
  }
  if (callsResult) {
    for (const row of callsResult.calls) {
      rows.push([
        `API calls, N=${row.n} (warm)`,
        `plan ${row.plan.total} (ReadImages ${row.plan.readImages})`,
        `apply ${row.apply.total}, destroy ${row.destroy.total}`,
        '',
        'plan ReadImages ≤ 2',
        row.plan.readImages <= 2 ? 'met' : `MISSED by ${row.plan.readImages - 2} calls`,
      ]);
    }
    const { latencyMs, planMs, extraMs } = callsResult.latency;
    rows.push([
      `plan of 100 OMIs with ${latencyMs} ms API latency`,
      `${planMs[latencyMs]} ms`,
      `no latency ${planMs[0]} ms`,
      `+${extraMs} ms`,
      '≤ +250 ms',
      extraMs <= 250 ? 'met' : `MISSED by ${extraMs - 250} ms`,
    ]);
  }
  return rows;
}

/** Everything above, for bench.mjs (and `node scripts/bench/floors.mjs [--quick] [--reps R]` on its own). */
export async function runFloors({ root, work, quick, reps, progress }) {
  const floors = buildFloors(root, join(work, 'floor-build'), progress);
  const out = { floors: floors.skipped ? { skipped: floors.skipped } : { go: floors.go, nodeLean: floors.nodeLean } };
  const { startSandboxProcess } = await import('../sandbox-process.mjs');
  const sandbox = await startSandboxProcess(root, ['--image-pending-ms', '0']);
  try {
    out.comparison = await floorComparison({
      root,
      work,
      floors: floors.skipped ? {} : floors,
      sandboxVars: sandbox.vars,
      reps,
      progress,
    });
  } finally {
    await sandbox.stop();
  }
  out.calls = await callsAndLatency({
    root,
    work,
    startSandboxProcess,
    sizes: quick ? [1, 10, 100] : [1, 10, 100, 500],
    latencyMs: 100,
    reps,
    progress,
  });
  if (process.platform === 'linux') out.memory = await peakMemory({ root, work, startSandboxProcess, n: quick ? 100 : 500, progress });
  return out;
}

export function floorsReportRows(floors) {
  if (!floors) return [];
  const rows = floorRows(floors.comparison, floors.calls);
  const memory = floors.memory;
  if (memory) {
    const verdict = (mib) => (mib < 80 ? 'met' : `MISSED by ${round(mib - 80, 1)} MiB`);
    rows.push([`peak memory, normal start, apply+plan N=${memory.n}`, `${memory.coldPeakMiB} MiB`, `${memory.coldProcesses} provider processes`, '', '< 80 MiB', verdict(memory.coldPeakMiB)]);
    rows.push([`peak memory, resident, ${memory.parallel} terraform processes × N=${memory.perProcess}`, `${memory.residentPeakMiB} MiB`, 'one process', '', '< 80 MiB', verdict(memory.residentPeakMiB)]);
  }
  if (floors.floors.skipped) rows.unshift(['Go / lean Node floor rows', 'skipped', floors.floors.skipped, '', '', '']);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { dirname } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const args = process.argv.slice(2);
  const reps = args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 3;
  const work = mkdtempSync(join(tmpdir(), 'bench-floors-'));
  const progress = (text) => process.stderr.write(`[bench] ${text}\n`);
  try {
    const result = await runFloors({ root, work, quick: args.includes('--quick'), reps, progress });
    const rows = floorsReportRows(result);
    const widths = [0, 1, 2, 3, 4, 5].map((i) => Math.max(...rows.map((row) => String(row[i] ?? '').length)));
    for (const row of rows) console.log(row.map((cell, i) => String(cell ?? '').padEnd(widths[i])).join('  ').trimEnd());
    mkdirSync(join(root, 'bench-results'), { recursive: true });
    writeFileSync(join(root, 'bench-results', `floors-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
