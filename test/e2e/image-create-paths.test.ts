// outscale_image create and delete paths where state must tell the truth, through the real terraform against the
// sandbox: transient read errors while waiting, an OMI created without a name whose CreateImage answer is lost, and
// another account's public OMI imported then destroyed.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeE2e, providerBlock } from './harness/index.js';
import { imageWorkspace } from './fixtures/image-e2e.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { expectConverged, ownImages, reliabilityEnv, stateInstances } from './reliability/helpers.js';

const TEST_TIMEOUT_MS = 180_000;

function config(body: string): string {
  return `${providerBlock()}\nresource "outscale_image" "x" {\n${body}\n}\n`;
}

const fromVm = (more = '') => `  vm_id     = "${SEEDED.vmId}"\n  no_reboot = true\n${more}`;

describeE2e('outscale_image: create and delete paths', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: 1500 });
  });
  afterEach(() => sandbox.close());

  const calls = (action: string) => sandbox.calls.filter((c) => c.action === action);

  it('ReadImages failing beyond the client retries while the OMI is pending: the wait goes on, the OMI is not tainted', async () => {
    const tf = await imageWorkspace({ env: reliabilityEnv(sandbox), config: config(fromVm('  image_name = "transient-reads"')) });
    // more 500s in a row than one read's attempts (4): one whole poll fails, the next ones succeed
    sandbox.faults.failNext(6, { status: 500, actions: ['ReadImages'] });
    await tf.apply({ timeoutMs: 120_000 });
    expect(sandbox.faults.counters.failed).toBe(6);
    const [instance] = stateInstances(await tf.state());
    expect(instance).toMatchObject({ imageName: 'transient-reads', status: undefined });
    expect((await tf.resource('outscale_image.x')).state).toBe('available');
    await expectConverged(tf);
  }, TEST_TIMEOUT_MS);

  it('no image_name: the plan warns; a CreateImage answer lost after it executed gives an actionable error, no blind repeat', async () => {
    const tf = await imageWorkspace({ env: reliabilityEnv(sandbox), config: config(fromVm()) });
    sandbox.faults.failNext(1, { status: 500, actions: ['CreateImage'], afterExecute: true });
    const result = await tf.apply({ allowFailure: true, timeoutMs: 120_000 });
    expect(result.code).toBe(1);
    const out = (result.stdout + result.stderr).replace(/\s+/g, ' ');
    expect(out).toContain('OMI without image_name');
    expect(out).toContain('An OMI may have been created');
    expect(out).toMatch(/ReadImages .*CreationDate/);
    expect(out).toContain('do not simply apply again');
    expect(out).toContain('InternalError'); // the OUTSCALE error itself
    // one OMI exists (the sandbox executed the call); the provider did not send CreateImage again
    expect(calls('CreateImage')).toHaveLength(1);
    expect(ownImages(sandbox)).toHaveLength(1);
  }, TEST_TIMEOUT_MS);

  it("another account's public OMI: a warning at import, and destroy fails at once saying why and what to do", async () => {
    const publicId = SEEDED.publicImageIds[0];
    const body = `  image_name         = "${SEEDED.publicImageNames[0]}"\n  source_image_id    = "${SEEDED.publicImageIds[1]}"\n  source_region_name = "eu-west-2"`;
    const tf = await imageWorkspace({ env: reliabilityEnv(sandbox), config: config(body) });
    const imported = await tf.import('outscale_image.x', publicId, { timeoutMs: 60_000 });
    expect((imported.stdout + imported.stderr).replace(/\s+/g, ' ')).toContain(`${publicId} belongs to another account`);

    const before = sandbox.calls.length;
    const destroyed = await tf.destroy({ allowFailure: true, timeoutMs: 60_000 });
    expect(destroyed.code).toBe(1);
    const out = destroyed.stderr.replace(/\s+/g, ' ');
    expect(out).toContain(`Cannot delete ${publicId}: it belongs to another account`);
    expect(out).toContain('terraform state rm');
    expect(out).toContain('5023'); // the API's own answer is kept
    const during = sandbox.calls.slice(before);
    // no grace polling: DeleteImage, one read of the OMI, and the caller's account (asked at most once per process)
    const afterDelete = during.slice(during.findIndex((c) => c.action === 'DeleteImage'));
    expect(afterDelete.map((c) => c.action)).toEqual(['DeleteImage', 'ReadImages', 'ReadAccounts']);
    expect(stateInstances(await tf.state()).map((i) => i.id)).toEqual([publicId]);
  }, TEST_TIMEOUT_MS);
}, { needsProvider: true });
