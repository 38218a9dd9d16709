// Plans of the image family resources through the framework's plan engine: what replaces, what updates in place.
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { planResourceChange } from '../../../src/framework/plan.js';
import { isUnknown, objectValue, type ObjectValue } from '../../../src/protocol/value.js';
import { imageExportTaskResource } from '../../../src/resources/image-export-task/resource.js';
import { imageLaunchPermissionResource } from '../../../src/resources/image-launch-permission/resource.js';

const key = (secret: string) => [objectValue({ api_key_id: 'AK', secret_key: secret })];
const osu = (o: Record<string, unknown> = {}) =>
  objectValue({ disk_image_format: 'qcow2', osu_bucket: 'b', osu_prefix: 'p/q', osu_manifest_url: 'https://m', osu_api_key: key('s1'), ...o } as ObjectValue);
const taskState = (osuExport: ObjectValue, tags: ObjectValue[] = []) =>
  objectValue({
    id: 'image-export-1', task_id: 'image-export-1', image_id: 'ami-1', wait_for_completion: true, state: 'completed', progress: 100,
    comment: '', request_id: 'r', osu_export: [osuExport], tags, timeouts: null,
  });

async function plan(r: typeof imageExportTaskResource | typeof imageLaunchPermissionResource, prior: ObjectValue, config: ObjectValue) {
  const diags = new Diagnostics();
  // the proposed new state as Terraform makes it: config values, computed ones from prior
  const proposed = objectValue({ ...prior, ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null)) });
  const result = await planResourceChange(r.schema.block, { prior, proposed, config }, diags, r.modifyPlan);
  expect(diags.items).toEqual([]);
  return result;
}

describe('outscale_image_export_task plan', () => {
  const prior = taskState(osu());
  it.each([
    ['osu_bucket', { osu_bucket: 'other' }],
    ['osu_prefix', { osu_prefix: 'p' }],
    ['disk_image_format', { disk_image_format: 'raw' }],
  ])('a new %s replaces', async (name, change) => {
    const config = objectValue({ ...taskState(osu(change)), id: null, task_id: null, state: null, progress: null, comment: null, request_id: null });
    const { requiresReplace } = await plan(imageExportTaskResource, prior, config);
    expect(requiresReplace).toEqual([[{ attribute: 'osu_export' }, { index: 0 }, { attribute: name }]]);
  });

  it('a new API key or new tags update in place', async () => {
    const config = objectValue({
      ...taskState(osu({ osu_api_key: key('s2') }), [objectValue({ key: 'k', value: 'v' })]),
      id: null, task_id: null, state: null, progress: null, comment: null, request_id: null,
    });
    const { requiresReplace, planned } = await plan(imageExportTaskResource, prior, config);
    expect(requiresReplace).toEqual([]);
    expect(planned.task_id).toBe('image-export-1');
  });
});

describe('outscale_image_launch_permission plan', () => {
  const block = (ids: string[]) => [objectValue({ account_ids: ids, global_permission: 'false' })];
  const prior = objectValue({
    id: 'ami-1', image_id: 'ami-1', description: '', request_id: 'r', timeouts: null,
    permissions_to_launch: [objectValue({ account_ids: ['111111111111'], global_permission: 'false' })],
    permission_additions: block(['111111111111']), permission_removals: [],
  });
  const config = (additions: ObjectValue[]) =>
    objectValue({ ...prior, id: null, description: null, request_id: null, permissions_to_launch: null, permission_additions: additions });

  it('another account is an in-place update; the ACL and request id become unknown', async () => {
    const { requiresReplace, planned } = await plan(imageLaunchPermissionResource, prior, config(block(['111111111111', '222222222222'])));
    expect(requiresReplace).toEqual([]);
    expect(isUnknown(planned.permissions_to_launch!)).toBe(true);
    expect(isUnknown(planned.request_id!)).toBe(true);
    expect(planned.id).toBe('ami-1');
  });

  it('the same sharing plans nothing', async () => {
    const { planned } = await plan(imageLaunchPermissionResource, prior, config(block(['111111111111'])));
    expect(planned).toEqual(prior);
  });

  it('another image replaces', async () => {
    const { requiresReplace } = await plan(imageLaunchPermissionResource, prior, objectValue({ ...config(block(['111111111111'])), image_id: 'ami-2' }));
    expect(requiresReplace).toEqual([[{ attribute: 'image_id' }]]);
  });
});
