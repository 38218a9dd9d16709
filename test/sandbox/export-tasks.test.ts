// The sandbox's image export tasks: life cycle on the clock, filters and pagination, failures by fault, cancel,
// tags, and the rules of the spec (own available OMIs only, `qcow2`/`raw`).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, errorCode, ok } from './helpers.js';

let sandbox: Sandbox;
let clock: number;
let start: number;
let imageId: string;
beforeEach(async () => {
  // signatures must be within 5 minutes of the sandbox clock: it starts at the real time
  start = Date.now();
  clock = start;
  sandbox = await startSandbox({ imagePendingMs: 0, exportTaskMs: 1000, now: () => clock });
  imageId = (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'to-export' })).Image.ImageId;
});
afterEach(() => sandbox.close());

const exportRequest = (extra: Record<string, unknown> = {}) => ({
  ImageId: imageId,
  OsuExport: { DiskImageFormat: 'qcow2', OsuBucket: 'bucket', OsuPrefix: 'a/b', ...extra },
});
const readTask = async (id: string) => (await ok(sandbox, 'ReadImageExportTasks', { Filters: { TaskIds: [id] } })).ImageExportTasks[0];

describe('image export tasks', () => {
  it('move from pending/queued through pending to completed as time passes', async () => {
    const { ImageExportTask: created } = await ok(sandbox, 'CreateImageExportTask', exportRequest());
    expect(created).toMatchObject({ State: 'pending/queued', Progress: 0, ImageId: imageId, Comment: `Export of image ${imageId}` });
    expect(created.TaskId).toMatch(/^image-export-[0-9a-f]{8}$/);
    expect(created.OsuExport).toMatchObject({ DiskImageFormat: 'qcow2', OsuBucket: 'bucket', OsuPrefix: `a/b/${imageId}/` });
    const seen: Array<[string, number]> = [];
    for (const t of [0, 300, 600, 999, 1000, 5000]) {
      clock = start + t;
      const task = await readTask(created.TaskId);
      seen.push([task.State, task.Progress]);
    }
    expect(seen).toEqual([
      ['pending/queued', 0],
      ['pending', 30],
      ['pending', 60],
      ['pending', 99],
      ['completed', 100],
      ['completed', 100],
    ]);
  });

  it('fail with the fault comment; cancelled ones stay listed; finished ones cannot be cancelled', async () => {
    sandbox.faults.failExportTasks({ bucketMatches: '^bad', comment: 'no write access' });
    const failing = (await ok(sandbox, 'CreateImageExportTask', exportRequest({ OsuBucket: 'bad-bucket' }))).ImageExportTask;
    const fine = (await ok(sandbox, 'CreateImageExportTask', exportRequest())).ImageExportTask;
    const cancelled = (await ok(sandbox, 'CreateImageExportTask', exportRequest())).ImageExportTask;
    expect(sandbox.faults.counters.failedExportTasks).toBe(1);
    await ok(sandbox, 'DeleteExportTask', { ExportTaskId: cancelled.TaskId });
    clock += 2000;
    expect(await readTask(failing.TaskId)).toMatchObject({ State: 'failed', Comment: 'no write access' });
    expect(await readTask(fine.TaskId)).toMatchObject({ State: 'completed' });
    expect(await readTask(cancelled.TaskId)).toMatchObject({ State: 'cancelled' });
    expect(errorCode(await call(sandbox, 'DeleteExportTask', { ExportTaskId: fine.TaskId }))).toBe('6003');
    expect(errorCode(await call(sandbox, 'DeleteExportTask', { ExportTaskId: 'image-export-00000000' }))).toBe('5084');
  });

  it('filter by TaskIds and ImageIds, page, and list only the caller\'s tasks', async () => {
    const other = (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'other' })).Image.ImageId;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock += 1;
      ids.push((await ok(sandbox, 'CreateImageExportTask', exportRequest())).ImageExportTask.TaskId);
    }
    clock += 1;
    const otherTask = (await ok(sandbox, 'CreateImageExportTask', { ...exportRequest(), ImageId: other })).ImageExportTask.TaskId;
    const byImage = (await ok(sandbox, 'ReadImageExportTasks', { Filters: { ImageIds: [imageId] } })).ImageExportTasks;
    expect(byImage.map((t: { TaskId: string }) => t.TaskId)).toEqual(ids);
    const both = (await ok(sandbox, 'ReadImageExportTasks', { Filters: { ImageIds: [other], TaskIds: [ids[0], otherTask] } })).ImageExportTasks;
    expect(both.map((t: { TaskId: string }) => t.TaskId)).toEqual([otherTask]);
    const page1 = await ok(sandbox, 'ReadImageExportTasks', { ResultsPerPage: 3 });
    const page2 = await ok(sandbox, 'ReadImageExportTasks', { ResultsPerPage: 3, NextPageToken: page1.NextPageToken });
    expect([...page1.ImageExportTasks, ...page2.ImageExportTasks].map((t: { TaskId: string }) => t.TaskId)).toEqual([...ids, otherTask]);
    expect(page2.NextPageToken).toBeUndefined();
    const stranger = await call(sandbox, 'ReadImageExportTasks', {}, { accessKey: 'NOPE' });
    expect(stranger.status).toBe(401);
  });

  it('takes tags', async () => {
    const task = (await ok(sandbox, 'CreateImageExportTask', exportRequest())).ImageExportTask;
    await ok(sandbox, 'CreateTags', { ResourceIds: [task.TaskId], Tags: [{ Key: 'k', Value: 'v' }] });
    expect((await readTask(task.TaskId)).Tags).toEqual([{ Key: 'k', Value: 'v' }]);
  });

  it.each([
    ['a public OMI of another account', { ImageId: SEEDED.publicImageIds[0] }, '6001'],
    ['an unknown OMI', { ImageId: 'ami-00000000' }, '5023'],
    ['a bad disk format', { OsuExport: { DiskImageFormat: 'vmdk', OsuBucket: 'b' } }, '4047'],
    ['no bucket', { OsuExport: { DiskImageFormat: 'raw' } }, '7000'],
    ['an unknown parameter', { OsuExport: { DiskImageFormat: 'raw', OsuBucket: 'b', Bucket: 'x' } }, '4045'],
  ])('refuses %s', async (_name, override, code) => {
    expect(errorCode(await call(sandbox, 'CreateImageExportTask', { ...exportRequest(), ...override }))).toBe(code);
  });
});
