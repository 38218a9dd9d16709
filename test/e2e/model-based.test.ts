// Model-based property test of outscale_image through the real terraform: random sequences of configuration edits
// (description, product_codes, tags added / removed / changed, empty tag values, values unknown at plan time through
// terraform_data, image_name, creation mode, no_reboot, timeouts). After every apply: the plan and the refresh-only
// plan are empty, the API (read from the sandbox itself) matches the configuration, and the OMI was replaced exactly
// when a create-only input changed.
//   CI: two fixed seeds plus MODEL_RANDOM (default 2) random seeds, one scenario of up to MODEL_STEPS (default 5) steps each.
//   MODEL_RUNS=50 runs 50 random seeds instead; MODEL_SEED=n replays one seed; MODEL_EXCLUDE_MODES=a,b leaves creation
//   modes out (to look past a diagnosed failure). No shrinking (each step costs seconds):
//   a failure prints its seed, the edits up to the failing step and that step's configuration.
import fc from 'fast-check';
import { afterAll, it } from 'vitest';
import { describeE2e, TerraformWorkspace } from './harness/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { reliabilityEnv, stateInstances } from './reliability/helpers.js';
import { Lanes } from './fault-matrix/lanes.js';
import { apiProblems, type Observed } from './model-based/check.js';
import { applyEdit, describeEdit, replaces, scenarioArb, type Edit, type ModelConfig } from './model-based/model.js';
import { renderConfig } from './model-based/render.js';

/**
 * Chosen by sampling scenarios (no terraform) for their coverage: a minimal snapshot mapping, mode and name changes,
 * tag keys and values unknown at plan time, empty values, product codes.
 */
const FIXED_SEEDS = [1806, 2723];
const STEPS = Number(process.env.MODEL_STEPS ?? 5);
const randomSeeds = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 2 ** 31));
const seeds = process.env.MODEL_SEED
  ? [Number(process.env.MODEL_SEED)]
  : process.env.MODEL_RUNS
    ? randomSeeds(Number(process.env.MODEL_RUNS))
    : [...FIXED_SEEDS, ...randomSeeds(Number(process.env.MODEL_RANDOM ?? 2))];
const lanes = new Lanes(Number(process.env.MODEL_LANES ?? 2));
const totals = { runs: 0, steps: 0, replacements: 0, unknownAtPlan: 0, failed: 0 };
const started = Date.now();

interface Scenario {
  initial: ModelConfig;
  steps: Edit[][];
}

/** terraform_data blocks (name → input) of a configuration. */
const dataInputs = (hcl: string) => new Map([...hcl.matchAll(/resource "terraform_data" "(\w+)" \{\n {2}input = (.*)\n/g)].map((m) => [m[1]!, m[2]!]));

/** Whether a value routed through terraform_data is unknown at plan time: its block is new or its input changed. */
function unknownAtPlan(previousHcl: string, hcl: string): boolean {
  const before = dataInputs(previousHcl);
  return [...dataInputs(hcl)].some(([name, input]) => before.get(name) !== input);
}

class ScenarioFailure extends Error {}

/** Terraform's dev_overrides warning opens every output: noise in a failure report. */
const withoutOverrideWarning = (text: string) => text.replace(/Warning: Provider development overrides are in effect[\s\S]*?published\s+releases\.\s*/g, '');

async function runScenario(seed: number, scenario: Scenario, passed: { steps: number }): Promise<void> {
  const sandbox = await startSandbox({ port: 0, imagePendingMs: 0 });
  const tf = await TerraformWorkspace.create({ env: reliabilityEnv(sandbox), prefix: 'tfmb-' });
  const history: string[] = [`initial: ${JSON.stringify(scenario.initial)}`];
  let config = scenario.initial;
  let previous: Observed | undefined;
  let previousConfig: ModelConfig | undefined;
  let steps = 0;
  let previousHcl = '';
  const fail = (problems: string[], hcl: string) => {
    tf.markFailed();
    return new ScenarioFailure(
      [`seed ${seed}, step ${steps} of ${scenario.steps.length + 1}:`, ...problems.map((p) => `  - ${p}`), 'steps:', ...history.map((h) => `  ${h}`), 'configuration of the failing step:', hcl, `workspace: ${tf.dir}`].join('\n'),
    );
  };
  try {
    for (let i = 0; i <= scenario.steps.length; i++) {
      if (i > 0) {
        const edits = scenario.steps[i - 1]!;
        config = edits.reduce(applyEdit, config);
        history.push(`step ${i}: ${edits.map(describeEdit).join(', ')}`);
      }
      steps = i + 1;
      const hcl = renderConfig(config);
      await tf.writeConfig(hcl);
      const applied = await tf.apply({ allowFailure: true, timeoutMs: 120_000 });
      if (applied.code !== 0) throw fail([`apply exit ${applied.code}: ${withoutOverrideWarning(applied.stderr).trim().slice(0, 1500)}`], hcl);
      if (unknownAtPlan(previousHcl, hcl)) totals.unknownAtPlan++;
      previousHcl = hcl;
      try {
        await tf.expectNoChanges({ timeoutMs: 120_000 });
      } catch (e) {
        throw fail([withoutOverrideWarning((e as Error).message).slice(0, 2500)], hcl);
      }
      const stateId = stateInstances(await tf.state())[0]?.id;
      const replaced = previousConfig !== undefined && replaces(previousConfig, config);
      const problems = apiProblems(sandbox, config, previous, replaced, stateId);
      if (problems.length > 0) throw fail(problems, hcl);
      if (replaced) totals.replacements++;
      const image = sandbox.state.activeImage(stateId!)!;
      previous = { id: image.ImageId, image: structuredClone(image) };
      previousConfig = config;
      totals.steps++;
      passed.steps++;
    }
  } finally {
    await sandbox.close();
    await tf.cleanup();
  }
}

describeE2e('model-based: random configuration edits converge', () => {
  for (const seed of seeds) {
    it.concurrent(
      `seed ${seed}`,
      async () => {
        await lanes.run(async () => {
          const passed = { steps: 0 };
          const runStarted = Date.now();
          try {
            await fc.assert(
              fc.asyncProperty(scenarioArb(STEPS), (scenario) => runScenario(seed, scenario, passed)),
              { seed, numRuns: 1, endOnFailure: true },
            );
          } catch (e) {
            totals.failed++;
            throw e;
          } finally {
            totals.runs++;
            console.info(`[model-based] seed ${seed}: ${passed.steps} steps passed in ${Date.now() - runStarted} ms`);
          }
        });
      },
      30 * 60_000,
    );
  }
  afterAll(() => {
    console.info(
      `[model-based] ${totals.runs} runs, ${totals.steps} steps passed (${totals.replacements} replacements, ${totals.unknownAtPlan} ` +
        `steps with values unknown at plan), ${totals.failed} runs failed, ${Math.round((Date.now() - started) / 1000)} s`,
    );
  });
}, { needsProvider: true });
