// State tells the truth on the paths that go wrong, through the real terraform against the sandbox: a failed or
// partly failed in-place update keeps what exists (never the plan), a change of creation mode replaces the OMI, a
// regenerated pre-signed manifest URL does not, and tags whose keys or values are unknown at plan time land exactly.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, providerBlock, type TerraformWorkspace } from './harness/index.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { changeOf, imagesNamed, imageWorkspace, sandboxImage, stateTagRecord, tagRecord } from './fixtures/image-e2e.js';
import { reliabilityEnv } from './reliability/helpers.js';

const TEST_TIMEOUT_MS = 180_000;

function config(body: string, extra = ''): string {
  return `${providerBlock()}\nresource "outscale_image" "x" {\n${body}\n}\n${extra}`;
}

function fromVm(name: string, more = ''): string {
  return `  image_name = "${name}"\n  vm_id      = "${SEEDED.vmId}"\n  no_reboot  = true\n${more}`;
}

const tagBlock = (key: string, value: string) => `  tags {\n    key   = ${key}\n    value = ${value}\n  }\n`;

async function idOf(tf: TerraformWorkspace): Promise<string> {
  return (await tf.resource('outscale_image.x')).id as string;
}

/** `plan -refresh=false -detailed-exitcode`: what state claims against the config, without asking the API. */
async function planWithoutRefresh(tf: TerraformWorkspace): Promise<number | null> {
  return (await tf.plan({ detailedExitCode: true, allowFailure: true, args: ['-refresh=false'] })).code;
}

describeE2e('state tells the truth', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: 100 });
  });
  afterAll(() => sandbox.close());

  const workspace = (body: string, extra = '') => imageWorkspace({ env: reliabilityEnv(sandbox), config: config(body, extra) });

  it('a failed UpdateImage leaves the old description in state; the next apply converges', async () => {
    const tf = await workspace(fromVm('truth-update', '  description = "before"'));
    await tf.apply();
    const id = await idOf(tf);

    await tf.writeConfig(config(fromVm('truth-update', '  description = "after"')));
    sandbox.faults.failNext(100, { actions: ['UpdateImage'] });
    const failed = await tf.apply({ allowFailure: true });
    sandbox.faults.clear();
    expect(failed.code).not.toBe(0);
    expect(sandboxImage(sandbox, id)?.Description).toBe('before');
    expect((await tf.resource('outscale_image.x')).description).toBe('before');
    expect(await planWithoutRefresh(tf)).toBe(2); // state does not pretend the change was made

    await tf.apply();
    expect(sandboxImage(sandbox, id)?.Description).toBe('after');
    await tf.expectNoChanges();
    await tf.destroy();
  }, TEST_TIMEOUT_MS);

  it('tags: DeleteTags succeeds and CreateTags fails: state holds exactly what the API holds', async () => {
    const tf = await workspace(fromVm('truth-tags', tagBlock('"keep"', '"1"') + tagBlock('"old"', '"x"')));
    await tf.apply();
    const id = await idOf(tf);

    await tf.writeConfig(config(fromVm('truth-tags', tagBlock('"keep"', '"1"') + tagBlock('"new"', '"y"'))));
    sandbox.faults.failNext(100, { actions: ['CreateTags'] });
    const failed = await tf.apply({ allowFailure: true });
    sandbox.faults.clear();
    expect(failed.code).not.toBe(0);
    const api = tagRecord(sandboxImage(sandbox, id)!);
    expect(api).toEqual({ keep: '1' });
    expect(stateTagRecord(await tf.resource('outscale_image.x'))).toEqual(api);
    expect(await planWithoutRefresh(tf)).toBe(2);

    await tf.apply();
    expect(tagRecord(sandboxImage(sandbox, id)!)).toEqual({ keep: '1', new: 'y' });
    await tf.expectNoChanges();
    await tf.destroy();
  }, TEST_TIMEOUT_MS);

  it('a change of creation mode (vm_id → source_image_id) replaces the OMI', async () => {
    const tf = await workspace(fromVm('truth-mode'));
    await tf.apply();
    const before = await idOf(tf);

    const copy = `  image_name = "truth-mode"\n  source_image_id = "${SEEDED.publicImageIds[0]}"\n  source_region_name = "${sandbox.region}"`;
    await tf.writeConfig(config(copy));
    const plan = await tf.planJson();
    expect(changeOf(plan, 'outscale_image.x').change.actions).toEqual(['delete', 'create']);
    await tf.apply();
    const after = await idOf(tf);
    expect(after).not.toBe(before);
    expect(sandboxImage(sandbox, before)).toBeUndefined();
    const created = sandbox.calls.filter((c) => c.action === 'CreateImage' && c.executed).at(-1);
    expect(created?.request).toMatchObject({ SourceImageId: SEEDED.publicImageIds[0] });
    expect((await tf.resource('outscale_image.x')).vm_id).toBeNull();
    await tf.expectNoChanges();
    await tf.destroy();
  }, TEST_TIMEOUT_MS);

  it('after an import, the creation mode written in the config is adopted without replacement', async () => {
    const tf = await workspace(fromVm('truth-adopt'));
    await tf.apply();
    const id = await idOf(tf);
    await tf.run(['state', 'rm', 'outscale_image.x']);
    await tf.import('outscale_image.x', id);
    const plan = await tf.planJson();
    expect(changeOf(plan, 'outscale_image.x').change.actions).toEqual(['update']);
    await tf.apply();
    expect(await idOf(tf)).toBe(id);
    expect((await tf.resource('outscale_image.x')).vm_id).toBe(SEEDED.vmId);
    await tf.expectNoChanges();

    // adopted once: a later change of the creation mode replaces it
    await tf.writeConfig(config(`  image_name = "truth-adopt"\n  source_image_id = "${SEEDED.publicImageIds[0]}"\n  source_region_name = "${sandbox.region}"`));
    expect(changeOf(await tf.planJson(), 'outscale_image.x').change.actions).toEqual(['delete', 'create']);
    await tf.destroy();
  }, TEST_TIMEOUT_MS);

  it('a regenerated pre-signed manifest URL (same manifest, new query string) changes nothing', async () => {
    const manifest = 'https://oos.eu-west-2.outscale.com/bucket/exported/image.manifest.xml';
    const body = (query: string) => `  image_name = "truth-manifest"\n  file_location = "${manifest}?${query}"`;
    const tf = await workspace(body('X-Amz-Date=20261201T000000Z&X-Amz-Signature=aaaa'));
    await tf.apply();
    const id = await idOf(tf);
    await tf.writeConfig(config(body('X-Amz-Date=20261202T000000Z&X-Amz-Signature=bbbb')));
    await tf.expectNoChanges();
    expect(await idOf(tf)).toBe(id);

    // another manifest is another OMI
    await tf.writeConfig(config(`  image_name = "truth-manifest"\n  file_location = "${manifest.replace('image', 'other')}?X-Amz-Signature=cccc"`));
    expect(changeOf(await tf.planJson(), 'outscale_image.x').change.actions).toEqual(['delete', 'create']);
    await tf.destroy();
  }, TEST_TIMEOUT_MS);

  it('tags with keys and values unknown at plan time are applied exactly, none duplicated or lost', async () => {
    const unknowns = `resource "terraform_data" "k" {\n  input = "dyn-key"\n}\nresource "terraform_data" "v" {\n  input = "dyn-value"\n}\n`;
    const tags =
      tagBlock('terraform_data.k.output', '"fixed"') + // key unknown, value known
      tagBlock('"fixed-key"', 'terraform_data.v.output') + // key known, value unknown
      tagBlock('"plain"', '"p"') +
      tagBlock('"${terraform_data.k.output}-2"', 'terraform_data.v.output'); // both unknown
    const tf = await workspace(fromVm('truth-unknown-tags', tags), unknowns);
    await tf.apply();
    const id = await idOf(tf);
    const expected = { 'dyn-key': 'fixed', 'fixed-key': 'dyn-value', plain: 'p', 'dyn-key-2': 'dyn-value' };
    expect(tagRecord(sandboxImage(sandbox, id)!)).toEqual(expected);
    expect(stateTagRecord(await tf.resource('outscale_image.x'))).toEqual(expected);
    expect(imagesNamed(sandbox, 'truth-unknown-tags')).toHaveLength(1);
    await tf.expectNoChanges();
    await tf.destroy();
  }, TEST_TIMEOUT_MS);
}, { needsProvider: true });
