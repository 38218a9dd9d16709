// Every answer of the sandbox must match the response schemas of the official spec, and the requests of the tests and
// of the real client must match its request schemas.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OscClient } from '../../src/outscale/client.js';
import { SEEDED, startSandbox, type RecordedCall, type Sandbox } from '../../src/sandbox/index.js';
import { call, ok } from '../sandbox/helpers.js';
import { describeWithSpec, loadSpec, requestSchemaFor, responseSchemaFor, validateAgainstSpec } from './spec.js';
import { createImageRecovering } from '../../src/resources/image/create.js';

const SPEC_ACTIONS = new Set([
  'CreateImage', 'ReadImages', 'UpdateImage', 'DeleteImage', 'CreateTags', 'DeleteTags', 'CreateVms', 'ReadVms',
  'CreateSnapshot', 'ReadSnapshots', 'ReadAccounts',
]);

function checkResponse(c: RecordedCall): string[] {
  if (c.status === 0) return []; // dropped connection: nothing was answered
  const schema = SPEC_ACTIONS.has(c.action) ? responseSchemaFor(c.action, c.status) : 'ErrorResponse';
  const result = validateAgainstSpec(schema, c.response);
  return result.valid ? [] : [`${c.action} ${c.status} vs ${schema}: ${result.errors.join('; ')}`];
}

function checkRequest(c: RecordedCall): string[] {
  const schema = requestSchemaFor(c.action);
  const result = validateAgainstSpec(schema, c.request);
  return result.valid ? [] : [`${c.action} request vs ${schema}: ${result.errors.join('; ')}`];
}

describeWithSpec('sandbox answers match the OpenAPI spec', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    loadSpec(); // parsing and compiling the whole spec takes seconds on a busy machine: not inside a test's 5 s
    sandbox = await startSandbox({ imagePendingMs: 0 });
  }, 60_000);
  afterAll(() => sandbox.close());

  it('the spec helper itself rejects wrong shapes', () => {
    expect(validateAgainstSpec('ErrorResponse', { Errors: [{ Code: 5023 }] }).valid).toBe(false);
    expect(validateAgainstSpec('Image', { ImageId: 'ami-1', Unknown: true }).valid).toBe(false);
    expect(validateAgainstSpec('ReadImagesResponse', { Images: [], NextPageToken: 'not base64!' }).valid).toBe(false);
    expect(validateAgainstSpec('CreateImageRequest', { VmId: 'i-1', ImageName: 'x' }).valid).toBe(true);
  }, 60_000); // the first validation compiles the whole spec: seconds on a loaded machine

  it('a representative scenario: every call, every creation mode, errors and faults', async () => {
    const vm = (await ok(sandbox, 'CreateVms', { ImageId: SEEDED.publicImageIds[0] })).Vms[0];
    await ok(sandbox, 'ReadVms', { Filters: { VmIds: [vm.VmId] } });
    const snap = (await ok(sandbox, 'CreateSnapshot', { VolumeId: SEEDED.rootVolumeId, Description: 'contract' })).Snapshot;
    await ok(sandbox, 'ReadSnapshots', { Filters: { SnapshotIds: [snap.SnapshotId] } });
    const fromVm = (await ok(sandbox, 'CreateImage', { VmId: vm.VmId, ImageName: 'c-vm', NoReboot: true })).Image;
    await ok(sandbox, 'CreateImage', { FileLocation: 'https://oos.example/b/m.manifest', ImageName: 'c-manifest' });
    await ok(sandbox, 'CreateImage', { SourceImageId: SEEDED.publicImageIds[1], SourceRegionName: 'eu-west-2', ImageName: 'c-copy', BootModes: ['uefi'] });
    await ok(sandbox, 'CreateImage', {
      ImageName: 'c-snap', RootDeviceName: '/dev/sda1', Architecture: 'x86_64', TpmMandatory: true, ProductCodes: ['0001'],
      BlockDeviceMappings: [
        { DeviceName: '/dev/sda1', Bsu: { SnapshotId: snap.SnapshotId, VolumeType: 'io1', Iops: 1000 } },
        { DeviceName: '/dev/sdb', VirtualDeviceName: 'ephemeral0' },
      ],
    });
    await ok(sandbox, 'ReadImages', { Filters: { ImageNames: ['c-*'], States: ['available'] } });
    const page = await ok(sandbox, 'ReadImages', { ResultsPerPage: 2 });
    await ok(sandbox, 'ReadImages', { ResultsPerPage: 2, NextPageToken: page.NextPageToken });
    await ok(sandbox, 'CreateImage', { VmId: vm.VmId, Description: 'no name: ImageName is optional' });
    await ok(sandbox, 'ReadAccounts', {});
    await ok(sandbox, 'UpdateImage', { ImageId: fromVm.ImageId, Description: 'd', PermissionsToLaunch: { Additions: { GlobalPermission: true } } });
    await ok(sandbox, 'UpdateImage', { ImageId: fromVm.ImageId, ProductCodes: ['0002'] });
    await ok(sandbox, 'CreateTags', { ResourceIds: [fromVm.ImageId], Tags: [{ Key: 'k', Value: 'v' }] });
    await ok(sandbox, 'DeleteTags', { ResourceIds: [fromVm.ImageId], Tags: [{ Key: 'k', Value: 'v' }] });
    await ok(sandbox, 'DeleteImage', { ImageId: fromVm.ImageId });
    const validRequests = sandbox.calls.length;

    // errors of every family
    await call(sandbox, 'CreateImage', { VmId: vm.VmId, FileLocation: 'https://x/y', ImageName: 'bad' }); // 4046
    await call(sandbox, 'CreateImage', { VmId: vm.VmId, ImageName: 'c-manifest' }); // 409
    await call(sandbox, 'CreateImage', { VmId: 'i-00000000', ImageName: 'nope' }); // 5063
    await call(sandbox, 'UpdateImage', { ImageId: 'ami-00000000' }); // 5023
    await call(sandbox, 'DeleteImage', {}); // 7000
    await call(sandbox, 'ReadImages', { NextPageToken: 'garbage' }); // 4047
    await call(sandbox, 'ReadImages', {}, { secretKey: 'z'.repeat(40) }); // 401
    await call(sandbox, 'ReadUnicorns', {}); // unknown action
    await call(sandbox, 'ReadImages', undefined, { rawBody: '{' }); // malformed JSON
    sandbox.faults.throttleNext(1);
    await call(sandbox, 'ReadImages', {});
    sandbox.faults.throttleNext(1, { status: 503, actions: ['ReadVms'] });
    await call(sandbox, 'ReadVms', {});
    sandbox.faults.failNext(1, { afterExecute: true });
    await call(sandbox, 'CreateTags', { ResourceIds: [SEEDED.vmId], Tags: [{ Key: 'a', Value: 'b' }] });

    const statuses = new Set(sandbox.calls.map((c) => c.status));
    expect([...statuses].sort()).toEqual([200, 400, 401, 409, 429, 500, 503]);
    expect(sandbox.calls.flatMap(checkResponse)).toEqual([]);
    expect(sandbox.calls.slice(0, validRequests).flatMap(checkRequest)).toEqual([]);
  });
});

// The real client: its requests must match the request schemas and it must understand the answers.
describeWithSpec('the OUTSCALE client against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ imagePendingMs: 0 });
  });
  afterAll(() => sandbox.close());

  const newClient = (variant?: 'osc4' | 'aws4') =>
    new OscClient({
      endpoint: sandbox.url,
      region: sandbox.region,
      accessKey: sandbox.accessKey,
      secretKey: sandbox.secretKey,
      retry: { baseDelayMs: 1, jitterMs: 1, maxDelayMs: 5 },
      ...(variant ? { signatureVariant: variant } : {}),
    });

  it('sends requests the spec accepts and reads every answer', async () => {
    for (const variant of ['osc4', 'aws4'] as const) {
      const client = newClient(variant);
      try {
        const suffix = variant;
        const vm = await client.createImage({ VmId: SEEDED.vmId, ImageName: `client-vm-${suffix}`, NoReboot: true });
        const id = vm.Image!.ImageId!;
        await client.createImage({ FileLocation: 'https://oos.example/b/m.manifest', ImageName: `client-manifest-${suffix}` });
        await client.createImage({ SourceImageId: SEEDED.publicImageIds[0], SourceRegionName: sandbox.region, ImageName: `client-copy-${suffix}` });
        await client.createImage({
          ImageName: `client-snap-${suffix}`,
          RootDeviceName: '/dev/sda1',
          BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Bsu: { SnapshotId: SEEDED.snapshotIds[0], DeleteOnVmDeletion: false } }],
        });
        const image = await client.readImage(id);
        expect(image?.State).toBe('available');
        const all = await client.readImages({ Filters: { ImageNames: ['client-*'] } });
        expect(all.Images!.length).toBeGreaterThanOrEqual(4);
        await client.updateImage({ ImageId: id, Description: 'x', PermissionsToLaunch: { Additions: { AccountIds: ['111111111111'] } } });
        await client.createTags({ ResourceIds: [id], Tags: [{ Key: 'k', Value: 'v' }] });
        await client.deleteTags({ ResourceIds: [id], Tags: [{ Key: 'k', Value: 'v' }] });
        await client.readVms({ Filters: { VmIds: [SEEDED.vmId] } });
        await client.readSnapshots({ Filters: { SnapshotIds: [...SEEDED.snapshotIds] } });
        await client.deleteImage({ ImageId: id });
        expect(await client.readImage(id)).toBeUndefined();
        const failure = await client.updateImage({ ImageId: id, Description: 'gone' }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(failure).toMatchObject({ httpStatus: 400, code: '5023', type: 'InvalidResource' });
      } finally {
        client.close();
      }
    }
    const problems = sandbox.calls.flatMap((c) => [...checkRequest(c), ...checkResponse(c)]);
    expect(problems).toEqual([]);
    expect(sandbox.calls.every((c) => c.status !== 401)).toBe(true);
  });

  it('retries throttled calls and recovers a CreateImage whose answer was lost', async () => {
    const client = newClient();
    try {
      sandbox.faults.throttleNext(2, { actions: ['ReadImages'] });
      const read = await client.readImages({ Filters: { ImageNames: ['Ubuntu*'] } });
      expect(read.Images).toHaveLength(1);
      sandbox.faults.dropConnection(1, { when: 'after', actions: ['CreateImage'] });
      const created = await createImageRecovering(client, { VmId: SEEDED.vmId, ImageName: 'client-recovered' });
      expect(created.image.ImageName).toBe('client-recovered');
      const same = sandbox.calls.filter((c) => c.action === 'CreateImage' && c.executed);
      expect(same.filter((c) => (c.request as { ImageName?: string }).ImageName === 'client-recovered')).toHaveLength(1);
    } finally {
      client.close();
    }
    expect(sandbox.calls.flatMap((c) => [...checkRequest(c), ...checkResponse(c)])).toEqual([]);
  });
});
