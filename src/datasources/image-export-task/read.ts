// data "outscale_image_export_task" / "outscale_image_export_tasks": ReadImageExportTasks (all pages) with the
// `task_ids` / `image_ids` filters; the singular one wants exactly one match.
import { createHash } from 'node:crypto';
import type { DataSourceDefinition } from '../../framework/data-source.js';
import type { CallContext } from '../../framework/resource.js';
import type { OscClient } from '../../outscale/client.js';
import type { FiltersImageExportTask, ImageExportTask } from '../../outscale/types.js';
import { objectValue, type ObjectValue, type Value } from '../../protocol/value.js';
import { configuredPrefix } from '../../resources/image-export-task/convert.js';
import { requireClient } from '../client.js';
import { filtersToApi, validateFilters } from '../filters.js';
import { exportTaskDataSourceSchema, exportTaskFilterSpecs, exportTasksDataSourceSchema } from './schema.js';

export function taskObject(task: ImageExportTask): ObjectValue {
  const api = task.OsuExport ?? {};
  return objectValue({
    task_id: task.TaskId ?? '',
    image_id: task.ImageId ?? '',
    state: task.State ?? '',
    progress: task.Progress ?? 0,
    comment: task.Comment ?? '',
    osu_export: [
      objectValue({
        disk_image_format: api.DiskImageFormat ?? '',
        osu_bucket: api.OsuBucket ?? '',
        osu_prefix: configuredPrefix(api.OsuPrefix, task.ImageId ?? '', null) ?? '',
        osu_manifest_url: api.OsuManifestUrl ?? '',
      }),
    ],
    tags: (task.Tags ?? []).map((t) => objectValue({ key: t.Key, value: t.Value ?? '' })),
  });
}

function queryId(kind: string, filters: FiltersImageExportTask): string {
  const canonical = Object.entries(filters).map(([k, v]) => [k, [...(v as string[])].sort()]).sort(([a], [b]) => String(a).localeCompare(String(b)));
  return `${kind}-${createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16)}`;
}

async function readTasks(config: ObjectValue, ctx: CallContext<OscClient>) {
  const filters = filtersToApi(exportTaskFilterSpecs, config.filter ?? null) as FiltersImageExportTask;
  const res = await requireClient(ctx).readImageExportTasks(Object.keys(filters).length > 0 ? { Filters: filters } : {}, { signal: ctx.signal });
  return { filters, tasks: res.ImageExportTasks ?? [], requestId: res.ResponseContext?.RequestId ?? null };
}

const validate = (config: ObjectValue, diags: import('../../framework/diagnostics.js').Diagnostics) =>
  validateFilters(exportTaskFilterSpecs, config.filter ?? null, [{ attribute: 'filter' }], diags);

export const imageExportTaskDataSource: DataSourceDefinition<OscClient, typeof exportTaskDataSourceSchema.block> = {
  typeName: 'outscale_image_export_task',
  schema: exportTaskDataSourceSchema,
  validate,
  async read({ config }, ctx) {
    const { filters, tasks, requestId } = await readTasks(config, ctx);
    const base = objectValue({ id: queryId('image-export-task', filters), request_id: requestId });
    if (tasks.length !== 1) {
      const listed = tasks.slice(0, 5).map((t) => `${t.TaskId} (${t.ImageId}, ${t.State})`).join(', ');
      ctx.diagnostics.error(
        tasks.length === 0 ? 'No export task matches' : `${tasks.length} export tasks match`,
        tasks.length === 0
          ? 'No image export task of this account matches the filters; check `task_ids` / `image_ids`.'
          : `The filters match ${listed}${tasks.length > 5 ? ', …' : ''}. Narrow them (e.g. by task_ids), or use data "outscale_image_export_tasks" to read them all.`,
        [{ attribute: 'filter' }],
      );
      return base;
    }
    return objectValue({ ...base, ...taskObject(tasks[0]!) });
  },
};

export const imageExportTasksDataSource: DataSourceDefinition<OscClient, typeof exportTasksDataSourceSchema.block> = {
  typeName: 'outscale_image_export_tasks',
  schema: exportTasksDataSourceSchema,
  validate,
  async read({ config }, ctx) {
    const { filters, tasks, requestId } = await readTasks(config, ctx);
    return objectValue({
      id: queryId('image-export-tasks', filters),
      request_id: requestId,
      image_export_tasks: tasks.map(taskObject) as Value[],
    });
  },
};
