// What terraform shows when something goes wrong with an outscale_image: error summaries that say which operation on
// which OMI failed, the tag limit checked at plan, and a name conflict during a create_before_destroy replacement.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeE2e, providerBlock, sandboxEnv, type TerraformWorkspace } from './harness/index.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { flat, imagesNamed, imageWorkspace, sandboxImage } from './fixtures/image-e2e.js';

const TEST_TIMEOUT_MS = 180_000;
/** Enough injected failures to outlast any retry of the client. */
const ALWAYS = 50;

function imageConfig(name: string, more = '', lifecycle = ''): string {
  return `${providerBlock()}
resource "outscale_image" "x" {
  image_name = "${name}"
  vm_id      = "${SEEDED.vmId}"
  no_reboot  = true
${more}
${lifecycle}
}
`;
}

const tagBlocks = (count: number) =>
  Array.from({ length: count }, (_, i) => `  tags {\n    key   = "k${i}"\n    value = "v"\n  }`).join('\n');

/** The `Error: …` summary lines of a terraform run. */
function errorSummaries(stderr: string): string[] {
  return [...stderr.matchAll(/^Error: (.+)$/gm)].map((m) => m[1]!.trim());
}

async function imageId(tf: TerraformWorkspace): Promise<string> {
  return (await tf.resource('outscale_image.x')).id as string;
}

describeE2e(
  'outscale_image messages',
  () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, imagePendingMs: 200 });
    });
    afterEach(() => sandbox?.faults.clear());
    afterAll(() => sandbox?.close());
    const workspace = (config: string) => imageWorkspace({ env: sandboxEnv(sandbox), config });

    it(
      'error summaries name the operation and the OMI, not the RPC',
      async () => {
        const tf = await workspace(imageConfig('e2e-msg-summaries', '  description = "first"'));

        sandbox.faults.failNext(ALWAYS, { status: 400, actions: ['CreateImage'] });
        const create = await tf.apply({ allowFailure: true });
        expect(create.code).toBe(1);
        expect(errorSummaries(create.stderr)).toEqual(['Failed to create the OMI']);
        expect(flat(create.stderr)).toContain('CreateImage failed');
        sandbox.faults.clear();

        await tf.apply();
        const id = await imageId(tf);

        sandbox.faults.failNext(ALWAYS, { status: 400, actions: ['UpdateImage'] });
        await tf.writeConfig(imageConfig('e2e-msg-summaries', '  description = "second"'));
        const update = await tf.apply({ allowFailure: true });
        expect(update.code).toBe(1);
        expect(errorSummaries(update.stderr)).toEqual([`Failed to update the description of OMI ${id}`]);
        expect(flat(update.stderr)).toContain('UpdateImage failed');
        expect((await tf.resource('outscale_image.x')).description).toBe('first'); // state keeps what exists
        sandbox.faults.clear();

        sandbox.faults.failNext(ALWAYS, { status: 400, actions: ['ReadImages'] });
        const refresh = await tf.plan({ allowFailure: true });
        expect(refresh.code).toBe(1);
        expect(errorSummaries(refresh.stderr)).toEqual([`Failed to read OMI ${id}`]);
        sandbox.faults.clear();

        sandbox.faults.failNext(ALWAYS, { status: 400, actions: ['DeleteImage'] });
        const destroy = await tf.destroy({ allowFailure: true });
        expect(destroy.code).toBe(1);
        expect(errorSummaries(destroy.stderr)).toEqual([`Failed to delete OMI ${id}`]);
        expect(await tf.stateList()).toEqual(['outscale_image.x']);
        sandbox.faults.clear();

        await tf.destroy();
        expect(sandboxImage(sandbox, id)).toBeUndefined();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'refuses more than 50 tags at plan, on the tags attribute, before any API call',
      async () => {
        const tf = await workspace(imageConfig('e2e-msg-tags', tagBlocks(51)));
        const callsBefore = sandbox.calls.length;
        const plan = await tf.plan({ allowFailure: true });
        expect(plan.code).toBe(1);
        expect(errorSummaries(plan.stderr)).toEqual(['Too many tags']);
        expect(flat(plan.stderr)).toContain('At most 50 tags can be set on an OMI');
        expect(flat(plan.stderr)).toContain('sets 51');
        expect(plan.stderr).toContain('outscale_image.x');
        expect(sandbox.calls.slice(callsBefore).map((c) => c.action)).toEqual([]);

        await tf.writeConfig(imageConfig('e2e-msg-tags', tagBlocks(50)));
        await tf.plan();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'a create_before_destroy replacement that keeps a unique image_name says the replaced OMI holds the name',
      async () => {
        const name = 'e2e-msg-cbd';
        const lifecycle = '  lifecycle {\n    create_before_destroy = true\n  }';
        const tf = await workspace(imageConfig(name, '  boot_modes = ["legacy"]', lifecycle));
        await tf.apply();
        const oldId = await imageId(tf);

        // boot_modes forces a replacement; with create_before_destroy the new OMI is created first, under the same name
        await tf.writeConfig(imageConfig(name, '  boot_modes = ["legacy", "uefi"]', lifecycle));
        const failed = await tf.apply({ allowFailure: true });
        expect(failed.code).toBe(1);
        const text = flat(failed.stderr);
        expect(errorSummaries(failed.stderr)).toEqual(['OMI name already in use']);
        expect(text).toContain(`An OMI named "${name}" already exists: ${oldId}`);
        expect(text).toContain('create_before_destroy');
        expect(text).toContain(`the OMI being replaced, ${oldId}, still holds the name`);
        expect(text).toMatch(/another image_name|another name/);
        // the old OMI is untouched and still the one in state
        expect(imagesNamed(sandbox, name).map((i) => i.ImageId)).toEqual([oldId]);
        expect(await imageId(tf)).toBe(oldId);

        // following the advice (a name that changes with the replacement) works
        await tf.writeConfig(imageConfig(`${name}-uefi`, '  boot_modes = ["legacy", "uefi"]', lifecycle));
        await tf.apply();
        const newId = await imageId(tf);
        expect(newId).not.toBe(oldId);
        expect(sandboxImage(sandbox, oldId)).toBeUndefined();
        await tf.destroy();
      },
      TEST_TIMEOUT_MS,
    );
  },
  { needsProvider: true },
);
