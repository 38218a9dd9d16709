#!/usr/bin/env node
// Benchmark (`npm run bench`, which builds first): everything side by side in one run on this machine.
//   (a) start-up: spawn → handshake line of the provider vs `node -e ''` (scripts/measure-startup.mjs, medians)
//   (b) terraform apply / plan / destroy of N outscale_image (sandbox, OMIs available at once) vs N terraform_data,
//       and the cost of each extra resource (N 10 → 100) with its ratio
//   (c) peak memory (VmHWM) of the provider processes during the largest apply
//   (d) OUTSCALE API calls per OMI created / refreshed / destroyed (sandbox's GET /_sandbox/calls)
//   (e) waiting: how late the provider notices an OMI became available, and ReadImages calls per minute of waiting
//   (a') with a release built (`npm run release`, or --release DIR): the same start-up of this platform's single
//       executable (Node embedded), in the same interleaved rounds
// Prints a table with the goals, writes bench-results/bench-<date>.json.
//
//   node scripts/bench.mjs [--quick] [--reps R] [--startup-n N] [--out FILE] [--release DIR]
//   --quick: N = 1 and 10, fewer repetitions, 20 s instead of 60 s of waiting

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchProviderMemory } from './bench/memory.mjs';
import { readZipEntries } from './release/zip.mjs';
import { startSandboxProcess } from './sandbox-process.mjs';
import { countBy, median, round } from './bench/stats.mjs';
import { imageConfig, mustRun, terraformDataConfig, terraformEnv, writeWorkspace } from './bench/terraform.mjs';
import { writeCliConfig } from './write-cli-config.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GOALS = { startupRatio: 1.3, perExtraRatio: 1.5, peakMiB: 80 };
const WAIT_PENDING_MS = 3000;

function parseArgs(argv) {
  const options = { quick: false, reps: undefined, startupN: undefined, out: undefined, release: join(root, 'release') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--reps') options.reps = Number(argv[++i]);
    else if (arg === '--startup-n') options.startupN = Number(argv[++i]);
    else if (arg === '--out') options.out = resolve(argv[++i]);
    else if (arg === '--release') options.release = resolve(argv[++i]);
    else throw new Error(`unknown argument ${arg} (usage: node scripts/bench.mjs [--quick] [--reps R] [--startup-n N] [--out FILE] [--release DIR])`);
  }
  options.reps ??= options.quick ? 2 : 3;
  options.startupN ??= options.quick ? 20 : 30;
  options.sizes = options.quick ? [1, 10] : [1, 10, 100];
  options.longWaitMs = options.quick ? 20_000 : 60_000;
  return options;
}

const progress = (text) => process.stderr.write(`[bench] ${text}\n`);

function terraformVersion() {
  const result = spawnSync('terraform', ['version', '-json'], {
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) return undefined;
  return JSON.parse(result.stdout).terraform_version;
}

/** This platform's single executable from the release zip in `releaseDir`, unpacked into `work`; else undefined. */
function releasedSingleExecutable(releaseDir, work) {
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const platform = `${{ linux: 'linux', darwin: 'darwin' }[process.platform]}_${{ x64: 'amd64', arm64: 'arm64' }[process.arch]}`;
  const zip = join(releaseDir, `terraform-provider-outscale_${version}_${platform}.zip`);
  if (!existsSync(zip)) return undefined;
  const [entry] = readZipEntries(readFileSync(zip));
  if (entry.data.subarray(0, 2).toString() === '#!') return undefined; // the JavaScript form, not a single executable
  const file = join(work, entry.name);
  writeFileSync(file, entry.data, { mode: 0o755 });
  return file;
}

function measureStartup(n, singleExecutable) {
  const json = join(tmpdir(), `bench-startup-${process.pid}.json`);
  const also = singleExecutable ? ['--also', `single-executable=${singleExecutable}`] : [];
  const result = spawnSync(process.execPath, [join(root, 'scripts/measure-startup.mjs'), String(n), '--json', json, ...also], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`measure-startup failed: ${result.stderr}`);
  const parsed = JSON.parse(readFileSync(json, 'utf8'));
  rmSync(json, { force: true });
  const sea = parsed.also[0] && { handshake: parsed.also[0].handshake, ratio: parsed.also[0].ratioOfMedians };
  return { n, handshake: parsed.handshake, nodeNoop: parsed.nodeNoop, ratio: parsed.ratioOfMedians, singleExecutable: sea };
}

function callsBetween(calls, fromIndex) {
  return calls.slice(fromIndex);
}

/** apply → plan (must be empty) → destroy, `reps` times, in one workspace; medians and call counts. */
async function scaleRun({ kind, n, reps, dir, env, sandbox, watchMemory }) {
  const times = { apply: [], plan: [], destroy: [] };
  const calls = {};
  let memory;
  for (let rep = 0; rep < reps; rep++) {
    for (const command of ['apply', 'plan', 'destroy']) {
      const args =
        command === 'plan'
          ? ['plan', '-input=false', '-no-color', '-detailed-exitcode']
          : [command, '-auto-approve', '-input=false', '-no-color'];
      const before = sandbox && kind === 'outscale_image' ? (await sandbox.calls()).length : 0;
      const watcher = watchMemory && command === 'apply' && rep === 0 ? watchProviderMemory() : undefined;
      const result = await mustRun(dir, args, env);
      if (watcher) memory = watcher.stop();
      times[command].push(result.ms);
      if (sandbox && kind === 'outscale_image' && rep === 0) {
        const made = callsBetween(await sandbox.calls(), before);
        calls[command] = { total: made.length, byAction: countBy(made, (call) => call.action) };
      }
    }
  }
  return {
    kind,
    n,
    ms: Object.fromEntries(Object.entries(times).map(([command, values]) => [command, round(median(values), 0)])),
    samples: Object.fromEntries(Object.entries(times).map(([command, values]) => [command, values.map((v) => round(v, 0))])),
    ...(Object.keys(calls).length ? { calls } : {}),
    ...(memory ? { memory } : {}),
  };
}

async function waitingLatency({ work, cliConfig, reps, baselineApplyMs }) {
  const sandbox = await startSandboxProcess(root, ['--image-pending-ms', String(WAIT_PENDING_MS)]);
  try {
    const dir = writeWorkspace(join(work, 'wait-latency'), imageConfig(1));
    const env = terraformEnv({ ...sandbox.vars, TF_CLI_CONFIG_FILE: cliConfig });
    const applies = [];
    let reads;
    for (let rep = 0; rep < reps; rep++) {
      const before = (await sandbox.calls()).length;
      applies.push((await mustRun(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env)).ms);
      if (rep === 0) reads = (await sandbox.calls()).slice(before).filter((call) => call.action === 'ReadImages').length;
      await mustRun(dir, ['destroy', '-auto-approve', '-input=false', '-no-color'], env);
    }
    const applyMs = median(applies);
    return {
      imagePendingMs: WAIT_PENDING_MS,
      applyMs: round(applyMs, 0),
      baselineApplyMs: round(baselineApplyMs, 0),
      latencyMs: round(applyMs - WAIT_PENDING_MS - baselineApplyMs, 0),
      readImagesDuringApply: reads,
      samples: applies.map((v) => round(v, 0)),
    };
  } finally {
    await sandbox.stop();
  }
}

async function waitingCallRate({ work, cliConfig, waitMs }) {
  const sandbox = await startSandboxProcess(root, ['--image-pending-ms', String(waitMs)]);
  try {
    const dir = writeWorkspace(join(work, 'wait-rate'), imageConfig(1));
    const env = terraformEnv({ ...sandbox.vars, TF_CLI_CONFIG_FILE: cliConfig });
    const apply = await mustRun(dir, ['apply', '-auto-approve', '-input=false', '-no-color'], env);
    const calls = await sandbox.calls();
    const created = calls.find((call) => call.action === 'CreateImage' && call.status === 200);
    if (!created) throw new Error('no CreateImage call recorded');
    const during = calls.filter(
      (call) => call.action === 'ReadImages' && call.at > created.at && call.at <= created.at + waitMs,
    ).length;
    await mustRun(dir, ['destroy', '-auto-approve', '-input=false', '-no-color'], env);
    return {
      imagePendingMs: waitMs,
      applyMs: round(apply.ms, 0),
      readImagesWhileWaiting: during,
      readImagesPerMinute: round((during * 60_000) / waitMs, 1),
    };
  } finally {
    await sandbox.stop();
  }
}

function perExtra(runs, kind, command, from, to) {
  const at = (n) => runs.find((run) => run.kind === kind && run.n === n)?.ms[command];
  return (at(to) - at(from)) / (to - from);
}

// ---- report ----

const fmtMs = (v) => (v === undefined || Number.isNaN(v) ? '—' : `${round(v, 1)} ms`);
const ratioText = (v) => `${round(v, 2)}×`;

function verdict(ok, missedBy) {
  return ok ? 'met' : `MISSED by ${missedBy}`;
}

function printTable(rows) {
  const headers = ['figure', 'ours', 'baseline', 'ratio', 'goal', 'verdict'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i] ?? '').length)));
  const line = (cells) => cells.map((cell, i) => String(cell ?? '').padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

function report(result) {
  const { startup, scale, memory, calls, waiting, waitingRate, options } = result;
  const [from, to] = [options.sizes.at(-2), options.sizes.at(-1)];
  const rows = [];
  const startupMissed = startup.ratio > GOALS.startupRatio;
  rows.push([
    `start → handshake (median of ${startup.n})`,
    fmtMs(startup.handshake.median),
    `node -e '' ${fmtMs(startup.nodeNoop.median)}`,
    ratioText(startup.ratio),
    `≤ ${GOALS.startupRatio}×`,
    verdict(
      !startupMissed,
      `${round(startup.ratio - GOALS.startupRatio, 2)}× (${fmtMs(startup.handshake.median - GOALS.startupRatio * startup.nodeNoop.median)} too slow)`,
    ),
  ]);
  if (startup.singleExecutable) {
    const sea = startup.singleExecutable;
    rows.push([
      `start → handshake, single executable (median of ${startup.n})`,
      fmtMs(sea.handshake.median),
      `node -e '' ${fmtMs(startup.nodeNoop.median)}; launcher ${fmtMs(startup.handshake.median)}`,
      ratioText(sea.ratio),
      `≤ ${GOALS.startupRatio}×`,
      verdict(sea.ratio <= GOALS.startupRatio, `${round(sea.ratio - GOALS.startupRatio, 2)}×`),
    ]);
  }
  for (const n of options.sizes) {
    for (const command of ['apply', 'plan', 'destroy']) {
      const ours = scale.find((run) => run.kind === 'outscale_image' && run.n === n).ms[command];
      const base = scale.find((run) => run.kind === 'terraform_data' && run.n === n).ms[command];
      rows.push([`${command} N=${n}`, fmtMs(ours), `terraform_data ${fmtMs(base)}`, ratioText(ours / base), '', '']);
    }
  }
  for (const command of ['apply', 'plan', 'destroy']) {
    const ours = perExtra(scale, 'outscale_image', command, from, to);
    const base = perExtra(scale, 'terraform_data', command, from, to);
    const ratio = ours / base;
    const hasGoal = command !== 'destroy';
    rows.push([
      `${command}: cost per extra resource (N ${from}→${to})`,
      fmtMs(ours),
      `terraform_data ${fmtMs(base)}`,
      ratioText(ratio),
      hasGoal ? `≤ ${GOALS.perExtraRatio}×` : '',
      hasGoal ? verdict(ratio <= GOALS.perExtraRatio, `${round(ratio - GOALS.perExtraRatio, 2)}× (${fmtMs(ours - GOALS.perExtraRatio * base)} per resource)`) : '',
    ]);
  }
  rows.push([
    `peak provider memory, apply N=${to} (VmHWM)`,
    memory.peakMiB === undefined ? 'n/a (needs /proc)' : `${memory.peakMiB} MiB`,
    `${memory.processes} provider processes`,
    '',
    `< ${GOALS.peakMiB} MiB${to < 100 ? ' (at N=100)' : ''}`,
    memory.peakMiB === undefined ? '' : verdict(memory.peakMiB < GOALS.peakMiB, `${round(memory.peakMiB - GOALS.peakMiB, 1)} MiB`),
  ]);
  for (const command of ['apply', 'plan', 'destroy']) {
    const counted = calls[command];
    const breakdown = Object.entries(counted.byAction)
      .map(([action, count]) => `${action} ${round(count / calls.n, 2)}`)
      .join(', ');
    rows.push([`API calls per OMI, ${command} N=${calls.n}`, `${round(counted.total / calls.n, 2)}`, breakdown, '', '', '']);
  }
  rows.push([
    `noticing an available OMI (pending ${waiting.imagePendingMs} ms)`,
    fmtMs(waiting.latencyMs),
    `apply ${fmtMs(waiting.applyMs)} − ${waiting.imagePendingMs} − N=1 apply ${fmtMs(waiting.baselineApplyMs)}`,
    '',
    '',
    '',
  ]);
  rows.push([
    `ReadImages per minute of waiting`,
    `${waitingRate.readImagesPerMinute}`,
    `${waitingRate.readImagesWhileWaiting} calls in ${waitingRate.imagePendingMs / 1000} s`,
    '',
    '',
    '',
  ]);
  printTable(rows);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const terraform = terraformVersion();
  if (!terraform) throw new Error('terraform is not on PATH: the benchmark drives the real terraform CLI');
  if (!existsSync(join(root, 'bin/terraform-provider-outscale'))) throw new Error('run `npm run build` first');

  const started = new Date();
  const work = mkdtempSync(join(tmpdir(), 'bench-'));
  const cliConfig = writeCliConfig({ out: join(work, 'dev.tfrc') });
  const result = {
    date: started.toISOString(),
    machine: {
      node: process.version,
      terraform,
      platform: `${process.platform}/${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadavgAtStart: loadavg().map((v) => round(v, 2)),
    },
    options,
    goals: GOALS,
  };
  try {
    const singleExecutable = releasedSingleExecutable(options.release, work);
    progress(`start-up: ${options.startupN} launches of the provider${singleExecutable ? ', of its single executable' : ''} and of node -e '', interleaved`);
    result.startup = measureStartup(options.startupN, singleExecutable);

    const sandbox = await startSandboxProcess(root, ['--image-pending-ms', '0']);
    const scale = [];
    try {
      const imageEnv = terraformEnv({ ...sandbox.vars, TF_CLI_CONFIG_FILE: cliConfig });
      const dataEnv = terraformEnv({ TF_CLI_CONFIG_FILE: cliConfig });
      for (const n of options.sizes) {
        const dataDir = writeWorkspace(join(work, `data-${n}`), terraformDataConfig(n));
        await mustRun(dataDir, ['init', '-input=false', '-no-color'], dataEnv);
        progress(`N=${n}: terraform_data × ${options.reps}`);
        scale.push(await scaleRun({ kind: 'terraform_data', n, reps: options.reps, dir: dataDir, env: dataEnv }));
        progress(`N=${n}: outscale_image × ${options.reps}`);
        const imageDir = writeWorkspace(join(work, `image-${n}`), imageConfig(n));
        scale.push(
          await scaleRun({
            kind: 'outscale_image',
            n,
            reps: options.reps,
            dir: imageDir,
            env: imageEnv,
            sandbox,
            watchMemory: n === options.sizes.at(-1),
          }),
        );
      }
    } finally {
      await sandbox.stop();
    }
    result.scale = scale;
    const largest = scale.find((run) => run.kind === 'outscale_image' && run.n === options.sizes.at(-1));
    result.memory = largest.memory;
    result.calls = { n: largest.n, ...largest.calls };
    const [from, to] = [options.sizes.at(-2), options.sizes.at(-1)];
    result.perExtraResource = Object.fromEntries(
      ['apply', 'plan', 'destroy'].map((command) => {
        const ours = perExtra(scale, 'outscale_image', command, from, to);
        const base = perExtra(scale, 'terraform_data', command, from, to);
        return [command, { from, to, outscaleImageMs: round(ours, 2), terraformDataMs: round(base, 2), ratio: round(ours / base, 2) }];
      }),
    );

    progress(`waiting: 1 OMI pending ${WAIT_PENDING_MS} ms × ${options.reps}`);
    const baselineApplyMs = scale.find((run) => run.kind === 'outscale_image' && run.n === 1).ms.apply;
    result.waiting = await waitingLatency({ work, cliConfig, reps: options.reps, baselineApplyMs });
    progress(`waiting: 1 OMI pending ${options.longWaitMs / 1000} s (ReadImages rate)`);
    result.waitingRate = await waitingCallRate({ work, cliConfig, waitMs: options.longWaitMs });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  result.durationS = round((Date.now() - started.getTime()) / 1000, 0);

  console.log(
    `\nbenchmark ${result.date} — node ${result.machine.node}, terraform ${terraform}, ${result.machine.cpus} CPUs ` +
      `(${result.machine.cpuModel}), load ${result.machine.loadavgAtStart.join(' ')}${options.quick ? ', --quick' : ''}, ` +
      `${options.reps} repetitions (medians), ${result.durationS} s\n`,
  );
  report(result);
  const out = options.out ?? join(root, 'bench-results', `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwritten ${relative(process.cwd(), out) || out}`);
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
