#!/usr/bin/env node
// Start-up benchmark: how long from spawning the provider (as Terraform does) to its handshake line, compared with
// a bare `node -e ''`. Every provider instance of every terraform command pays this.
//
//   node scripts/measure-startup.mjs [N=20] [--json FILE] [--bin PATH] [--also NAME=PATH]… [--warmup K=1]
//
// --also adds other builds of the provider (e.g. the single executable of a release), launched in the same
// interleaved rounds, each with its ratio to node -e ''.

import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as x509 from '@peculiar/x509';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAGIC_COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const LAUNCH_TIMEOUT_MS = 30_000;

function parseArgs(argv) {
  const options = { n: 20, json: undefined, bin: join(root, 'bin/terraform-provider-outscale'), warmup: 1, also: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = resolve(argv[++i]);
    else if (arg === '--bin') options.bin = resolve(argv[++i]);
    else if (arg === '--warmup') options.warmup = Number(argv[++i]);
    else if (arg === '--also') {
      const [name, ...path] = String(argv[++i]).split('=');
      options.also.push({ name, bin: resolve(path.join('=')) });
    }
    else if (/^\d+$/.test(arg)) options.n = Number(arg);
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

/** A client certificate like Terraform's AutoMTLS one: ECDSA P-521, self-signed, SAN localhost. */
async function terraformLikeClientCert() {
  x509.cryptoProvider.set(webcrypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-521', hash: 'SHA-512' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=localhost, O=HashiCorp',
    notBefore: new Date(Date.now() - 30_000),
    notAfter: new Date(Date.now() + 24 * 3600_000),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }]),
    ],
  });
  return cert.toString('pem');
}

function msSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Spawn → first stdout line; then SIGTERM (lets it remove its socket) and wait for exit. */
function timeHandshake(bin, env) {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(bin, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let elapsed;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no handshake within ${LAUNCH_TIMEOUT_MS} ms; stderr: ${err}`));
    }, LAUNCH_TIMEOUT_MS);
    child.stderr.on('data', (chunk) => (err += chunk));
    child.stdout.on('data', (chunk) => {
      if (elapsed !== undefined) return;
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      elapsed = msSince(start);
      const line = out.slice(0, newline);
      if (!/^1\|6\|(unix|tcp)\|[^|]+\|grpc\|[A-Za-z0-9+/]{50,}$/.test(line)) {
        reject(new Error(`unexpected handshake line: ${line}`));
      }
      child.kill('SIGTERM');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (elapsed === undefined) reject(new Error(`exited (${code ?? signal}) before the handshake; stderr: ${err}`));
      else resolvePromise(elapsed);
    });
  });
}

function timeNodeNoop() {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolvePromise(msSince(start)) : reject(new Error(`node -e exited ${code}`))));
  });
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const median =
    sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return {
    n: sorted.length,
    median: round(median),
    p90: round(at(0.9)),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
    mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
  };
}

const round = (v) => Math.round(v * 10) / 10;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(options.bin)) throw new Error(`${options.bin} not found: run npm run build first`);
  const env = {
    ...process.env,
    TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: '6',
    PLUGIN_MIN_PORT: '10000',
    PLUGIN_MAX_PORT: '25000',
    PLUGIN_CLIENT_CERT: await terraformLikeClientCert(),
  };
  delete env.TF_LOG;
  delete env.TF_LOG_PROVIDER;

  for (const extra of options.also) if (!existsSync(extra.bin)) throw new Error(`${extra.bin} not found`);
  // The warm-up also lets a build write its code cache.
  for (let i = 0; i < options.warmup; i++) {
    await timeHandshake(options.bin, env);
    for (const extra of options.also) await timeHandshake(extra.bin, env);
    await timeNodeNoop();
  }
  const handshake = [];
  const nodeNoop = [];
  const extraSamples = options.also.map(() => []);
  // Interleaved so that machine load drifts affect every series alike.
  for (let i = 0; i < options.n; i++) {
    handshake.push(await timeHandshake(options.bin, env));
    for (const [k, extra] of options.also.entries()) extraSamples[k].push(await timeHandshake(extra.bin, env));
    nodeNoop.push(await timeNodeNoop());
  }
  const result = {
    bin: options.bin,
    node: process.version,
    warmup: options.warmup,
    handshake: stats(handshake),
    nodeNoop: stats(nodeNoop),
    ratioOfMedians: 0,
    samples: { handshake: handshake.map(round), nodeNoop: nodeNoop.map(round) },
  };
  result.ratioOfMedians = round(result.handshake.median / result.nodeNoop.median);
  result.also = options.also.map((extra, k) => {
    const s = stats(extraSamples[k]);
    return { name: extra.name, bin: extra.bin, handshake: s, ratioOfMedians: round(s.median / result.nodeNoop.median) };
  });

  const row = (name, s) =>
    `${name.padEnd(22)} median ${String(s.median).padStart(7)} ms  p90 ${String(s.p90).padStart(7)} ms  ` +
    `min ${String(s.min).padStart(7)} ms  max ${String(s.max).padStart(7)} ms`;
  console.log(`start-up, ${options.n} launches each (${options.warmup} warm-up), node ${process.version}`);
  console.log(row('spawn → handshake line', result.handshake));
  for (const extra of result.also) console.log(row(`${extra.name} → handshake`, extra.handshake) + `  (${extra.ratioOfMedians}×)`);
  console.log(row("node -e ''", result.nodeNoop));
  console.log(`ratio of medians: ${result.ratioOfMedians}×`);
  if (options.json) {
    writeFileSync(options.json, JSON.stringify(result, null, 2) + '\n');
    console.log(`written ${options.json}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
