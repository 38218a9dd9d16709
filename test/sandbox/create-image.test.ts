import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, errorCode, ok } from './helpers.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ imagePendingMs: 0 });
});
afterEach(() => sandbox.close());

const IMAGE_KEYS = [
  'AccountId', 'Architecture', 'BlockDeviceMappings', 'BootModes', 'CreationDate', 'Description', 'FileLocation', 'ImageId',
  'ImageName', 'ImageType', 'PermissionsToLaunch', 'ProductCodes', 'RootDeviceName', 'RootDeviceType', 'SecureBoot', 'State',
  'StateComment', 'Tags', 'TpmMandatory',
].sort();

async function expectError(action: string, payload: unknown, status: number, code: string, details?: RegExp): Promise<void> {
  const answer = await call(sandbox, action, payload);
  expect({ status: answer.status, code: errorCode(answer) }).toEqual({ status, code });
  if (details) expect(answer.body.Errors[0].Details).toMatch(details);
  expect(typeof answer.body.ResponseContext.RequestId).toBe('string');
}

describe('CreateImage from a VM', () => {
  it('returns a pending image with every field and new snapshots of the VM volumes', async () => {
    const { Image } = await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'from-vm', NoReboot: true });
    expect(Object.keys(Image).sort()).toEqual(IMAGE_KEYS);
    expect(Image).toMatchObject({
      ImageName: 'from-vm',
      Description: '',
      AccountId: sandbox.accountId,
      Architecture: 'x86_64',
      BootModes: ['legacy'],
      SecureBoot: false,
      TpmMandatory: false,
      FileLocation: `${sandbox.accountId}/from-vm`,
      ImageType: 'machine',
      PermissionsToLaunch: { GlobalPermission: false, AccountIds: [] },
      ProductCodes: ['0001'],
      RootDeviceName: '/dev/sda1',
      RootDeviceType: 'bsu',
      State: 'pending',
      StateComment: {},
      Tags: [],
    });
    expect(Image.ImageId).toMatch(/^ami-[0-9a-f]{8}$/);
    expect(new Date(Image.CreationDate).toISOString()).toBe(Image.CreationDate);
    expect(Image.BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/sda1', Bsu: { DeleteOnVmDeletion: true, SnapshotId: expect.stringMatching(/^snap-[0-9a-f]{8}$/), VolumeSize: 10, VolumeType: 'standard' } },
    ]);
    const snapshotId = Image.BlockDeviceMappings[0].Bsu.SnapshotId;
    expect(SEEDED.snapshotIds).not.toContain(snapshotId);
    const snaps = await ok(sandbox, 'ReadSnapshots', { Filters: { SnapshotIds: [snapshotId] } });
    expect(snaps.Snapshots).toHaveLength(1);
    expect(snaps.Snapshots[0]).toMatchObject({ State: 'completed', VolumeSize: 10, VolumeId: SEEDED.rootVolumeId });
  });

  it('answers 5063 for an unknown VM', () => expectError('CreateImage', { VmId: 'i-00000000', ImageName: 'x-vm' }, 400, '5063'));
});

describe('CreateImage from a manifest', () => {
  it('keeps the URL as FileLocation and has one root mapping', async () => {
    const url = 'https://oos.eu-west-2.outscale.com/bucket/image.manifest?X-Amz-Signature=abc';
    const { Image } = await ok(sandbox, 'CreateImage', { FileLocation: url, ImageName: 'from-manifest', Description: 'd' });
    expect(Image).toMatchObject({ FileLocation: url, Description: 'd', RootDeviceName: '/dev/sda1', State: 'pending' });
    expect(Image.BlockDeviceMappings).toHaveLength(1);
    expect(Image.BlockDeviceMappings[0].DeviceName).toBe('/dev/sda1');
  });

  it('rejects something that is not a URL with 4041', () =>
    expectError('CreateImage', { FileLocation: 'not a url', ImageName: 'bad-manifest' }, 400, '4041'));
});

describe('CreateImage copy', () => {
  it('copies a public image with new snapshot ids and requested boot modes', async () => {
    const { Image } = await ok(sandbox, 'CreateImage', {
      SourceImageId: SEEDED.publicImageIds[2],
      SourceRegionName: 'eu-west-2',
      ImageName: 'copy-of-rocky',
      BootModes: ['legacy', 'uefi'],
    });
    expect(Image.AccountId).toBe(sandbox.accountId);
    expect(Image.AccountAlias).toBeUndefined();
    expect(Image.BootModes).toEqual(['legacy', 'uefi']);
    expect(Image.BlockDeviceMappings[0].Bsu.SnapshotId).not.toBe('snap-5eed1003');
    expect(Image.BlockDeviceMappings[0].Bsu).toMatchObject({ VolumeSize: 10, VolumeType: 'standard', DeleteOnVmDeletion: true });
  });

  it('keeps the source boot modes when none are requested', async () => {
    const { Image } = await ok(sandbox, 'CreateImage', {
      SourceImageId: SEEDED.publicImageIds[0],
      SourceRegionName: 'eu-west-2',
      ImageName: 'copy-of-ubuntu',
    });
    expect(Image.BootModes).toEqual(['legacy', 'uefi']);
  });

  it('requires the sandbox region', () =>
    expectError('CreateImage', { SourceImageId: SEEDED.publicImageIds[0], SourceRegionName: 'us-east-2', ImageName: 'copy-x' }, 400, '4047', /Region/));
  it('requires SourceRegionName', () =>
    expectError('CreateImage', { SourceImageId: SEEDED.publicImageIds[0], ImageName: 'copy-x' }, 400, '7000', /SourceRegionName/));
  it('answers 5023 for an unknown source', () =>
    expectError('CreateImage', { SourceImageId: 'ami-00000000', SourceRegionName: 'eu-west-2', ImageName: 'copy-x' }, 400, '5023'));

  it('answers 5023 for a private image of another account, and works once it is shared', async () => {
    const other = await startSandbox({
      imagePendingMs: 0,
      keys: [
        { accessKey: 'AKOTHER0000000000001', secretKey: 's'.repeat(40), accountId: '111111111111' },
        { accessKey: 'AKOTHER0000000000002', secretKey: 't'.repeat(40), accountId: '222222222222' },
      ],
    });
    try {
      const asSecond = { ...other, accessKey: 'AKOTHER0000000000002', secretKey: 't'.repeat(40) } as Sandbox;
      const { Image } = await ok(other, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'private-one' });
      const copy = { SourceImageId: Image.ImageId, SourceRegionName: 'eu-west-2', ImageName: 'their-copy' };
      const denied = await call(asSecond, 'CreateImage', copy);
      expect(errorCode(denied)).toBe('5023');
      await ok(other, 'UpdateImage', { ImageId: Image.ImageId, PermissionsToLaunch: { Additions: { AccountIds: ['222222222222'] } } });
      await ok(other, 'ReadImages', { Filters: { ImageIds: [Image.ImageId] } }); // settles pending -> available
      const copied = await call(asSecond, 'CreateImage', copy);
      expect(copied.status).toBe(200);
      expect(copied.body.Image.AccountId).toBe('222222222222');
    } finally {
      await other.close();
    }
  });

  it('refuses to copy an image that is still pending (6001)', async () => {
    const slow = await startSandbox({ imagePendingMs: 60_000 });
    try {
      const { Image } = await ok(slow, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'pending-src' });
      const answer = await call(slow, 'CreateImage', { SourceImageId: Image.ImageId, SourceRegionName: 'eu-west-2', ImageName: 'copy-pending' });
      expect(errorCode(answer)).toBe('6001');
    } finally {
      await slow.close();
    }
  });
});

describe('CreateImage from snapshots', () => {
  const base = (mappings: unknown[], extra: Record<string, unknown> = {}) => ({
    ImageName: 'from-snapshots',
    RootDeviceName: '/dev/sda1',
    BlockDeviceMappings: mappings,
    ...extra,
  });

  it('fills the defaults of every mapping', async () => {
    const { Image } = await ok(
      sandbox,
      'CreateImage',
      base(
        [
          { DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[0] } },
          { DeviceName: '/dev/sdb', Bsu: { SnapshotId: SEEDED.snapshotIds[1], VolumeSize: 30, VolumeType: 'io1', Iops: 3000, DeleteOnVmDeletion: false } },
          { DeviceName: '/dev/xvdc', Bsu: { VolumeSize: 5, VolumeType: 'gp2' } },
          { DeviceName: '/dev/sdd', VirtualDeviceName: 'ephemeral0' },
        ],
        { Architecture: 'i386', BootModes: ['uefi'], TpmMandatory: true, ProductCodes: ['0002'] },
      ),
    );
    expect(Image.BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[0], VolumeSize: 10, VolumeType: 'standard', DeleteOnVmDeletion: true } },
      { DeviceName: '/dev/sdb', Bsu: { SnapshotId: SEEDED.snapshotIds[1], VolumeSize: 30, VolumeType: 'io1', Iops: 3000, DeleteOnVmDeletion: false } },
      { DeviceName: '/dev/xvdc', Bsu: { VolumeSize: 5, VolumeType: 'gp2', DeleteOnVmDeletion: true } },
      { DeviceName: '/dev/sdd', VirtualDeviceName: 'ephemeral0' },
    ]);
    expect(Image).toMatchObject({ Architecture: 'i386', BootModes: ['uefi'], TpmMandatory: true, ProductCodes: ['0002'] });
  });

  const root = { DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[0] } };
  it.each([
    ['an unknown snapshot', [{ DeviceName: '/dev/sda1', Bsu: { SnapshotId: 'snap-00000000' } }], {}, '5054'],
    ['a malformed snapshot id', [{ DeviceName: '/dev/sda1', Bsu: { SnapshotId: 'snapshot-1' } }], {}, '4061'],
    ['a snapshot of another account that is not shared', [{ DeviceName: '/dev/sda1', Bsu: { SnapshotId: 'snap-5eed1001' } }], {}, '5054'],
    ['a bad device name', [root, { DeviceName: '/dev/sda2', Bsu: { VolumeSize: 1 } }], {}, '4019'],
    ['a bad root device name', [root], { RootDeviceName: 'sda1' }, '4019'],
    ['a root device outside the mappings', [{ DeviceName: '/dev/sdb', Bsu: { SnapshotId: SEEDED.snapshotIds[0] } }], {}, '4057'],
    ['a root mapping without snapshot', [{ DeviceName: '/dev/sda1', Bsu: { VolumeSize: 10 } }], {}, '4057'],
    ['a repeated device', [root, { DeviceName: '/dev/sda1', Bsu: { VolumeSize: 1 } }], {}, '4011'],
    ['an empty mapping list', [], {}, '4011'],
    ['a mapping without Bsu or virtual name', [root, { DeviceName: '/dev/sdb' }], {}, '4011'],
    ['a volume smaller than its snapshot', [{ DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[1], VolumeSize: 5 } }], {}, '4078'],
    ['an unknown volume type', [{ DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[0], VolumeType: 'ssd' } }], {}, '4047'],
    ['Iops without io1', [{ DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[0], Iops: 100 } }], {}, '4029'],
    ['io1 Iops above 13000', [{ DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[0], VolumeType: 'io1', VolumeSize: 100, Iops: 13001 } }], {}, '4029'],
    ['io1 Iops above 300 per GiB', [{ DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[0], VolumeType: 'io1', Iops: 3001 } }], {}, '4029'],
    ['a bad virtual device name', [root, { DeviceName: '/dev/sdb', VirtualDeviceName: 'disk0' }], {}, '4076'],
    ['an unknown architecture', [root], { Architecture: 'arm64' }, '4047'],
    ['an unknown boot mode', [root], { BootModes: ['bios'] }, '4047'],
  ])('rejects %s', (_what, mappings, extra, code) => expectError('CreateImage', base(mappings, extra), 400, code));

  it('requires RootDeviceName', () =>
    expectError('CreateImage', { ImageName: 'no-root', BlockDeviceMappings: [root] }, 400, '7000', /RootDeviceName/));
});

describe('CreateImage modes and names', () => {
  it.each([
    ['no mode at all', { ImageName: 'nothing' }],
    ['VmId and FileLocation', { ImageName: 'two', VmId: SEEDED.vmId, FileLocation: 'https://x/y' }],
    ['VmId and SourceImageId', { ImageName: 'two', VmId: SEEDED.vmId, SourceImageId: 'ami-5eed0001', SourceRegionName: 'eu-west-2' }],
    ['FileLocation and BlockDeviceMappings', { ImageName: 'two', FileLocation: 'https://x/y', RootDeviceName: '/dev/sda1', BlockDeviceMappings: [] }],
    ['NoReboot with a copy', { ImageName: 'two', NoReboot: true, SourceImageId: 'ami-5eed0001', SourceRegionName: 'eu-west-2' }],
    ['Architecture with a VM', { ImageName: 'two', VmId: SEEDED.vmId, Architecture: 'x86_64' }],
  ])('rejects %s with 4046', (_what, payload) => expectError('CreateImage', payload, 400, '4046'));

  it.each(['ab', 'x'.repeat(129), 'bad*name', 'bad,name', 'é-accent'])('rejects the name %j with 4026', (name) =>
    expectError('CreateImage', { VmId: SEEDED.vmId, ImageName: name }, 400, '4026'));

  it('accepts every allowed character', async () => {
    const { Image } = await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'Ok_name (v1.0)/a-b' });
    expect(Image.ImageName).toBe('Ok_name (v1.0)/a-b');
  });

  it('ImageName is optional, as in the spec: OMIs without a name never conflict', async () => {
    const first = (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId })).Image;
    const second = (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId })).Image;
    expect([first.ImageName, second.ImageName]).toEqual(['', '']);
    expect(first.FileLocation).toBe(`${sandbox.accountId}/${first.ImageId}`);
    expect(second.ImageId).not.toBe(first.ImageId);
  });

  it('answers 409 / 9000 for a name already used in the account', async () => {
    await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'twice' });
    await expectError('CreateImage', { VmId: SEEDED.vmId, ImageName: 'twice' }, 409, '9000');
    // a public image's name belongs to another account: no conflict
    await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: SEEDED.publicImageNames[0] });
  });

  it('frees the name once the image is deleted', async () => {
    const { Image } = await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'reused' });
    await ok(sandbox, 'DeleteImage', { ImageId: Image.ImageId });
    await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'reused' });
  });

  it('DryRun validates without creating anything', async () => {
    const before = sandbox.state.images.size;
    const answer = await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'dry', DryRun: true });
    expect(answer.Image).toBeUndefined();
    expect(sandbox.state.images.size).toBe(before);
  });
});

describe('image life cycle', () => {
  it('stays pending until imagePendingMs has elapsed, then becomes available', async () => {
    let now = Date.parse('2026-11-01T10:00:00.000Z');
    const clocked = await startSandbox({ imagePendingMs: 5000, now: () => now });
    try {
      const sign = { date: new Date(now) };
      const created = await call(clocked, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'timed' }, sign);
      const id = created.body.Image.ImageId;
      const read = async () => (await call(clocked, 'ReadImages', { Filters: { ImageIds: [id] } }, { date: new Date(now) })).body.Images[0];
      now += 4999;
      expect((await read()).State).toBe('pending');
      now += 1;
      expect((await read()).State).toBe('available');
      expect((await read()).StateComment).toEqual({});
    } finally {
      await clocked.close();
    }
  });

  it('with imagePendingMs 0 the first read shows available', async () => {
    const { Image } = await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'instant' });
    expect(Image.State).toBe('pending');
    const { Images } = await ok(sandbox, 'ReadImages', { Filters: { ImageIds: [Image.ImageId] } });
    expect(Images[0].State).toBe('available');
  });

  it('ends failed with the configured StateComment when failImages matches', async () => {
    const comment = { StateCode: 'Client.Failed', StateMessage: 'disk image is corrupt' };
    sandbox.faults.failImages({ nameMatches: '^doomed-', stateComment: comment });
    const doomed = (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'doomed-1' })).Image;
    const fine = (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'fine-1' })).Image;
    const { Images } = await ok(sandbox, 'ReadImages', { Filters: { ImageIds: [doomed.ImageId, fine.ImageId] } });
    const byId = Object.fromEntries(Images.map((i: { ImageId: string }) => [i.ImageId, i]));
    expect(byId[doomed.ImageId]).toMatchObject({ State: 'failed', StateComment: comment });
    expect(byId[fine.ImageId]).toMatchObject({ State: 'available', StateComment: {} });
    expect(sandbox.faults.counters.failedImages).toBe(1);
    expect(sandbox.calls.filter((c) => c.fault === 'fail-image')).toHaveLength(1);
  });
});
