// vitest glue: gated describe blocks and workspaces that survive a failing test for post-mortem.
import { afterAll, afterEach, beforeAll, describe, it, onTestFinished } from 'vitest';
import { providerGate, terraformGate, type E2eGate } from './terraform-binary.js';
import { TerraformWorkspace, type WorkspaceOptions } from './workspace.js';

export interface DescribeE2eOptions {
  /** Also require bin/terraform-provider-outscale (tests using our provider through dev_overrides). */
  needsProvider?: boolean;
  /** Override for tests of the gate itself. */
  gate?: E2eGate;
}

/** Decides once per describe block; memoised so every file does not re-run `terraform version`. */
let cachedTerraformGate: E2eGate | undefined;
export function currentGate(needsProvider = false): E2eGate {
  if (needsProvider) return providerGate();
  cachedTerraformGate ??= terraformGate();
  return cachedTerraformGate;
}

/**
 * `describe` that runs when terraform (and optionally the built provider) is available. Otherwise: under CI a single
 * failing test carrying the reason; elsewhere the block is skipped and the reason printed.
 */
export function describeE2e(name: string, body: () => void, options: DescribeE2eOptions = {}): void {
  const gate = options.gate ?? currentGate(options.needsProvider);
  if (gate.mode === 'fail') {
    describe(name, () => {
      it('has the tools the e2e tests need', () => {
        throw new Error(gate.reason);
      });
    });
    return;
  }
  if (gate.mode === 'skip') console.warn(`[e2e] skipping "${name}": ${gate.reason}`);
  describe.skipIf(gate.mode === 'skip')(name, body);
}

/**
 * A workspace for the current test: removed when the test passes, kept (path printed) when it fails.
 * Call inside an `it` body.
 */
export async function workspaceForTest(options: WorkspaceOptions = {}): Promise<TerraformWorkspace> {
  const workspace = await TerraformWorkspace.create(options);
  onTestFinished(async ({ task }) => {
    if (task.result?.state === 'fail') workspace.markFailed();
    await workspace.cleanup();
  });
  return workspace;
}

/**
 * A workspace shared by the tests of a describe block (multi-step scenarios): created in beforeAll (options may be a
 * function, e.g. to read a sandbox started in an earlier beforeAll), kept if any test of the block failed.
 * Returns an accessor usable inside the tests.
 */
export function useWorkspace(
  options: WorkspaceOptions | (() => WorkspaceOptions | Promise<WorkspaceOptions>) = {},
  hookTimeoutMs = 60_000,
): () => TerraformWorkspace {
  let workspace: TerraformWorkspace | undefined;
  beforeAll(async () => {
    workspace = await TerraformWorkspace.create(typeof options === 'function' ? await options() : options);
  }, hookTimeoutMs);
  afterEach(({ task }) => {
    if (task.result?.state === 'fail') workspace?.markFailed();
  });
  afterAll(async () => {
    await workspace?.cleanup();
  }, hookTimeoutMs);
  return () => {
    if (!workspace) throw new Error('workspace not created yet (useWorkspace accessor called outside a test?)');
    return workspace;
  };
}
