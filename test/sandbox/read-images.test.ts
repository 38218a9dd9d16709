import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHER_ACCOUNT_ID, SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, errorCode, ok } from './helpers.js';

let sandbox: Sandbox;
const mine: Record<string, string> = {};

beforeAll(async () => {
  sandbox = await startSandbox({ imagePendingMs: 0 });
  for (const name of ['alpha-1', 'alpha-2', 'beta-1']) {
    mine[name] = (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: name, BootModes: name === 'beta-1' ? ['uefi'] : ['legacy'] })).Image.ImageId;
  }
  await ok(sandbox, 'CreateTags', { ResourceIds: [mine['alpha-1']], Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a' }] });
  await ok(sandbox, 'CreateTags', { ResourceIds: [mine['alpha-2']], Tags: [{ Key: 'env', Value: 'dev' }] });
  await ok(sandbox, 'UpdateImage', { ImageId: mine['beta-1'], PermissionsToLaunch: { Additions: { AccountIds: ['333333333333'] } } });
});
afterAll(() => sandbox.close());

async function ids(filters: Record<string, unknown>): Promise<string[]> {
  const { Images } = await ok(sandbox, 'ReadImages', { Filters: filters });
  return Images.map((i: { ImageId: string }) => i.ImageId);
}

describe('ReadImages', () => {
  it('lists own and public images, public ones with the publisher alias', async () => {
    const { Images } = await ok(sandbox, 'ReadImages', {});
    expect(Images).toHaveLength(6);
    const ubuntu = Images.find((i: { ImageId: string }) => i.ImageId === SEEDED.publicImageIds[0]);
    expect(ubuntu).toMatchObject({
      ImageName: 'Ubuntu-22.04-2026.10.01-0',
      AccountId: PUBLISHER_ACCOUNT_ID,
      AccountAlias: 'Outscale',
      State: 'available',
      PermissionsToLaunch: { GlobalPermission: true, AccountIds: [] },
    });
    expect(Images.filter((i: { AccountAlias?: string }) => i.AccountAlias !== undefined)).toHaveLength(3);
  });

  it('sorts by creation date then id', async () => {
    const { Images } = await ok(sandbox, 'ReadImages', {});
    const keys = Images.map((i: { CreationDate: string; ImageId: string }) => `${i.CreationDate} ${i.ImageId}`);
    expect(keys).toEqual([...keys].sort());
    expect(Images[0].ImageId).toBe(SEEDED.publicImageIds[2]); // Rocky, the oldest
  });

  it.each([
    [{ ImageIds: ['ami-5eed0001', 'ami-5eed0002'] }, ['ami-5eed0002', 'ami-5eed0001']],
    [{ ImageNames: ['alpha-*'] }, ['alpha-1', 'alpha-2']],
    [{ ImageNames: ['Ubuntu*', 'beta-1'] }, ['ami-5eed0001', 'beta-1']],
    [{ AccountIds: ['123456789012'] }, ['alpha-1', 'alpha-2', 'beta-1']],
    [{ AccountAliases: ['Outscale'] }, ['ami-5eed0003', 'ami-5eed0002', 'ami-5eed0001']],
    [{ TagKeys: ['env'] }, ['alpha-1', 'alpha-2']],
    [{ TagValues: ['dev'] }, ['alpha-2']],
    [{ Tags: ['env=prod'] }, ['alpha-1']],
    [{ Tags: ['env=prod', 'env=dev'] }, ['alpha-1', 'alpha-2']],
    [{ TagKeys: ['env'], TagValues: ['prod'] }, ['alpha-1']],
    [{ PermissionsToLaunchGlobalPermission: true }, ['ami-5eed0003', 'ami-5eed0002', 'ami-5eed0001']],
    [{ PermissionsToLaunchAccountIds: ['333333333333'] }, ['beta-1']],
    [{ BootModes: ['uefi'], AccountIds: ['123456789012'] }, ['beta-1']],
    [{ States: ['failed'] }, []],
    [{ Architectures: ['i386'] }, []],
    [{ RootDeviceNames: ['/dev/sda1'], ImageNames: ['beta-1'] }, ['beta-1']],
    [{ ImageIds: ['ami-5eed0001'], AccountIds: ['123456789012'] }, []],
  ])('filters %j', async (filters, expected) => {
    const want = expected.map((e) => mine[e] ?? e);
    expect(await ids(filters)).toEqual(want);
  });

  it('does not show private images of other accounts', async () => {
    sandbox.state.images.get(SEEDED.publicImageIds[1])!.PermissionsToLaunch.GlobalPermission = false;
    try {
      expect(await ids({ ImageIds: [SEEDED.publicImageIds[1]] })).toEqual([]);
    } finally {
      sandbox.state.images.get(SEEDED.publicImageIds[1])!.PermissionsToLaunch.GlobalPermission = true;
    }
  });

  it('paginates with an opaque token, absent on the last page', async () => {
    const all = await ids({});
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const body = await ok(sandbox, 'ReadImages', { ResultsPerPage: 4, ...(token ? { NextPageToken: token } : {}) });
      seen.push(...body.Images.map((i: { ImageId: string }) => i.ImageId));
      token = body.NextPageToken;
      if (!token) break;
      expect(token).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    }
    expect(seen).toEqual(all);
    const single = await ok(sandbox, 'ReadImages', { ResultsPerPage: 100 });
    expect(single.NextPageToken).toBeUndefined();
  });

  it.each([
    [{ ResultsPerPage: 0 }, '4047'],
    [{ ResultsPerPage: 1001 }, '4047'],
    [{ NextPageToken: 'not-a-token!' }, '4047'],
    [{ NextPageToken: Buffer.from('{"c":"ReadVms","o":1}').toString('base64') }, '4047'],
    [{ Filters: { ImageIds: 'ami-5eed0001' } }, '4108'],
    [{ Filters: { Colour: ['red'] } }, '4045'],
  ])('rejects %j', async (payload, code) => {
    const answer = await call(sandbox, 'ReadImages', payload);
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe(code);
  });
});
