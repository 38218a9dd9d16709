// Data sources outscale_image_export_task and outscale_image_export_tasks: the official Go provider's names, with
// the `filter` block taking `task_ids` and `image_ids` (the Go provider only maps `task_ids`). Computed nested values
// are attributes of list(object) type.
import { attribute, type } from '../../framework/schema.js';
import { filterBlock, filterSpecs } from '../filters.js';

export const exportTaskFilterSpecs = filterSpecs({ ImageIds: 'string', TaskIds: 'string' });

const osuExportType = type.object({
  disk_image_format: type.string,
  osu_bucket: type.string,
  osu_prefix: type.string,
  osu_manifest_url: type.string,
});
const tagType = type.object({ key: type.string, value: type.string });

/** The attributes of one export task (top level of the singular data source, per element of the plural one). */
export const taskAttributes = {
  task_id: attribute(type.string, { computed: true, description: 'The ID of the export task.' }),
  image_id: attribute(type.string, { computed: true, description: 'The ID of the exported OMI.' }),
  state: attribute(type.string, { computed: true, description: 'The state: `pending/queued`, `pending`, `completed`, `failed` or `cancelled`.' }),
  progress: attribute(type.number, { computed: true, description: 'The progress of the export, in percent.' }),
  comment: attribute(type.string, { computed: true, description: 'What the API says about the task (why it failed, when it did).' }),
  osu_export: attribute(type.list(osuExportType), {
    computed: true,
    description:
      'Where it exports to: `disk_image_format`, `osu_bucket`, `osu_prefix` (the prefix as requested, slashes included; the API reports it followed by `/<image id>/`) and `osu_manifest_url`.',
  }),
  tags: attribute(type.list(tagType), { computed: true, description: 'The tags of the task: `key` and `value`.' }),
};

const common = {
  id: attribute(type.string, { computed: true, description: 'An ID derived from the filters (stable from one read to the next).' }),
  request_id: attribute(type.string, { computed: true, description: 'The ID of the API request.' }),
  dry_run: attribute(type.bool, { optional: true, description: 'Accepted for compatibility with the official provider; has no effect.' }),
};

const blocks = { filter: filterBlock(exportTaskFilterSpecs) };

export const exportTaskDataSourceSchema = {
  version: 0,
  block: {
    description: 'Reads one image export task, found by its ID (`task_ids`) or the OMI it exports (`image_ids`). Zero or several matches are errors.',
    attributes: { ...common, ...taskAttributes },
    blocks,
  },
};

export const exportTasksDataSourceSchema = {
  version: 0,
  block: {
    description: 'Lists the image export tasks of the account, optionally filtered by `task_ids` and `image_ids` (an empty list when none match).',
    attributes: {
      ...common,
      image_export_tasks: attribute(
        type.list(type.object({ task_id: type.string, image_id: type.string, state: type.string, progress: type.number, comment: type.string, osu_export: type.list(osuExportType), tags: type.list(tagType) })),
        { computed: true, description: 'The matching tasks, oldest first, each with the attributes of `outscale_image_export_task`.' },
      ),
    },
    blocks,
  },
};
