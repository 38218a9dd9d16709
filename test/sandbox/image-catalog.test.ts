// ReadImages over the image catalog (public OMIs of other accounts): every filter family, OR within a filter, AND
// across filters, wildcards, booleans, integers, ordering and pagination. Every request and answer is checked against
// the OpenAPI spec (when it is there), like the contract test does for the image calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULTS, SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { COMMUNITY_ACCOUNT_ID, seedImageCatalog } from '../../src/sandbox/seed.js';
import { describeWithSpec, requestSchemaFor, responseSchemaFor, validateAgainstSpec } from '../contract/spec.js';
import { ok } from './helpers.js';

let sandbox: Sandbox;
let own: string;

beforeAll(async () => {
  sandbox = await startSandbox({ imagePendingMs: 0 });
  seedImageCatalog(sandbox.state, sandbox.accountId);
  own = (await ok(sandbox, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'own-debian-12', NoReboot: true })).Image.ImageId;
  await ok(sandbox, 'CreateTags', { ResourceIds: [own], Tags: [{ Key: 'os', Value: 'debian' }, { Key: 'team', Value: 'a=b' }] });
});
afterAll(() => sandbox.close());

async function ids(filters: Record<string, unknown>): Promise<string[]> {
  const { Images } = await ok(sandbox, 'ReadImages', { Filters: filters });
  return Images.map((i: { ImageId: string }) => i.ImageId);
}

const [ubuntu22, debian12old, rocky9old] = SEEDED.publicImageIds;

describe('ReadImages over the catalog', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['ids (OR)', { ImageIds: ['ami-ca7a0002', 'ami-ca7a0004'] }, ['ami-ca7a0004', 'ami-ca7a0002']],
    ['name wildcard', { ImageNames: ['Debian-12-*'] }, [debian12old, 'ami-ca7a0001', 'ami-ca7a0002', 'ami-ca7a0003', 'ami-ca7a0006']],
    ['name wildcard AND alias', { ImageNames: ['Debian-12-*'], AccountAliases: ['Outscale'] }, [debian12old, 'ami-ca7a0001', 'ami-ca7a0002', 'ami-ca7a0003']],
    ['? wildcard', { ImageNames: ['Debian-12-2026.1?.15-0'] }, ['ami-ca7a0002']],
    ['owner', { AccountIds: [COMMUNITY_ACCOUNT_ID] }, ['ami-ca7a0007', 'ami-ca7a0006']],
    ['architecture', { Architectures: ['i386'] }, ['ami-ca7a0003']],
    ['boot mode', { BootModes: ['uefi'], AccountAliases: ['Outscale'], ImageNames: ['Debian*'] }, [debian12old, 'ami-ca7a0001', 'ami-ca7a0002']],
    ['secure boot (bool)', { SecureBoot: true }, ['ami-ca7a0002']],
    ['tpm mandatory (bool)', { TpmMandatory: true }, ['ami-ca7a0002']],
    ['delete on VM deletion false (bool)', { BlockDeviceMappingDeleteOnVmDeletion: false }, ['ami-ca7a0005']],
    ['volume sizes (int, OR)', { BlockDeviceMappingVolumeSizes: [20, 50] }, ['ami-ca7a0005', 'ami-ca7a0004']],
    ['volume types', { BlockDeviceMappingVolumeTypes: ['gp2'] }, ['ami-ca7a0004']],
    ['snapshot ids', { BlockDeviceMappingSnapshotIds: ['snap-ca7a0004'] }, ['ami-ca7a0004']],
    ['descriptions', { Descriptions: ['Rocky Linux 9*'] }, [rocky9old, 'ami-ca7a0005']],
    ['product codes', { ProductCodes: ['0002'] }, ['ami-ca7a0005']],
    ['tag keys', { TagKeys: ['channel'] }, ['ami-ca7a0002']],
    ['tag values', { TagValues: ['24.04'] }, ['ami-ca7a0004']],
    ['tags key=value', { Tags: ['os=ubuntu'] }, ['ami-ca7a0004']],
    ['tags, value holding "="', { Tags: ['vendor=partner=1'] }, ['ami-ca7a0007']],
    ['tags AND name', { Tags: ['os=debian'], ImageNames: ['own-*'] }, ['OWN']],
    ['private, shared with the caller', { PermissionsToLaunchGlobalPermission: false, AccountIds: [COMMUNITY_ACCOUNT_ID] }, ['ami-ca7a0007']],
    ['shared with an account', { PermissionsToLaunchAccountIds: [SANDBOX_DEFAULTS.accountId] }, ['ami-ca7a0007']],
    ['hypervisor and virtualization (constants)', { Hypervisors: ['xen'], VirtualizationTypes: ['hvm'], ImageIds: [ubuntu22] }, [ubuntu22]],
    ['no match', { Hypervisors: ['kvm'] }, []],
  ])('%s', async (_name, filters, expected) => {
    expect(await ids(filters)).toEqual(expected.map((e) => (e === 'OWN' ? own : e)));
  });

  it('sorts by creation date then id (two Debian releases share a date)', async () => {
    const { Images } = await ok(sandbox, 'ReadImages', {});
    const keys = Images.map((i: { CreationDate: string; ImageId: string }) => [Date.parse(i.CreationDate), i.ImageId]);
    const sorted = [...keys].sort(([a, x], [b, y]) => (a !== b ? a - b : x < y ? -1 : 1));
    expect(keys).toEqual(sorted);
  });

  it('reads every image over pages of 3, each once, in order', async () => {
    const all = await ids({});
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body = await ok(sandbox, 'ReadImages', { ResultsPerPage: 3, ...(token ? { NextPageToken: token } : {}) });
      seen.push(...body.Images.map((i: { ImageId: string }) => i.ImageId));
      token = body.NextPageToken;
      pages++;
    } while (token);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 3));
  });

  describeWithSpec('against the OpenAPI spec', () => {
    it('every request and answer matches it', { timeout: 60_000 }, () => {
      const reads = sandbox.calls.filter((c) => c.action === 'ReadImages');
      expect(reads.length).toBeGreaterThan(20);
      const problems = reads.flatMap((c) => {
        const req = validateAgainstSpec(requestSchemaFor(c.action), c.request);
        const res = validateAgainstSpec(responseSchemaFor(c.action, c.status), c.response);
        return [...(req.valid ? [] : [`request ${JSON.stringify(c.request)}: ${req.errors.join('; ')}`]), ...(res.valid ? [] : [`answer: ${res.errors.join('; ')}`])];
      });
      expect(problems).toEqual([]);
    });
  });
});
