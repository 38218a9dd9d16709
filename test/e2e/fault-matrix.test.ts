// The fault matrix of issue #9, "state tells the truth on every path": every operation on outscale_image × every
// OUTSCALE call its command makes (read from a fault-free run) × every fault, with the real terraform against the
// sandbox. Invariants per cell: at most one OMI per name and none state does not know; after the command
// `plan -refresh-only -detailed-exitcode` exits 0 (state equals the API); the next apply converges and then plans no
// changes; no secret key or signature in any output, log or state. The table is printed and written into
// docs/guarantees.md (see the page for how it is regenerated).
//   MATRIX_LANES=N   cells run at once (default 3)
//   MATRIX_FILTER=re only the cells whose "operation · call · fault" matches (the page is then not rewritten)
//   MATRIX_BIN_DIR=d the provider built in d/ instead of bin/ (e.g. the code before a fix)
import { afterAll, expect, it } from 'vitest';
import { currentGate, describeE2e } from './harness/index.js';
import { NO_FAULT, prepareFixture, runCell } from './fault-matrix/cell.js';
import { FAULTS } from './fault-matrix/faults.js';
import { Lanes } from './fault-matrix/lanes.js';
import { OPERATIONS, type Operation } from './fault-matrix/operations.js';
import { callTargets, cellName, renderMatrix, writeGuarantees, type MatrixRow } from './fault-matrix/table.js';

const lanes = new Lanes(Number(process.env.MATRIX_LANES ?? 3));
const filter = process.env.MATRIX_FILTER ? new RegExp(process.env.MATRIX_FILTER, 'i') : undefined;
const CELL_TIMEOUT_MS = 600_000;
const started = Date.now();

// The fault-free runs, at collection: they tell which calls each command makes, so the cells follow the code.
const runnable = currentGate(true).mode === 'run';
async function record(operation: Operation): Promise<MatrixRow> {
  return lanes.run(async () => {
    const fixture = await prepareFixture(operation);
    const baseline = await runCell(operation, fixture, NO_FAULT, undefined);
    return { operation, fixture, baseline, targets: callTargets(baseline.calls), cells: new Map() };
  });
}
const rows: MatrixRow[] = runnable ? await Promise.all(OPERATIONS.map(record)) : [];
const recordedMs = Date.now() - started;

const selected = rows.flatMap((row) => row.targets.flatMap((target) => FAULTS.map((fault) => cellName(row.operation, target, fault))));
const progress = { done: 0, total: selected.filter((name) => !filter || filter.test(name)).length };

describeE2e('fault matrix: state tells the truth on every path', () => {
  for (const row of rows) {
    it(`${row.operation.name} · no fault`, () => {
      expect(row.baseline.problems).toEqual([]);
      expect(row.targets.length).toBeGreaterThan(0);
    });
  }
  // after the sequential ones, so that every cell can run concurrently with every other
  for (const row of rows) {
    for (const target of row.targets) {
      for (const fault of FAULTS) {
        const name = cellName(row.operation, target, fault);
        if (filter && !filter.test(name)) continue;
        it.concurrent(
          name,
          async () => {
            const result = await lanes.run(() => runCell(row.operation, row.fixture, fault, target));
            row.cells.set(`${target.action}#${target.occurrence}|${fault.name}`, result);
            progress.done++;
            console.info(`[fault-matrix] ${progress.done}/${progress.total} ${name}: ${result.passed ? 'pass' : 'FAIL'}, exit ${result.exit}, ${result.durationMs} ms`);
            expect(result.problems, `${name}: ${result.notes.join('; ')}`).toEqual([]);
          },
          CELL_TIMEOUT_MS,
        );
      }
    }
  }

  afterAll(async () => {
    const table = renderMatrix(rows, FAULTS);
    const cellsRun = rows.reduce((n, r) => n + r.cells.size, 0);
    const failed = rows.reduce((n, r) => n + [...r.cells.values()].filter((c) => !c.passed).length, 0);
    const recorded = rows.map((r) => `  ${r.operation.name}: ${r.baseline.calls.join(' ')} (${r.baseline.durationMs} ms)`).join('\n');
    console.info(`[fault-matrix] calls recorded without faults:\n${recorded}\n${table.text}\n[fault-matrix] ${cellsRun} cells run (+${rows.length} fault-free recordings), ${failed} failed, ` +
      `in ${Math.round((Date.now() - started) / 1000)} s (recordings ${Math.round(recordedMs / 1000)} s), lanes ${process.env.MATRIX_LANES ?? 3}`);
    if (!filter && !process.env.MATRIX_BIN_DIR && cellsRun > 0) {
      const changed = await writeGuarantees(table.markdown);
      if (changed) console.info('[fault-matrix] docs/guarantees.md regenerated: commit it');
    }
  }, 60_000);
}, { needsProvider: true });
