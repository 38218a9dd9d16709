import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, errorCode, ok } from './helpers.js';

let sandbox: Sandbox;
let imageId: string;
beforeEach(async () => {
  sandbox = await startSandbox({ imagePendingMs: 0 });
  imageId = (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'subject' })).Image.ImageId;
});
afterEach(() => sandbox.close());

const readImage = async (id = imageId) => (await ok(sandbox, 'ReadImages', { Filters: { ImageIds: [id] } })).Images[0];

describe('UpdateImage', () => {
  it('changes the description and replaces product codes', async () => {
    const { Image } = await ok(sandbox, 'UpdateImage', { ImageId: imageId, Description: 'new', ProductCodes: ['0002', '0003'] });
    expect(Image).toMatchObject({ Description: 'new', ProductCodes: ['0002', '0003'] });
    await ok(sandbox, 'UpdateImage', { ImageId: imageId, ProductCodes: ['0004'] });
    expect((await readImage()).ProductCodes).toEqual(['0004']);
  });

  it('adds then removes launch permissions', async () => {
    await ok(sandbox, 'UpdateImage', { ImageId: imageId, PermissionsToLaunch: { Additions: { AccountIds: ['111111111111', '222222222222'], GlobalPermission: true } } });
    expect((await readImage()).PermissionsToLaunch).toEqual({ GlobalPermission: true, AccountIds: ['111111111111', '222222222222'] });
    await ok(sandbox, 'UpdateImage', { ImageId: imageId, PermissionsToLaunch: { Additions: { AccountIds: ['111111111111'] } } });
    await ok(sandbox, 'UpdateImage', { ImageId: imageId, Description: 'both', PermissionsToLaunch: { Removals: { AccountIds: ['111111111111'], GlobalPermission: true } } });
    expect(await readImage()).toMatchObject({ Description: 'both', PermissionsToLaunch: { GlobalPermission: false, AccountIds: ['222222222222'] } });
  });

  it.each([
    [{ ImageId: 'ami-00000000', Description: 'x' }, 400, '5023'],
    [{ ImageId: SEEDED.publicImageIds[0], Description: 'x' }, 400, '5023'],
    [{ Description: 'x' }, 400, '7000'],
    [{ ImageId: '__ID__', PermissionsToLaunch: { Additions: { GlobalPermission: true }, Removals: { AccountIds: ['111111111111'] } } }, 400, '4046'],
    [{ ImageId: '__ID__', PermissionsToLaunch: {} }, 400, '4046'],
    [{ ImageId: '__ID__', PermissionsToLaunch: { Additions: { AccountIds: ['12'] } } }, 400, '4050'],
    [{ ImageId: '__ID__', ImageName: 'rename' }, 400, '4045'],
  ])('rejects %j', async (payload, status, code) => {
    const body = JSON.parse(JSON.stringify(payload).replace('__ID__', imageId));
    const answer = await call(sandbox, 'UpdateImage', body);
    expect({ status: answer.status, code: errorCode(answer) }).toEqual({ status, code });
  });
});

describe('DeleteImage', () => {
  it('removes an own image', async () => {
    expect(await ok(sandbox, 'DeleteImage', { ImageId: imageId })).toEqual({ ResponseContext: { RequestId: expect.any(String) } });
    expect(await readImage()).toBeUndefined();
    const again = await call(sandbox, 'DeleteImage', { ImageId: imageId });
    expect({ status: again.status, code: errorCode(again) }).toEqual({ status: 400, code: '5023' });
  });

  it('keeps a deleted image listed for deletePendingMs', async () => {
    let now = Date.parse('2026-11-02T10:00:00.000Z');
    const s = await startSandbox({ imagePendingMs: 0, deletePendingMs: 3000, now: () => now });
    try {
      const opts = () => ({ date: new Date(now) });
      const id = (await call(s, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'lingering' }, opts())).body.Image.ImageId;
      expect((await call(s, 'DeleteImage', { ImageId: id }, opts())).status).toBe(200);
      const list = async () => (await call(s, 'ReadImages', { Filters: { ImageIds: [id] } }, opts())).body.Images;
      now += 2999;
      expect((await list())[0]?.State).toBe('available');
      expect(errorCode(await call(s, 'DeleteImage', { ImageId: id }, opts()))).toBe('5023');
      now += 1;
      expect(await list()).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it.each([
    [{ ImageId: 'ami-00000000' }, '5023'],
    [{ ImageId: SEEDED.publicImageIds[0] }, '5023'],
    [{}, '7000'],
  ])('rejects %j', async (payload, code) => {
    expect(errorCode(await call(sandbox, 'DeleteImage', payload))).toBe(code);
  });
});

describe('CreateTags / DeleteTags', () => {
  it('adds, replaces and removes tags', async () => {
    await ok(sandbox, 'CreateTags', { ResourceIds: [imageId], Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    await ok(sandbox, 'CreateTags', { ResourceIds: [imageId], Tags: [{ Key: 'a', Value: 'one' }, { Key: 'c', Value: '' }] });
    expect((await readImage()).Tags).toEqual([{ Key: 'a', Value: 'one' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '' }]);
    await ok(sandbox, 'DeleteTags', { ResourceIds: [imageId], Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    expect((await readImage()).Tags).toEqual([{ Key: 'a', Value: 'one' }, { Key: 'c', Value: '' }]);
    await ok(sandbox, 'DeleteTags', { ResourceIds: [imageId], Tags: [{ Key: 'a' }] });
    expect((await readImage()).Tags).toEqual([{ Key: 'c', Value: '' }]);
  });

  it('tags VMs and snapshots too', async () => {
    await ok(sandbox, 'CreateTags', { ResourceIds: [SEEDED.vmId, SEEDED.snapshotIds[0]], Tags: [{ Key: 'k', Value: 'v' }] });
    expect((await ok(sandbox, 'ReadVms', { Filters: { Tags: ['k=v'] } })).Vms.map((v: { VmId: string }) => v.VmId)).toEqual([SEEDED.vmId]);
    expect((await ok(sandbox, 'ReadSnapshots', { Filters: { TagKeys: ['k'] } })).Snapshots).toHaveLength(1);
  });

  it('allows 50 tags per resource and refuses the 51st with 10041, changing nothing', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: `${i}` }));
    await ok(sandbox, 'CreateTags', { ResourceIds: [imageId], Tags: fifty });
    await ok(sandbox, 'CreateTags', { ResourceIds: [imageId], Tags: [{ Key: 'k0', Value: 'replaced' }] });
    const answer = await call(sandbox, 'CreateTags', { ResourceIds: [imageId], Tags: [{ Key: 'k50', Value: 'x' }] });
    expect({ status: answer.status, code: errorCode(answer) }).toEqual({ status: 400, code: '10041' });
    expect((await readImage()).Tags).toHaveLength(50);
  });

  it.each([
    ['an empty key', { Tags: [{ Key: '', Value: 'x' }] }, '4069'],
    ['a 256-char key', { Tags: [{ Key: 'k'.repeat(256), Value: 'x' }] }, '4069'],
    ['a 256-char value', { Tags: [{ Key: 'k', Value: 'v'.repeat(256) }] }, '4071'],
    ['a missing value', { Tags: [{ Key: 'k' }] }, '7000'],
    ['an unknown image', { ResourceIds: ['ami-00000000'] }, '5023'],
    ['an image of another account', { ResourceIds: [SEEDED.publicImageIds[0]] }, '5023'],
    ['an unknown VM', { ResourceIds: ['i-00000000'] }, '5063'],
    ['an unknown snapshot', { ResourceIds: ['snap-00000000'] }, '5054'],
    ['an untaggable id', { ResourceIds: ['sg-12345678'] }, '4104'],
    ['no resources', { ResourceIds: [] }, '7000'],
  ])('CreateTags rejects %s', async (_what, override, code) => {
    const answer = await call(sandbox, 'CreateTags', { ResourceIds: [imageId], Tags: [{ Key: 'k', Value: 'v' }], ...override });
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe(code);
  });

  it('a 255-char key and value are fine', async () => {
    await ok(sandbox, 'CreateTags', { ResourceIds: [imageId], Tags: [{ Key: 'k'.repeat(255), Value: 'v'.repeat(255) }] });
  });
});
