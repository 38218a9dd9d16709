// outscale_image_launch_permission through the real terraform against the sandbox: in-place changes sent as
// separate Additions / Removals calls, drift made behind Terraform's back, a public-only grant that stays, destroy
// revoking only what the resource granted, import by image id, and a state written by the official Go provider.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, providerBlock, sandboxEnv, workspaceForTest, type TerraformWorkspace } from './harness/index.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ok } from '../sandbox/helpers.js';
import { changeOf, flat } from './fixtures/image-e2e.js';
import { fillGoState, goProviderFixture } from './fixtures/go-provider-fixtures.js';

const TIMEOUT_MS = 180_000;
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const OUTSIDER = '444444444444';

async function newImage(sandbox: Sandbox, name: string): Promise<string> {
  return (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: name, NoReboot: true })).Image.ImageId as string;
}

function acl(sandbox: Sandbox, id: string): { accounts: string[]; global: boolean } {
  const p = sandbox.state.activeImage(id)!.PermissionsToLaunch;
  return { accounts: [...p.AccountIds].sort(), global: p.GlobalPermission };
}

function permissionConfig(imageId: string, body: string): string {
  return `${providerBlock()}\nresource "outscale_image_launch_permission" "x" {\n  image_id = "${imageId}"\n${body}\n}\n`;
}

const additions = (ids: string[], global?: string) =>
  `  permission_additions {\n    account_ids = ${JSON.stringify(ids)}\n${global ? `    global_permission = ${global}\n` : ''}  }\n`;
const removals = (ids: string[]) => `  permission_removals {\n    account_ids = ${JSON.stringify(ids)}\n  }\n`;

/** UpdateImage calls recorded since `from`: each must carry Additions or Removals, never both. */
function permissionCalls(sandbox: Sandbox, from: number): Array<'Additions' | 'Removals'> {
  return sandbox.calls
    .slice(from)
    .filter((c) => c.action === 'UpdateImage' && c.status === 200)
    .map((c) => {
      const p = (c.request as { PermissionsToLaunch?: Record<string, unknown> }).PermissionsToLaunch ?? {};
      expect(Object.keys(p)).toHaveLength(1);
      return Object.keys(p)[0] as 'Additions' | 'Removals';
    });
}

describeE2e('outscale_image_launch_permission', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: 0 });
  });
  afterAll(() => sandbox.close());

  it('changes in place, shows drift, and destroy revokes only what it granted', async () => {
    const id = await newImage(sandbox, 'lp-main');
    await ok(sandbox, 'UpdateImage', { ImageId: id, PermissionsToLaunch: { Additions: { AccountIds: [OUTSIDER, B] } } });
    const tf = await workspaceForTest({ env: sandboxEnv(sandbox), config: permissionConfig(id, additions([A])) });
    await tf.apply();
    expect(acl(sandbox, id)).toEqual({ accounts: [A, B, OUTSIDER], global: false });
    const state = await tf.resource('outscale_image_launch_permission.x');
    expect(state).toMatchObject({ id, image_id: id, permission_additions: [{ account_ids: [A], global_permission: 'false' }] });
    expect(state.permissions_to_launch).toEqual([{ account_ids: [OUTSIDER, B, A], global_permission: 'false' }]);
    await tf.expectNoChanges();

    // one change adding C, making it public and taking B away: an update in place, as two separate calls
    await tf.writeConfig(permissionConfig(id, additions([A, C], 'true') + removals([B])));
    const plan = await tf.planJson();
    expect(changeOf(plan, 'outscale_image_launch_permission.x').change.actions).toEqual(['update']);
    const before = sandbox.calls.length;
    await tf.apply();
    expect(permissionCalls(sandbox, before)).toEqual(['Additions', 'Removals']);
    expect(acl(sandbox, id)).toEqual({ accounts: [A, C, OUTSIDER], global: true });
    await tf.expectNoChanges();

    // drift: A removed and B re-shared behind Terraform's back
    await ok(sandbox, 'UpdateImage', { ImageId: id, PermissionsToLaunch: { Removals: { AccountIds: [A] } } });
    await ok(sandbox, 'UpdateImage', { ImageId: id, PermissionsToLaunch: { Additions: { AccountIds: [B] } } });
    const drift = await tf.plan({ detailedExitCode: true });
    expect(drift.hasChanges).toBe(true);
    expect(flat(drift.stdout)).toContain('outscale_image_launch_permission.x will be updated in-place');
    expect(flat(drift.stdout)).toContain(`+ "${A}"`);
    expect(flat(drift.stdout)).toContain(`+ "${B}"`);
    await tf.apply();
    expect(acl(sandbox, id)).toEqual({ accounts: [A, C, OUTSIDER], global: true });
    await tf.expectNoChanges();

    // destroy: A and C and the public flag go; the outsider's access stays; B (removed by it) is not given back
    await tf.destroy();
    expect(acl(sandbox, id)).toEqual({ accounts: [OUTSIDER], global: false });
  }, TIMEOUT_MS);

  it('keeps a public-only grant in state and revokes it on destroy', async () => {
    const id = await newImage(sandbox, 'lp-public');
    const tf = await workspaceForTest({
      env: sandboxEnv(sandbox),
      config: permissionConfig(id, '  permission_additions {\n    global_permission = true\n  }\n'),
    });
    await tf.apply();
    expect(acl(sandbox, id)).toEqual({ accounts: [], global: true });
    await tf.expectNoChanges();
    expect(await tf.stateList()).toEqual(['outscale_image_launch_permission.x']);
    await tf.destroy();
    expect(acl(sandbox, id)).toEqual({ accounts: [], global: false });
  }, TIMEOUT_MS);

  it('imports by image id, adopting the current sharing', async () => {
    const id = await newImage(sandbox, 'lp-import');
    await ok(sandbox, 'UpdateImage', { ImageId: id, PermissionsToLaunch: { Additions: { AccountIds: [A, B], GlobalPermission: true } } });
    const tf = await workspaceForTest({ env: sandboxEnv(sandbox), config: permissionConfig(id, additions([A, B], '"true"')) });
    const bad = await tf.import('outscale_image_launch_permission.x', 'i-12345678', { allowFailure: true });
    expect(bad.code).not.toBe(0);
    expect(flat(bad.stderr)).toContain('Expected an OMI id');
    await tf.import('outscale_image_launch_permission.x', id);
    await tf.expectNoChanges();
  }, TIMEOUT_MS);

  it('rejects an account in both blocks and a malformed account id at validate time', async () => {
    const tf = await workspaceForTest({ env: sandboxEnv(sandbox), config: permissionConfig('ami-12345678', additions([A]) + removals([A])) });
    const both = await tf.validate({ allowFailure: true });
    expect(both.code).not.toBe(0);
    expect(flat(both.stderr)).toContain(`account ${A} is in both permission_additions and permission_removals`);
    await tf.writeConfig(permissionConfig('ami-12345678', additions(['12345'])));
    const malformed = await tf.validate({ allowFailure: true });
    expect(flat(malformed.stderr)).toContain('a 12-digit OUTSCALE account ID');
    expect(flat(malformed.stderr)).toContain('account_ids = ["12345"]'); // Terraform shows the path as the source line
  }, TIMEOUT_MS);
}, { needsProvider: true });

describeE2e('outscale_image_launch_permission: a state written by the official Go provider (TF-68)', () => {
  const OWNER = '210987654321';
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, imagePendingMs: 0, keys: [{ accessKey: 'OSCOWNERACCESSKEY001', secretKey: 'oscOwnerSecretKey0000000000000000000000x', accountId: OWNER }] });
  });
  afterAll(() => sandbox.close());

  const fixture = goProviderFixture('TF-68_');
  const run = 'text' in fixture ? it : it.skip;
  if ('missing' in fixture) console.warn(`TF-68 e2e skipped: ${fixture.missing}`);

  run('reads with no changes, and destroy revokes the grant', async () => {
    if (!('text' in fixture)) return;
    const id = await newImage(sandbox, 'tf-68-image');
    // the Go provider's test shared the OMI with account 123456789012
    await ok(sandbox, 'UpdateImage', { ImageId: id, PermissionsToLaunch: { Additions: { AccountIds: ['123456789012'] } } });
    const state = fillGoState(fixture.text, {
      types: ['outscale_image_launch_permission'],
      ids: { 0: OWNER, 2: id },
      masked: { request_id: randomUUID() },
      lineage: randomUUID(),
    });
    const tf: TerraformWorkspace = await workspaceForTest({
      env: sandboxEnv(sandbox),
      config: permissionConfig(id, additions(['123456789012'])).replace('"x"', '"outscale_image_launch_permission"'),
    });
    await tf.writeFile('terraform.tfstate', state);
    await tf.expectNoChanges();
    await tf.destroy();
    expect(acl(sandbox, id)).toEqual({ accounts: [], global: false });
  }, TIMEOUT_MS);
}, { needsProvider: true });
