// CreateImageExportTask / ReadImageExportTasks / DeleteExportTask. A task's life is computed from the clock at read
// time: `pending/queued` for the first quarter of `exportTaskMs`, then `pending` with a rising Progress, then its
// outcome (`completed`, or `failed` with the Comment of the failExportTasks fault). DeleteExportTask cancels it while
// it is still running; a cancelled task stays listed as `cancelled`.
import type { ActionContext, ActionHandler } from './context.js';
import { errors } from './errors.js';
import { paginate } from './pagination.js';
import { pagination, strings } from './shape.js';
import { canSeeImage, type SandboxState } from './state.js';
import type { ImageExportTaskView, StoredExportTask } from './types.js';

const DISK_IMAGE_FORMATS = ['qcow2', 'raw'];
const RUNNING = new Set(['pending/queued', 'pending']);

interface CreateRequest {
  ImageId: string;
  OsuExport: {
    DiskImageFormat: string;
    OsuBucket: string;
    OsuPrefix?: string;
    OsuManifestUrl?: string;
    OsuApiKey?: { ApiKeyId?: string; SecretKey?: string };
  };
}

/** The State, Progress and Comment a task has at `nowMs`. */
export function settleExportTask(task: StoredExportTask, nowMs: number): void {
  const { createdAtMs, doneAtMs, outcome, cancelledAtMs } = task.internal;
  if (cancelledAtMs !== undefined) {
    task.State = 'cancelled';
    task.Comment = 'Export cancelled.';
    return;
  }
  if (nowMs >= doneAtMs) {
    task.State = outcome;
    task.Progress = outcome === 'completed' ? 100 : task.Progress;
    if (outcome === 'failed') task.Comment = task.internal.failComment ?? 'Export failed.';
    return;
  }
  const elapsed = (nowMs - createdAtMs) / Math.max(1, doneAtMs - createdAtMs);
  task.State = elapsed < 0.25 ? 'pending/queued' : 'pending';
  task.Progress = elapsed < 0.25 ? 0 : Math.min(99, Math.floor(elapsed * 100));
}

function view(task: StoredExportTask): ImageExportTaskView {
  const { internal: _internal, AccountId: _account, ...rest } = task;
  return structuredClone(rest);
}

function ownTasks(state: SandboxState, accountId: string, nowMs: number): StoredExportTask[] {
  const tasks = [...state.exportTasks.values()].filter((t) => t.AccountId === accountId);
  for (const t of tasks) settleExportTask(t, nowMs);
  return tasks.sort((a, b) => a.internal.createdAtMs - b.internal.createdAtMs || (a.TaskId < b.TaskId ? -1 : 1));
}

/** The prefix the API reports: the requested one, then `/<image id>/` (spec example: `PREFIX/ami-12345678/`). */
function reportedPrefix(prefix: string | undefined, imageId: string): string {
  if (prefix === undefined || prefix === '') return `${imageId}/`;
  return `${prefix.replace(/\/+$/, '')}/${imageId}/`;
}

export const createImageExportTask: ActionHandler = {
  mutates: true,
  shape: {
    object: {
      DryRun: 'boolean',
      ImageId: 'string',
      OsuExport: {
        object: {
          DiskImageFormat: 'string',
          OsuBucket: 'string',
          OsuPrefix: 'string',
          OsuManifestUrl: 'string',
          OsuApiKey: { object: { ApiKeyId: 'string', SecretKey: 'string' } },
        },
        required: ['DiskImageFormat', 'OsuBucket'],
      },
    },
    required: ['OsuExport', 'ImageId'],
  },
  run(body, ctx: ActionContext) {
    const req = body as unknown as CreateRequest;
    const image = ctx.state.activeImage(req.ImageId);
    if (!image || !canSeeImage(image, ctx.accountId)) throw errors.noSuchImage(req.ImageId);
    if (image.AccountId !== ctx.accountId) {
      throw errors.invalidImageState(`You cannot export ${req.ImageId}: it is shared with you or public; copy it to your account first.`);
    }
    if (image.State !== 'available') throw errors.invalidImageState(`The OMI ${req.ImageId} is ${image.State}, not available.`);
    const out = req.OsuExport;
    if (!DISK_IMAGE_FORMATS.includes(out.DiskImageFormat)) {
      throw errors.invalidValue(`DiskImageFormat must be one of ${DISK_IMAGE_FORMATS.join(', ')}.`);
    }
    if (out.OsuBucket === '') throw errors.missingParameter('OsuExport.OsuBucket');
    const failComment = ctx.exportFailure(out.OsuBucket);
    const taskId = ctx.state.newId('image-export');
    const prefix = reportedPrefix(out.OsuPrefix, req.ImageId);
    const task: StoredExportTask = {
      TaskId: taskId,
      ImageId: req.ImageId,
      AccountId: ctx.accountId,
      State: 'pending/queued',
      Progress: 0,
      Comment: `Export of image ${req.ImageId}`,
      OsuExport: {
        DiskImageFormat: out.DiskImageFormat,
        OsuBucket: out.OsuBucket,
        OsuPrefix: prefix,
        OsuManifestUrl: out.OsuManifestUrl ?? `https://oos.${ctx.region}.outscale.com/${out.OsuBucket}/${prefix}${req.ImageId}.manifest.xml`,
      },
      Tags: [],
      internal: {
        createdAtMs: ctx.nowMs,
        doneAtMs: ctx.nowMs + ctx.state.timing.exportTaskMs,
        outcome: failComment === undefined ? 'completed' : 'failed',
        ...(failComment !== undefined ? { failComment } : {}),
      },
    };
    ctx.state.exportTasks.set(taskId, task);
    // the creating call always sees the task queued, whatever the delay (the spec's example answer)
    return { ImageExportTask: { ...view(task), State: 'pending/queued', Progress: 0 } };
  },
};

export const readImageExportTasks: ActionHandler = {
  mutates: false,
  shape: {
    object: { DryRun: 'boolean', Filters: { object: { ImageIds: strings, TaskIds: strings } }, ...pagination },
  },
  run(body, ctx) {
    const filters = (body.Filters ?? {}) as { ImageIds?: string[]; TaskIds?: string[] };
    const matching = ownTasks(ctx.state, ctx.accountId, ctx.nowMs).filter(
      (t) => (!filters.TaskIds || filters.TaskIds.includes(t.TaskId)) && (!filters.ImageIds || filters.ImageIds.includes(t.ImageId)),
    );
    const page = paginate(matching, body as { NextPageToken?: string; ResultsPerPage?: number }, 'ReadImageExportTasks');
    return { ImageExportTasks: page.items.map(view), ...(page.nextPageToken ? { NextPageToken: page.nextPageToken } : {}) };
  },
};

export const deleteExportTask: ActionHandler = {
  mutates: true,
  shape: { object: { DryRun: 'boolean', ExportTaskId: 'string' }, required: ['ExportTaskId'] },
  run(body, ctx) {
    const id = body.ExportTaskId as string;
    const task = ctx.state.exportTasks.get(id);
    if (!task || task.AccountId !== ctx.accountId) throw errors.noSuchExportTask(id);
    settleExportTask(task, ctx.nowMs);
    if (!RUNNING.has(task.State)) {
      throw errors.invalidExportTaskState(`The export task ${id} is ${task.State}: only a pending task can be cancelled.`);
    }
    task.internal.cancelledAtMs = ctx.nowMs;
    settleExportTask(task, ctx.nowMs);
    return {};
  },
};
