// outscale_image_export_task through the real terraform against the sandbox: the waiter through `pending/queued` and
// `pending` to `completed`, a prefix with "/" kept, the OOS secret never shown or logged, tags in place, an export
// that fails (tainted, the task's comment in the error), no waiting, cancel on destroy, import by task id.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, providerBlock, sandboxEnv, workspaceForTest } from './harness/index.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ok } from '../sandbox/helpers.js';
import { changeOf, flat, instanceStatus } from './fixtures/image-e2e.js';

const TIMEOUT_MS = 180_000;
const OOS_SECRET = 'oosSecretNeverLogged0123456789abcdefXYZ';

async function newImage(sandbox: Sandbox, name: string): Promise<string> {
  return (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: name, NoReboot: true })).Image.ImageId as string;
}

function exportConfig(imageId: string, options: { bucket?: string; prefix?: string; wait?: boolean; tags?: Record<string, string>; apiKey?: boolean } = {}): string {
  const tags = Object.entries(options.tags ?? {}).map(([k, v]) => `  tags {\n    key   = "${k}"\n    value = "${v}"\n  }\n`).join('');
  const apiKey = options.apiKey === false ? '' : `    osu_api_key {\n      api_key_id = "OOSACCESSKEY"\n      secret_key = "${OOS_SECRET}"\n    }\n`;
  return `${providerBlock()}
resource "outscale_image_export_task" "x" {
  image_id = "${imageId}"
${options.wait === false ? '  wait_for_completion = false\n' : ''}  osu_export {
    disk_image_format = "qcow2"
    osu_bucket        = "${options.bucket ?? 'my-bucket'}"
${options.prefix !== undefined ? `    osu_prefix        = "${options.prefix}"\n` : ''}${apiKey}  }
${tags}}
`;
}

describeE2e('outscale_image_export_task', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: 0, exportTaskMs: 1500 });
  });
  afterAll(() => sandbox.close());

  it('waits for completion, keeps a prefix with "/", never shows the secret, updates tags in place', async () => {
    const id = await newImage(sandbox, 'export-ok');
    const tf = await workspaceForTest({ env: sandboxEnv(sandbox), config: exportConfig(id, { prefix: 'exports/2026', tags: { env: 'dev' } }) });
    const applied = await tf.apply();
    const task = await tf.resource('outscale_image_export_task.x');
    expect(task).toMatchObject({ image_id: id, state: 'completed', progress: 100, wait_for_completion: true });
    expect(task.id).toMatch(/^image-export-/);
    const stored = sandbox.state.exportTasks.get(task.id as string)!;
    expect(stored.OsuExport.OsuPrefix).toBe(`exports/2026/${id}/`);
    expect((task.osu_export as Array<Record<string, unknown>>)[0]).toMatchObject({ osu_prefix: 'exports/2026', osu_bucket: 'my-bucket' });
    // the waiter really saw the intermediate states (polls during pending/queued or pending)
    const reads = sandbox.calls.filter((c) => c.action === 'ReadImageExportTasks').map((c) => (c.response as { ImageExportTasks: Array<{ State: string }> }).ImageExportTasks[0]?.State);
    expect(reads).toContain('completed');
    expect(reads.some((s) => s === 'pending' || s === 'pending/queued')).toBe(true);
    await tf.expectNoChanges();

    const entry = await tf.resourceEntry('outscale_image_export_task.x');
    expect(JSON.stringify(entry.sensitive_values)).toContain('"secret_key":true');
    const plan = await tf.plan({ args: ['-refresh=false'] });
    const log = await tf.readLog();
    // (commands.log holds `terraform show -json`, which prints sensitive values by design)
    for (const [name, text] of Object.entries({ applyOut: applied.stdout, applyErr: applied.stderr, plan: plan.stdout, log })) {
      expect(text.includes(OOS_SECRET), name).toBe(false);
    }
    expect(log.length).toBeGreaterThan(1000); // the trace log was written

    await tf.writeConfig(exportConfig(id, { prefix: 'exports/2026', tags: { env: 'prod' } }));
    expect(changeOf(await tf.planJson(), 'outscale_image_export_task.x').change.actions).toEqual(['update']);
    await tf.apply();
    expect(sandbox.state.exportTasks.get(task.id as string)!.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    await tf.expectNoChanges();

    // a completed export is not cancelled on destroy: it is only forgotten
    const before = sandbox.calls.length;
    await tf.destroy();
    expect(sandbox.calls.slice(before).some((c) => c.action === 'DeleteExportTask')).toBe(false);
  }, TIMEOUT_MS);

  it('an export that fails: error with the comment, task kept in state and tainted', async () => {
    const id = await newImage(sandbox, 'export-fails');
    sandbox.faults.failExportTasks({ bucketMatches: '^broken', comment: 'Bucket broken-bucket is not writable' });
    try {
      const tf = await workspaceForTest({ env: sandboxEnv(sandbox), config: exportConfig(id, { bucket: 'broken-bucket' }) });
      const result = await tf.apply({ allowFailure: true });
      expect(result.code).not.toBe(0);
      expect(flat(result.stderr)).toContain(`The export of ${id} ended failed`);
      expect(flat(result.stderr)).toContain('Bucket broken-bucket is not writable');
      expect(instanceStatus(await tf.state(), 'outscale_image_export_task', 'x')).toBe('tainted');
      expect(await tf.resource('outscale_image_export_task.x')).toMatchObject({ state: 'failed', comment: 'Bucket broken-bucket is not writable' });
      const plan = await tf.planJson();
      expect(changeOf(plan, 'outscale_image_export_task.x').change.actions).toEqual(['delete', 'create']);
    } finally {
      sandbox.faults.clear();
    }
  }, TIMEOUT_MS);

  it('with wait_for_completion = false returns at once; destroy cancels the running task', async () => {
    const id = await newImage(sandbox, 'export-nowait');
    sandbox.state.timing.exportTaskMs = 10 * 60_000;
    try {
      const tf = await workspaceForTest({ env: sandboxEnv(sandbox), config: exportConfig(id, { wait: false }) });
      await tf.apply();
      const task = await tf.resource('outscale_image_export_task.x');
      expect(task.state).toBe('pending/queued');
      await tf.expectNoChanges();
      await tf.destroy();
      const stored = sandbox.state.exportTasks.get(task.id as string)!;
      expect(sandbox.calls.some((c) => c.action === 'DeleteExportTask' && (c.request as { ExportTaskId: string }).ExportTaskId === task.id && c.status === 200)).toBe(true);
      expect(stored.State).toBe('cancelled');
    } finally {
      sandbox.state.timing.exportTaskMs = 1500;
    }
  }, TIMEOUT_MS);

  it('imports by task id: the prefix comes back as configured', async () => {
    const id = await newImage(sandbox, 'export-import');
    const created = await ok(sandbox, 'CreateImageExportTask', { ImageId: id, OsuExport: { DiskImageFormat: 'raw', OsuBucket: 'imports', OsuPrefix: 'a/b' } });
    const taskId = created.ImageExportTask.TaskId as string;
    // a finished task: one still running changes between the import and the no-change check (progress, state)
    for (let i = 0; i < 200; i++) {
      const read = await ok(sandbox, 'ReadImageExportTasks', { Filters: { TaskIds: [taskId] } });
      if (read.ImageExportTasks[0]?.State === 'completed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const tf = await workspaceForTest({
      env: sandboxEnv(sandbox),
      config: exportConfig(id, { bucket: 'imports', prefix: 'a/b', apiKey: false }).replace('"qcow2"', '"raw"'),
    });
    const bad = await tf.import('outscale_image_export_task.x', 'ami-12345678', { allowFailure: true });
    expect(bad.code).not.toBe(0);
    expect(flat(bad.stderr)).toContain('Expected an image export task id');
    await tf.import('outscale_image_export_task.x', taskId);
    expect(await tf.resource('outscale_image_export_task.x')).toMatchObject({ task_id: taskId, image_id: id });
    await tf.expectNoChanges();
  }, TIMEOUT_MS);
}, { needsProvider: true });

describeE2e('data outscale_image_export_task(s)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: 0, exportTaskMs: 0 });
  });
  afterAll(() => sandbox.close());

  it('filter by task_ids and image_ids; one match or a clear error; an empty list is fine', async () => {
    const image = await newImage(sandbox, 'ds-export');
    const other = await newImage(sandbox, 'ds-other');
    const make = async (imageId: string, prefix: string) =>
      (await ok(sandbox, 'CreateImageExportTask', { ImageId: imageId, OsuExport: { DiskImageFormat: 'raw', OsuBucket: 'b', OsuPrefix: prefix } })).ImageExportTask.TaskId as string;
    const first = await make(image, 'one/two');
    const second = await make(image, 'three');
    const third = await make(other, 'four');
    const config = (body: string) => `${providerBlock()}\n${body}\n`;
    const tf = await workspaceForTest({
      env: sandboxEnv(sandbox),
      config: config(`
data "outscale_image_export_task" "one" {
  filter {
    name   = "task_ids"
    values = ["${first}"]
  }
}
data "outscale_image_export_tasks" "of_image" {
  filter {
    name   = "image_ids"
    values = ["${image}"]
  }
}
data "outscale_image_export_tasks" "none" {
  filter {
    name   = "task_ids"
    values = ["image-export-00000000"]
  }
}
output "one" { value = { for k, v in data.outscale_image_export_task.one : k => v if k != "request_id" } }
output "of_image" { value = [for t in data.outscale_image_export_tasks.of_image.image_export_tasks : t.task_id] }
output "none" { value = data.outscale_image_export_tasks.none.image_export_tasks }
`),
    });
    await tf.apply();
    const outputs = await tf.outputs();
    expect(outputs.one).toMatchObject({ task_id: first, image_id: image, state: 'completed', progress: 100, osu_export: [{ osu_prefix: 'one/two', osu_bucket: 'b', disk_image_format: 'raw' }] });
    expect(outputs.of_image).toEqual([first, second]);
    expect(outputs.none).toEqual([]);
    expect(third).toMatch(/^image-export-/);
    await tf.expectNoChanges();

    await tf.writeConfig(config(`data "outscale_image_export_task" "many" {\n  filter {\n    name   = "image_ids"\n    values = ["${image}"]\n  }\n}`));
    const many = await tf.plan({ allowFailure: true });
    expect(many.code).not.toBe(0);
    expect(flat(many.stderr)).toContain('2 export tasks match');
    expect(flat(many.stderr)).toContain(first);

    await tf.writeConfig(config('data "outscale_image_export_task" "bad" {\n  filter {\n    name   = "task_id"\n    values = ["x"]\n  }\n}'));
    const bad = await tf.validate({ allowFailure: true });
    expect(bad.code).not.toBe(0);
    expect(flat(bad.stderr)).toContain('Did you mean "task_ids"?');
  }, TIMEOUT_MS);
}, { needsProvider: true });
