// outscale_image_export_task: the official Go provider's names and shapes (`osu_export` as a list block, its
// `osu_api_key` a list block, `tags` a set block), with `osu_api_key.secret_key` sensitive and `osu_export` limited to
// the one element the API takes.
import { attribute, block, type, type Model } from '../../framework/schema.js';
import { lengthBetween, oneOf } from '../../framework/validators.js';
import { timeoutsBlock } from '../shared/go-provider.js';

export const EXPORT_TASK_TIMEOUTS_MS = { create: 40 * 60_000, read: 5 * 60_000, update: 10 * 60_000, delete: 5 * 60_000 };

export const osuExportBlock = {
  attributes: {
    disk_image_format: attribute(type.string, {
      required: true,
      validators: [oneOf(['qcow2', 'raw'])],
      description: 'The format of the exported disk: `qcow2` or `raw`.',
    }),
    osu_bucket: attribute(type.string, { required: true, validators: [lengthBetween(1, 255)], description: 'The OOS bucket to export to.' }),
    osu_prefix: attribute(type.string, {
      optional: true,
      description:
        'The prefix of the exported objects\' keys. Kept as written (the API reports it followed by `/<image id>/`; a prefix containing `/` is fine).',
    }),
    osu_manifest_url: attribute(type.string, { optional: true, computed: true, description: 'The URL of the manifest file.' }),
  },
  blocks: {
    osu_api_key: block(
      'list',
      {
        attributes: {
          api_key_id: attribute(type.string, { required: true, description: 'The access key of the OOS account that may write to the bucket.' }),
          secret_key: attribute(type.string, {
            required: true,
            sensitive: true,
            description: 'Its secret key (sensitive: never shown in plans, outputs or logs). Only used at creation; changing it changes nothing remotely.',
          }),
        },
      },
      { maxItems: 1, description: 'The OOS credentials the export writes with. Cannot be read back: null after an import.' },
    ),
  },
};

export const exportTaskBlock = {
  description:
    'Exports an OUTSCALE machine image (OMI) you own to an OUTSCALE Object Storage (OOS) bucket, to copy it to another Region or account. Destroying it cancels the export if it is still running; exported objects stay in the bucket.',
  attributes: {
    id: attribute(type.string, { computed: true, useStateForUnknown: true, description: 'The ID of the export task (same as `task_id`).' }),
    task_id: attribute(type.string, { computed: true, useStateForUnknown: true, description: 'The ID of the export task.' }),
    image_id: attribute(type.string, { required: true, requiresReplace: true, description: 'The ID of the OMI to export (one you own).' }),
    wait_for_completion: attribute(type.bool, {
      optional: true,
      computed: true,
      default: true,
      description:
        'Wait until the export is `completed` (default `true`). With `false`, apply returns once the task is created; `state` and `progress` are refreshed later.',
    }),
    state: attribute(type.string, {
      computed: true,
      description: 'The state of the task: `pending/queued`, `pending`, `completed`, `failed` or `cancelled`.',
    }),
    progress: attribute(type.number, { computed: true, description: 'The progress of the export, in percent.' }),
    comment: attribute(type.string, { computed: true, description: 'What the API says about the task (why it failed, when it did).' }),
    request_id: attribute(type.string, { computed: true, useStateForUnknown: true, description: 'The ID of the request that created the task.' }),
  },
  blocks: {
    osu_export: block('list', osuExportBlock, {
      minItems: 1,
      maxItems: 1,
      description: 'Where and how to export. Changing any argument but `osu_api_key` starts a new export.',
    }),
    tags: block(
      'set',
      {
        attributes: {
          key: attribute(type.string, { required: true, validators: [lengthBetween(1, 255)], description: 'The tag key.' }),
          value: attribute(type.string, { optional: true, computed: true, validators: [lengthBetween(0, 255)], description: 'The tag value (empty when not set).' }),
        },
      },
      { description: 'Tags on the export task. Updated in place.' },
    ),
    timeouts: timeoutsBlock(EXPORT_TASK_TIMEOUTS_MS, ' (the wait for completion included)'),
  },
};

export const exportTaskSchema = { version: 0, block: exportTaskBlock };

export type ExportTaskModel = Model<typeof exportTaskBlock>;
