// End-to-end harness: drives the real `terraform` binary against the locally built provider (dev_overrides).
//
//   import { describeE2e, workspaceForTest, providerBlock, sandboxEnv } from './harness/index.js';
//   import { startSandbox } from '../../src/sandbox/index.js';
//
//   describeE2e('outscale_image', () => {
//     let sandbox: Sandbox;
//     beforeAll(async () => { sandbox = await startSandbox({ port: 0, imagePendingMs: 200 }); });
//     afterAll(() => sandbox.close());
//     it('creates an image', async () => {
//       const tf = await workspaceForTest({ env: sandboxEnv(sandbox), config: providerBlock() + 'resource …' });
//       await tf.apply();                       // no init: dev_overrides
//       expect(await tf.resource('outscale_image.x')).toMatchObject({ state: 'available' });
//       await tf.expectNoChanges();
//       await tf.destroy();
//     }, 180_000);
//   }, { needsProvider: true });
export { hclString, providerBlock, type ProviderBlockOptions } from './hcl.js';
export { PROVIDER_ADDRESS, repoPaths } from './paths.js';
export { runProcess, type RunProcessOptions, type RunResult } from './process.js';
export { sandboxEnv, type SandboxEndpoint } from './sandbox-env.js';
export {
  isCi,
  providerBinaryAvailable,
  providerGate,
  terraformAvailable,
  terraformGate,
  type Availability,
  type E2eGate,
} from './terraform-binary.js';
export * from './terraform-json.js';
export { describeE2e, currentGate, useWorkspace, workspaceForTest, type DescribeE2eOptions } from './vitest.js';
export {
  TerraformCommandError,
  TerraformWorkspace,
  type EnvOverrides,
  type PlanResult,
  type RunOptions,
  type WorkspaceOptions,
} from './workspace.js';
