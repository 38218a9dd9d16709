// Bad input through the real terraform: over 200 generated invalid outscale_image configurations (wrong types, out
// of range values, conflicting modes, 100k-character strings, unicode, empty blocks, unknown attributes, nested
// garbage), many per configuration, through `terraform validate -json` and `terraform plan -json`. Every run must end
// with exit code 1 and every case with at least one error diagnostic of its own; nothing may crash or hang.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, providerBlock, useWorkspace, type RunResult } from './harness/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { badCases, batchCases, CREATION_MODE_CASES, META_CASES, renderBatch, UNPARSABLE_CONFIGS, type RenderedBatch } from './reliability/bad-configs.js';
import { crashMarkersIn, reliabilityEnv, report } from './reliability/helpers.js';

const BATCH_SIZE = 60;

interface JsonDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: { line: number } };
}

/** Diagnostics of `validate -json` (one document) or `plan -json` (one JSON message per line). */
function diagnosticsOf(result: RunResult): JsonDiagnostic[] {
  const text = result.stdout.trim();
  if (text.startsWith('{\n') || text.startsWith('{"format_version"')) {
    try {
      return (JSON.parse(text) as { diagnostics?: JsonDiagnostic[] }).diagnostics ?? [];
    } catch {
      // fall through to the line format
    }
  }
  const out: JsonDiagnostic[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line) as { type?: string; diagnostic?: JsonDiagnostic };
    if (message.type === 'diagnostic' && message.diagnostic) out.push(message.diagnostic);
  }
  return out;
}

/** Which generated block each error diagnostic belongs to: by resource address, else by its line in main.tf. */
function attribute(batch: RenderedBatch, diagnostics: JsonDiagnostic[]): { perBlock: Map<string, JsonDiagnostic[]>; unattributed: JsonDiagnostic[] } {
  const perBlock = new Map<string, JsonDiagnostic[]>(batch.blocks.map((b) => [b.name, []]));
  const unattributed: JsonDiagnostic[] = [];
  for (const d of diagnostics.filter((x) => x.severity === 'error')) {
    const byAddress = d.address ? /^outscale_image\.(c\d+)/.exec(d.address)?.[1] : undefined;
    const line = d.range?.filename === 'main.tf' ? d.range.start.line : undefined;
    const byLine = line === undefined ? undefined : batch.blocks.find((b) => line >= b.firstLine && line <= b.lastLine)?.name;
    const name = byAddress ?? byLine;
    if (name && perBlock.has(name)) perBlock.get(name)!.push(d);
    else unattributed.push(d);
  }
  return { perBlock, unattributed };
}

describeE2e('reliability: bad input', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: 300 });
  });
  afterAll(() => sandbox?.close());
  const tf = useWorkspace(() => ({ env: reliabilityEnv(sandbox) }));

  const cases = badCases();
  const batches: RenderedBatch[] = [];
  let offset = 0;
  for (const batch of batchCases(cases, BATCH_SIZE)) {
    batches.push(renderBatch(providerBlock(), batch, offset));
    offset += batch.length;
  }

  it('generates over 200 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((c) => c.label)).size).toBe(cases.length);
    expect(batches.reduce((n, b) => n + b.blocks.length, 0)).toBe(cases.length);
  });

  for (const command of ['validate', 'plan'] as const) {
    it(`terraform ${command}: every case gets its own error diagnostic, every run exits 1, nothing crashes`, async () => {
      const missing: string[] = [];
      let errors = 0;
      let runs = 0;
      const started = Date.now();
      const summaries = new Map<string, number>();
      for (const batch of batches) {
        await tf().writeConfig(batch.config);
        const args = command === 'validate' ? ['validate', '-json', '-no-color'] : ['plan', '-json', '-input=false', '-no-color'];
        const result = await tf().run(args, { allowFailure: true, timeoutMs: 120_000 });
        runs++;
        expect(result.timedOut).toBe(false);
        expect(result.code).toBe(1);
        expect(crashMarkersIn(result.stdout + result.stderr)).toEqual([]);
        const { perBlock, unattributed } = attribute(batch, diagnosticsOf(result));
        expect(unattributed.map((d) => `${d.summary}: ${d.detail ?? ''}`.slice(0, 300))).toEqual([]);
        for (const block of batch.blocks) {
          const found = perBlock.get(block.name)!;
          if (found.length === 0) missing.push(`${block.name} (${block.case.label})`);
          errors += found.length;
          for (const d of found) summaries.set(d.summary, (summaries.get(d.summary) ?? 0) + 1);
        }
      }
      expect(missing).toEqual([]);
      expect(errors).toBeGreaterThanOrEqual(cases.length);
      expect(crashMarkersIn(await tf().readLog())).toEqual([]);
      expect(sandbox.calls.filter((c) => c.action === 'CreateImage')).toEqual([]);
      report(`bad input ${command}`, { cases: cases.length, runs, errors, durationMs: Date.now() - started, summaries: Object.fromEntries(summaries) });
    }, 300_000);
  }

  it('creation-mode faults: validate accepts them, plan rejects each with its own diagnostic, nothing is created', async () => {
    const batch = renderBatch(providerBlock(), CREATION_MODE_CASES, 0);
    await tf().writeConfig(batch.config);
    const validated = await tf().run(['validate', '-json', '-no-color'], { allowFailure: true, timeoutMs: 120_000 });
    expect(diagnosticsOf(validated).filter((d) => d.severity === 'error')).toEqual([]);
    const planned = await tf().run(['plan', '-json', '-input=false', '-no-color'], { allowFailure: true, timeoutMs: 120_000 });
    expect(planned.code).toBe(1);
    expect(crashMarkersIn(planned.stdout + planned.stderr)).toEqual([]);
    const { perBlock, unattributed } = attribute(batch, diagnosticsOf(planned));
    expect(unattributed).toEqual([]);
    const missing = batch.blocks.filter((b) => perBlock.get(b.name)!.length === 0).map((b) => `${b.name} (${b.case.label})`);
    expect(missing).toEqual([]);
    expect(sandbox.calls.filter((c) => c.action === 'CreateImage')).toEqual([]);
  }, 180_000);

  it('unparsable files and broken meta-arguments, one per run: exit 1 with a diagnostic, no crash', async () => {
    const singles: Array<[string, string]> = [
      ...UNPARSABLE_CONFIGS,
      ...META_CASES.map((c): [string, string] => [c.label, renderBatch('', [c], 0).config]),
    ];
    for (const [label, text] of singles) {
      await tf().writeConfig(`${providerBlock()}\n${text}`);
      const result = await tf().run(['plan', '-json', '-input=false', '-no-color'], { allowFailure: true, timeoutMs: 60_000 });
      expect(result.code, label).toBe(1);
      expect(diagnosticsOf(result).filter((d) => d.severity === 'error').length, label).toBeGreaterThan(0);
      expect(crashMarkersIn(result.stdout + result.stderr), label).toEqual([]);
    }
    expect(crashMarkersIn(await tf().readLog())).toEqual([]);
  }, 120_000);
}, { needsProvider: true });
