// The image family end to end (examples/image-pipeline): data "outscale_image" finds the newest public Ubuntu OMI →
// outscale_image copies it → outscale_image_launch_permission shares the copy → outscale_image_export_task exports
// it → data "outscale_image_export_tasks" lists the export; a second plan is empty; destroy undoes all of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, repoPaths, sandboxEnv, workspaceForTest } from './harness/index.js';
import { flat } from './fixtures/image-e2e.js';
import { PUBLISHER_ACCOUNT_ID, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const SHARE_WITH = ['111111111111', '222222222222'];

describeE2e('image family pipeline', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: 300, exportTaskMs: 1500 });
  });
  afterAll(() => sandbox.close());

  it('finds, copies, shares, exports, lists, converges and destroys', async () => {
    const newestUbuntu = sandbox.state
      .liveImages()
      .filter((i) => i.AccountId === PUBLISHER_ACCOUNT_ID && i.ImageName.startsWith('Ubuntu-') && i.State === 'available')
      .sort((a, b) => (a.CreationDate === b.CreationDate ? (a.ImageId < b.ImageId ? -1 : 1) : a.CreationDate < b.CreationDate ? -1 : 1))
      .at(-1)!;
    const tf = await workspaceForTest({ env: sandboxEnv(sandbox), config: readFileSync(join(repoPaths.root, 'examples', 'image-pipeline', 'main.tf'), 'utf8') });
    await tf.writeVars({ share_with_account_ids: SHARE_WITH, bucket: 'pipeline-bucket', oos_access_key: 'OOSKEY', oos_secret_key: 'oosPipelineSecret000000000000000000000' });
    await tf.apply();

    const outputs = await tf.outputs();
    const copyId = outputs.copy_id as string;
    const copy = sandbox.state.activeImage(copyId)!;
    expect(copy).toMatchObject({ AccountId: sandbox.accountId, State: 'available', Description: `Copy of ${newestUbuntu.ImageId}` });
    expect(copy.PermissionsToLaunch).toEqual({ GlobalPermission: false, AccountIds: SHARE_WITH });
    expect(outputs.shared_with).toEqual([{ account_ids: SHARE_WITH, global_permission: 'false' }]);
    expect(outputs.export_state).toBe('completed');
    const tasks = [...sandbox.state.exportTasks.values()].filter((t) => t.ImageId === copyId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.Tags).toEqual([{ Key: 'source', Value: newestUbuntu.ImageId }]);
    expect(tasks[0]!.OsuExport.OsuPrefix).toBe(`omis/${copy.ImageName}/${copyId}/`);
    expect(outputs.exports_of_copy).toEqual([tasks[0]!.TaskId]);
    // outscale_image.copy's computed permissions_to_launch was stored before the launch permission shared the copy:
    // the first refresh-only plan reports that (the plain plan is empty); once refreshed, both are empty
    expect((await tf.plan({ detailedExitCode: true })).hasChanges).toBe(false);
    const refresh = await tf.plan({ detailedExitCode: true, args: ['-refresh-only'] });
    expect(flat(refresh.stdout)).toContain('# outscale_image.copy has changed');
    expect(flat(refresh.stdout)).not.toContain('outscale_image_launch_permission.share has changed');
    await tf.apply({ args: ['-refresh-only'] });
    await tf.expectNoChanges();

    await tf.destroy();
    expect(sandbox.state.activeImage(copyId)).toBeUndefined();
    expect(await tf.stateList()).toEqual([]);
    // the completed export stays a record of the API; nothing of ours is running any more
    expect([...sandbox.state.exportTasks.values()].filter((t) => t.ImageId === copyId).map((t) => t.State)).toEqual(['completed']);
  }, 300_000);
}, { needsProvider: true });
