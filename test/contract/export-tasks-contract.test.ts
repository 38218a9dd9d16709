// The image export calls against the official spec: every answer of the sandbox (tasks in every state, errors) and
// every request of the real client match the spec's schemas, and the client reads the answers back.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OscClient } from '../../src/outscale/client.js';
import { SEEDED, startSandbox, type RecordedCall, type Sandbox } from '../../src/sandbox/index.js';
import { call, ok } from '../sandbox/helpers.js';
import { describeWithSpec, requestSchemaFor, responseSchemaFor, validateAgainstSpec } from './spec.js';

const EXPORT_ACTIONS = new Set(['CreateImageExportTask', 'ReadImageExportTasks', 'DeleteExportTask', 'CreateImage', 'UpdateImage', 'CreateTags']);

function problems(calls: RecordedCall[]): string[] {
  return calls.flatMap((c) => {
    if (c.status === 0 || !EXPORT_ACTIONS.has(c.action)) return [];
    const out: string[] = [];
    const response = validateAgainstSpec(responseSchemaFor(c.action, c.status), c.response);
    if (!response.valid) out.push(`${c.action} ${c.status} answer: ${response.errors.join('; ')}`);
    if (c.status === 200) {
      const request = validateAgainstSpec(requestSchemaFor(c.action), c.request);
      if (!request.valid) out.push(`${c.action} request: ${request.errors.join('; ')}`);
    }
    return out;
  });
}

describeWithSpec('image export calls match the OpenAPI spec', () => {
  let sandbox: Sandbox;
  let clock = Date.now();
  beforeAll(async () => {
    sandbox = await startSandbox({ imagePendingMs: 0, exportTaskMs: 1000, now: () => clock });
  });
  afterAll(() => sandbox.close());

  it('sandbox answers in every task state and for errors; the client\'s requests', async () => {
    const image = (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'contract-export' })).Image.ImageId as string;
    const client = new OscClient({ endpoint: sandbox.url, region: sandbox.region, accessKey: sandbox.accessKey, secretKey: sandbox.secretKey, now: () => new Date(clock) });
    try {
      sandbox.faults.failExportTasks({ bucketMatches: '^bad' });
      const created = await client.createImageExportTask({
        ImageId: image,
        OsuExport: { DiskImageFormat: 'qcow2', OsuBucket: 'b', OsuPrefix: 'p/q', OsuApiKey: { ApiKeyId: 'AK', SecretKey: 'SK' } },
      });
      const id = created.ImageExportTask!.TaskId!;
      const failing = (await client.createImageExportTask({ ImageId: image, OsuExport: { DiskImageFormat: 'raw', OsuBucket: 'bad' } })).ImageExportTask!.TaskId!;
      const cancelled = (await client.createImageExportTask({ ImageId: image, OsuExport: { DiskImageFormat: 'raw', OsuBucket: 'c' } })).ImageExportTask!.TaskId!;
      await client.deleteExportTask({ ExportTaskId: cancelled });
      await client.createTags({ ResourceIds: [id], Tags: [{ Key: 'k', Value: 'v' }] });
      const states: string[] = [];
      for (const step of [0, 500, 1500]) {
        clock += step;
        const all = await client.readImageExportTasks({ Filters: { ImageIds: [image] }, ResultsPerPage: 2 });
        states.push(...(all.ImageExportTasks ?? []).map((t) => t.State ?? ''));
      }
      expect(new Set(states)).toEqual(new Set(['pending/queued', 'pending', 'completed', 'failed', 'cancelled']));
      expect((await client.readImageExportTasks({ Filters: { TaskIds: [id] } })).ImageExportTasks?.[0]).toMatchObject({ TaskId: id, Tags: [{ Key: 'k', Value: 'v' }] });
      expect(failing).toMatch(/^image-export-/);
      // errors
      await call(sandbox, 'CreateImageExportTask', { ImageId: SEEDED.publicImageIds[0], OsuExport: { DiskImageFormat: 'raw', OsuBucket: 'x' } });
      await call(sandbox, 'CreateImageExportTask', { ImageId: image, OsuExport: { DiskImageFormat: 'vmdk', OsuBucket: 'x' } });
      await call(sandbox, 'DeleteExportTask', { ExportTaskId: id });
      await call(sandbox, 'DeleteExportTask', { ExportTaskId: 'image-export-00000000' });
      await call(sandbox, 'ReadImageExportTasks', { NextPageToken: 'garbage' });
      expect(sandbox.calls.filter((c) => c.status === 400).length).toBe(5);
      expect(problems(sandbox.calls)).toEqual([]);
    } finally {
      client.close();
    }
  }, 60_000);
});
