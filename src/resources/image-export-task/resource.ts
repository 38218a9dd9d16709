// outscale_image_export_task: CreateImageExportTask, then (wait_for_completion) poll until the task is `completed`.
// The task is in the result as soon as it exists, so a task that ends `failed` or `cancelled`, a timeout or Ctrl-C
// leave it in state with the error (Terraform taints it: the next apply exports again). Destroy cancels a task that
// is still running. The OOS secret key goes to the API only: never into a log line or an error text.
import type { OscClient } from '../../outscale/client.js';
import { OscApiError, isAbortError } from '../../outscale/errors.js';
import type { ImageExportTask } from '../../outscale/types.js';
import { valueEquals } from '../../protocol/codec/index.js';
import { objectValue, type ObjectValue, type Value } from '../../protocol/value.js';
import type { Diagnostics } from '../../framework/diagnostics.js';
import type { PlanContext } from '../../framework/plan.js';
import type { ApplyResult, ResourceDefinition } from '../../framework/resource.js';
import { diffTags } from '../image/resource.js';
import { tagsFromValue } from '../image/convert.js';
import { pollUntil, WaitTimeoutError } from '../image/wait.js';
import { knownOrNull, oscClient, timeoutMs, type OscContext } from '../shared/context.js';
import { goProviderUpgrade } from '../shared/go-provider.js';
import { describeTask, FAILED_STATES, firstElement, osuExportRequest, RUNNING_STATES, taskToState } from './convert.js';
import { EXPORT_TASK_TIMEOUTS_MS, exportTaskBlock, exportTaskSchema } from './schema.js';

const TASK_ID = /^image-export-[0-9a-zA-Z]+$/;
type Op = keyof typeof EXPORT_TASK_TIMEOUTS_MS;
const deadline = (state: ObjectValue, op: Op) => Date.now() + timeoutMs(state, op, EXPORT_TASK_TIMEOUTS_MS);
/** Arguments of `osu_export` whose change means a new export (the API key is only used at creation). */
const REPLACING = ['disk_image_format', 'osu_bucket', 'osu_prefix', 'osu_manifest_url'] as const;

async function readTask(id: string, ctx: OscContext, until: number): Promise<ImageExportTask | undefined> {
  const res = await oscClient(ctx).readImageExportTasks({ Filters: { TaskIds: [id] } }, { signal: ctx.signal, deadline: until });
  return res.ImageExportTasks?.find((t) => t.TaskId === id);
}

/** An API error whose text would carry the secret key is re-worded without it. */
export function withoutSecret(e: unknown, secret: string | undefined): unknown {
  if (!secret || secret.length < 4 || !(e instanceof Error) || !e.message.includes(secret)) return e;
  const code = e instanceof OscApiError ? ` (code ${e.code ?? 'none'}, request id ${e.requestId ?? 'none'})` : '';
  return new Error(`${e.message.split(secret).join('***')}${code}`);
}

async function waitCompleted(id: string, until: number, ctx: OscContext): Promise<ImageExportTask> {
  let last: ImageExportTask | undefined;
  return pollUntil(
    async () => {
      last = await readTask(id, ctx, until);
      if (last === undefined || RUNNING_STATES.has(last.State ?? '')) {
        oscClient(ctx).log.info('waiting for an image export task', { task_id: id, state: last?.State, progress: last?.Progress });
        return undefined;
      }
      return last;
    },
    {
      timeoutMs: Math.max(0, until - Date.now()),
      signal: ctx.signal,
      describe: () => `waiting for ${id} to complete (state ${last?.State ?? 'not listed yet'}, progress ${last?.Progress ?? 0}%)`,
    },
  );
}

async function create(req: { planned: ObjectValue; config: ObjectValue }, result: ApplyResult, ctx: OscContext): Promise<void> {
  const osc = oscClient(ctx);
  const until = deadline(req.config, 'create');
  const osuExport = firstElement(req.config.osu_export);
  if (!osuExport) throw new Error('osu_export is required.');
  const request = { ImageId: String(req.config.image_id), OsuExport: osuExportRequest(osuExport) };
  let created;
  try {
    created = await osc.createImageExportTask(request, { signal: ctx.signal, deadline: until });
  } catch (e) {
    if (e instanceof OscApiError && e.hasCode(5023)) {
      ctx.diagnostics.fromError(e, `Cannot export ${request.ImageId} (it does not exist or is not yours)`, [{ attribute: 'image_id' }]);
      return;
    }
    throw withoutSecret(e, request.OsuExport.OsuApiKey?.SecretKey);
  }
  const task = created.ImageExportTask;
  const id = task?.TaskId;
  if (!task || !id) throw new Error('CreateImageExportTask answered without a task id.');
  const carried = objectValue({ ...req.planned, request_id: created.ResponseContext?.RequestId ?? '' });
  result.state = taskToState(task, carried);

  const kept = `The export task ${id} is recorded in state; Terraform marks it tainted, so the next apply exports again.`;
  const tags = tagsFromValue(req.config.tags ?? null);
  try {
    if (tags.length > 0) await osc.createTags({ ResourceIds: [id], Tags: tags }, { signal: ctx.signal, deadline: until });
    const done = req.planned.wait_for_completion === false ? await readTask(id, ctx, until) : await waitCompleted(id, until, ctx);
    if (done) result.state = taskToState(done, carried);
    if (done && FAILED_STATES.has(done.State ?? '')) {
      ctx.diagnostics.error(`The export of ${request.ImageId} ended ${done.State}`, `Task ${id}, ${describeTask(done)}. ${kept}`);
    }
  } catch (e) {
    if (isAbortError(e) || ctx.signal.aborted) ctx.diagnostics.error('Interrupted while waiting for the export', kept);
    else if (e instanceof WaitTimeoutError) ctx.diagnostics.error('Timed out waiting for the export', `${e.message}. ${kept}`);
    else ctx.diagnostics.fromError(e, `Failed after creating the export task ${id}`);
  }
}

async function read(req: { state: ObjectValue }, ctx: OscContext): Promise<ObjectValue | null> {
  const id = req.state.task_id ?? req.state.id;
  if (typeof id !== 'string' || id === '') return null;
  const task = await readTask(id, ctx, deadline(req.state, 'read'));
  if (!task) return null;
  if (FAILED_STATES.has(task.State ?? '') && req.state.state !== task.State) {
    ctx.diagnostics.warning(
      `The export task ${id} ended ${task.State}`,
      `${describeTask(task)}. To export again: terraform apply -replace=<address of this resource>.`,
    );
  }
  return taskToState(task, req.state);
}

async function update(req: { prior: ObjectValue; planned: ObjectValue; config: ObjectValue }, result: ApplyResult, ctx: OscContext): Promise<void> {
  const osc = oscClient(ctx);
  const id = String(req.prior.task_id ?? req.prior.id);
  const options = { signal: ctx.signal, deadline: deadline(req.config, 'update') };
  result.state = req.prior;
  const { remove, add } = diffTags(tagsFromValue(req.prior.tags ?? null), tagsFromValue(req.config.tags ?? null));
  if (remove.length > 0) await osc.deleteTags({ ResourceIds: [id], Tags: remove }, options);
  if (add.length > 0) await osc.createTags({ ResourceIds: [id], Tags: add }, options);
  const task = await readTask(id, ctx, options.deadline);
  // the API key, wait_for_completion and timeouts change nothing remotely: stored as planned
  const carried = objectValue({ ...req.planned, request_id: knownOrNull(req.prior.request_id) });
  if (task) result.state = taskToState(task, carried);
  else ctx.diagnostics.error('Export task not found', `${id} is no longer listed by the API.`);
}

async function remove(req: { prior: ObjectValue }, ctx: OscContext): Promise<void> {
  const id = String(req.prior.task_id ?? req.prior.id);
  const until = deadline(req.prior, 'delete');
  const task = await readTask(id, ctx, until);
  if (!task || !RUNNING_STATES.has(task.State ?? '')) return; // finished: the exported objects stay in the bucket
  try {
    await oscClient(ctx).deleteExportTask({ ExportTaskId: id }, { signal: ctx.signal, deadline: until });
  } catch (e) {
    // it finished between the read and the cancel: nothing left to cancel
    const after = await readTask(id, ctx, until).catch(() => undefined);
    if (after && !RUNNING_STATES.has(after.State ?? '')) return;
    throw e;
  }
}

function importState(id: string, ctx: OscContext): ObjectValue {
  const state = objectValue({
    id: null, task_id: null, image_id: null, wait_for_completion: true, state: null, progress: null, comment: null,
    request_id: null, osu_export: [], tags: [], timeouts: null,
  });
  if (!TASK_ID.test(id)) {
    ctx.diagnostics.error('Invalid import id', `Expected an image export task id such as "image-export-12345678", got "${id}".`);
    return state;
  }
  return objectValue({ ...state, id, task_id: id, request_id: '' });
}

/** A change of the export's destination or format is a new export; a new API key or tags are not. */
function modifyPlan(ctx: PlanContext): void {
  const { prior, planned } = ctx;
  if (prior === null) return;
  const before = firstElement(prior.osu_export);
  const after = firstElement(planned.osu_export);
  if (!before || !after) return;
  for (const name of REPLACING) {
    const was: Value = before[name] ?? null;
    const now: Value = after[name] ?? null;
    if (was !== null && !valueEquals(was, now, 'string')) {
      ctx.requiresReplace.push([{ attribute: 'osu_export' }, { index: 0 }, { attribute: name }]);
    }
  }
}

const upgradeFromGo = goProviderUpgrade('outscale_image_export_task', exportTaskBlock, 'task_id');

function upgradeState(version: number, raw: Record<string, unknown>, diags: Diagnostics): ObjectValue | null {
  const state = upgradeFromGo(version, raw, diags);
  if (state && state.wait_for_completion === null) state.wait_for_completion = true;
  return state;
}

export const imageExportTaskResource: ResourceDefinition<OscClient, typeof exportTaskBlock> = {
  typeName: 'outscale_image_export_task',
  schema: exportTaskSchema,
  modifyPlan,
  create,
  read,
  update,
  delete: remove,
  importState,
  upgradeState,
};
