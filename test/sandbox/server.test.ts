import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, errorCode, ok, rawPost } from './helpers.js';
import { signHeaders } from './sign.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ imagePendingMs: 0 });
});
afterAll(() => sandbox.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HTTP surface', () => {
  it('exposes the contract fields', () => {
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}/api/v1`);
    expect(sandbox).toMatchObject({ region: 'eu-west-2', accessKey: 'OSCSANDBOXACCESSKEY1', accountId: '123456789012' });
    expect(sandbox.secretKey).toHaveLength(40);
  });

  it('answers an unknown action with 400 and a request id', async () => {
    const answer = await call(sandbox, 'ReadUnicorns', {});
    expect(answer.status).toBe(400);
    expect(answer.body.Errors[0]).toMatchObject({ Code: '5011', Type: 'InvalidResource' });
    expect(answer.body.ResponseContext.RequestId).toMatch(UUID);
  });

  it('answers malformed JSON with 400 / 4095', async () => {
    const answer = await call(sandbox, 'ReadImages', undefined, { rawBody: '{"Filters":' });
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('4095');
  });

  it('treats an empty body as {}', async () => {
    const answer = await call(sandbox, 'ReadImages', undefined, { rawBody: '' });
    expect(answer.status).toBe(200);
  });

  it('refuses a body that is not an object', async () => {
    const answer = await call(sandbox, 'ReadImages', [1, 2]);
    expect(errorCode(answer)).toBe('4108');
  });

  it('gives every answer a distinct UUID request id and records every call', async () => {
    const before = sandbox.calls.length;
    const a = await ok(sandbox, 'ReadImages', {});
    const b = await ok(sandbox, 'ReadVms', {});
    expect(a.ResponseContext.RequestId).toMatch(UUID);
    expect(a.ResponseContext.RequestId).not.toBe(b.ResponseContext.RequestId);
    const recorded = sandbox.calls.slice(before);
    expect(recorded.map((c) => [c.action, c.status, c.executed])).toEqual([
      ['ReadImages', 200, true],
      ['ReadVms', 200, true],
    ]);
    expect(recorded[0]!.response).toEqual(a);
    expect(recorded[0]!.request).toEqual({});
  });

  it('answers unknown paths with 404 and non-POST calls with 400', async () => {
    const notApi = await rawPost(sandbox.port, '/other', '{}', {});
    expect(notApi.status).toBe(404);
    const res = await fetch(`${sandbox.url}/ReadImages`);
    expect(res.status).toBe(400);
  });

  it('signs over the exact body bytes (unicode)', async () => {
    const body = JSON.stringify({ Filters: { Descriptions: ['é ü ✓'] } });
    const headers = signHeaders({
      accessKey: sandbox.accessKey, secretKey: sandbox.secretKey, region: sandbox.region,
      host: `127.0.0.1:${sandbox.port}`, path: '/api/v1/ReadImages', body,
    });
    const answer = await rawPost(sandbox.port, '/api/v1/ReadImages', body, headers);
    expect(answer.status).toBe(200);
  });

  it('works with the global fetch of Node', async () => {
    const body = JSON.stringify({ Filters: { VmIds: [SEEDED.vmId] } });
    const headers = signHeaders({
      accessKey: sandbox.accessKey, secretKey: sandbox.secretKey, region: sandbox.region,
      host: `127.0.0.1:${sandbox.port}`, path: '/api/v1/ReadVms', body,
    });
    const res = await fetch(`${sandbox.url}/ReadVms`, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { Vms: unknown[] }).Vms).toHaveLength(1);
  });
});

describe('ReadAccounts', () => {
  it("answers the caller's account only", async () => {
    const { Accounts } = await ok(sandbox, 'ReadAccounts', {});
    expect(Accounts).toEqual([{ AccountId: sandbox.accountId }]);
  });
});

describe('VMs and snapshots', () => {
  it('has the seeded running VM and two completed snapshots', async () => {
    const { Vms } = await ok(sandbox, 'ReadVms', { Filters: { VmIds: [SEEDED.vmId] } });
    expect(Vms).toHaveLength(1);
    expect(Vms[0]).toMatchObject({ VmId: SEEDED.vmId, State: 'running', ImageId: SEEDED.publicImageIds[0], RootDeviceName: '/dev/sda1' });
    expect(Vms[0].BlockDeviceMappings[0]).toMatchObject({ DeviceName: '/dev/sda1', Bsu: { VolumeId: SEEDED.rootVolumeId, State: 'attached' } });
    const { Snapshots } = await ok(sandbox, 'ReadSnapshots', { Filters: { SnapshotIds: [...SEEDED.snapshotIds] } });
    expect(Snapshots.map((s: { SnapshotId: string; State: string; VolumeSize: number }) => [s.SnapshotId, s.State, s.VolumeSize])).toEqual([
      ['snap-5eed0001', 'completed', 10],
      ['snap-5eed0002', 'completed', 20],
    ]);
  });

  it('creates a running VM from an image and reads it back', async () => {
    const { Vms } = await ok(sandbox, 'CreateVms', { ImageId: SEEDED.publicImageIds[1], VmType: 'tinav6.c2r4p2' });
    expect(Vms).toHaveLength(1);
    expect(Vms[0]).toMatchObject({ State: 'running', ImageId: SEEDED.publicImageIds[1], VmType: 'tinav6.c2r4p2' });
    const read = await ok(sandbox, 'ReadVms', { Filters: { VmIds: [Vms[0].VmId] } });
    expect(read.Vms[0].VmId).toBe(Vms[0].VmId);
    const image = await ok(sandbox, 'CreateImage', { VmId: Vms[0].VmId, ImageName: 'from-new-vm' });
    expect(image.Image.BootModes).toEqual(['legacy']);
  });

  it('CreateVms is idempotent with a ClientToken and validates the image', async () => {
    const a = await ok(sandbox, 'CreateVms', { ImageId: SEEDED.publicImageIds[0], ClientToken: 'tok-1' });
    const b = await ok(sandbox, 'CreateVms', { ImageId: SEEDED.publicImageIds[0], ClientToken: 'tok-1' });
    expect(b.Vms[0].VmId).toBe(a.Vms[0].VmId);
    expect(errorCode(await call(sandbox, 'CreateVms', { ImageId: 'ami-00000000' }))).toBe('5023');
    expect(errorCode(await call(sandbox, 'CreateVms', {}))).toBe('7000');
  });

  it('creates snapshots from a volume and from another snapshot', async () => {
    const fromVolume = await ok(sandbox, 'CreateSnapshot', { VolumeId: SEEDED.rootVolumeId, Description: 'v' });
    expect(fromVolume.Snapshot).toMatchObject({ State: 'completed', VolumeSize: 10, VolumeId: SEEDED.rootVolumeId, Progress: 100 });
    const copy = await ok(sandbox, 'CreateSnapshot', { SourceSnapshotId: SEEDED.snapshotIds[1], SourceRegionName: 'eu-west-2' });
    expect(copy.Snapshot).toMatchObject({ State: 'completed', VolumeSize: 20 });
    const read = await ok(sandbox, 'ReadSnapshots', { Filters: { SnapshotIds: [copy.Snapshot.SnapshotId] } });
    expect(read.Snapshots).toHaveLength(1);
    expect(errorCode(await call(sandbox, 'CreateSnapshot', { VolumeId: 'vol-00000000' }))).toBe('5064');
    expect(errorCode(await call(sandbox, 'CreateSnapshot', { SourceSnapshotId: 'snap-00000000' }))).toBe('5054');
    expect(errorCode(await call(sandbox, 'CreateSnapshot', {}))).toBe('4046');
  });
});
