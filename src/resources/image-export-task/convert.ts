// Export task ↔ state values, and the rules that are not I/O: which states are final, how the configured prefix is
// recovered from the one the API reports.
import type { ImageExportTask, OsuExportToCreate } from '../../outscale/types.js';
import { isObjectValue, objectValue, type ObjectValue, type Value } from '../../protocol/value.js';

export const RUNNING_STATES = new Set(['pending/queued', 'pending']);
export const FAILED_STATES = new Set(['failed', 'cancelled']);

/** The API reports `PREFIX/<image id>/` for a requested `PREFIX`; return what was configured. */
export function configuredPrefix(reported: string | undefined, imageId: string, known: Value): string | null {
  if (reported === undefined) return typeof known === 'string' ? known : null;
  if (typeof known === 'string' && reported.startsWith(known)) return known;
  const suffix = `${imageId}/`;
  const base = reported.endsWith(suffix) ? reported.slice(0, -suffix.length) : reported;
  const trimmed = base.replace(/\/$/, '');
  return trimmed === '' ? null : trimmed;
}

export function firstElement(v: Value | undefined): ObjectValue | undefined {
  const el = Array.isArray(v) ? v[0] : undefined;
  return isObjectValue(el) ? el : undefined;
}

export function osuExportRequest(osuExport: ObjectValue): OsuExportToCreate {
  const key = firstElement(osuExport.osu_api_key);
  const str = (v: Value | undefined) => (typeof v === 'string' ? v : undefined);
  const prefix = str(osuExport.osu_prefix);
  const manifest = str(osuExport.osu_manifest_url);
  return {
    DiskImageFormat: String(osuExport.disk_image_format),
    OsuBucket: String(osuExport.osu_bucket),
    ...(prefix !== undefined ? { OsuPrefix: prefix } : {}),
    ...(manifest !== undefined ? { OsuManifestUrl: manifest } : {}),
    ...(key ? { OsuApiKey: { ApiKeyId: String(key.api_key_id), SecretKey: String(key.secret_key) } } : {}),
  };
}

/** The API's view of a task, with what only the state knows (the API key, the configured prefix) carried over. */
export function taskToState(task: ImageExportTask, carried: ObjectValue | null): ObjectValue {
  const prior = firstElement(carried?.osu_export);
  const api = task.OsuExport ?? {};
  const imageId = task.ImageId ?? '';
  return objectValue({
    id: task.TaskId ?? null,
    task_id: task.TaskId ?? null,
    image_id: task.ImageId ?? null,
    state: task.State ?? '',
    progress: task.Progress ?? 0,
    comment: task.Comment ?? '',
    osu_export: [
      objectValue({
        disk_image_format: api.DiskImageFormat ?? prior?.disk_image_format ?? null,
        osu_bucket: api.OsuBucket ?? prior?.osu_bucket ?? null,
        osu_prefix: configuredPrefix(api.OsuPrefix, imageId, prior?.osu_prefix ?? null),
        osu_manifest_url: api.OsuManifestUrl ?? prior?.osu_manifest_url ?? null,
        osu_api_key: Array.isArray(prior?.osu_api_key) ? prior.osu_api_key : [],
      }),
    ],
    tags: (task.Tags ?? []).map((t) => objectValue({ key: t.Key, value: t.Value ?? '' })),
    wait_for_completion: carried?.wait_for_completion ?? true,
    request_id: carried?.request_id ?? null,
    timeouts: carried?.timeouts ?? null,
  });
}

export function describeTask(task: ImageExportTask): string {
  return task.Comment ? `comment: ${task.Comment}` : 'no comment given';
}
