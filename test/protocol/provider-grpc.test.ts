// The provider over real gRPC in-process: protocol messages in, protocol messages out, against the sandbox.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPluginServer, type PluginServer } from '../../src/host/plugin-server.js';
import { ProviderService } from '../../src/protocol/tfplugin6.js';
import { createProviderService } from '../../src/provider.js';
import { decodeMsgpack, encodeMsgpack } from '../../src/protocol/codec/index.js';
import { impliedType } from '../../src/framework/schema.js';
import { imageBlock } from '../../src/resources/image/schema.js';
import { providerBlock } from '../../src/provider/schema.js';
import { isUnknown, objectValue, type ObjectValue, type Value } from '../../src/protocol/value.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

type Call = (request: object) => Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

const imageType = impliedType(imageBlock);
const providerType = impliedType(providerBlock);

function emptyImage(values: Record<string, Value>): ObjectValue {
  const o = objectValue();
  for (const n of Object.keys(imageBlock.attributes)) o[n] = null;
  o.tags = [];
  o.timeouts = null;
  return objectValue({ ...o, ...values });
}
const dv = (v: Value, t = imageType) => ({ msgpack: Buffer.from(encodeMsgpack(v, t)) });
const decode = (m: { msgpack: Buffer }) => decodeMsgpack(m.msgpack, imageType) as ObjectValue | null;

let server: PluginServer;
let client: grpc.Client;
let sandbox: Sandbox;
const rpc = (name: string): Call => (request) =>
  new Promise((resolve, reject) =>
    (client as unknown as Record<string, Function>)[name]!(request, (err: Error | null, res: Record<string, unknown>) => (err ? reject(err) : resolve(res))),
  );
const errors = (res: Record<string, any>) => (res.diagnostics as Array<{ severity: number; summary: string; detail: string; attribute: any }>).filter((d) => d.severity === 1); // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, imagePendingMs: 200 });
  server = await startPluginServer({ provider: createProviderService().service as never, tls: false, network: 'unix' });
  const Client = grpc.makeGenericClientConstructor(ProviderService, 'Provider');
  client = new Client(server.network === 'unix' ? `unix://${server.address}` : server.address, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await sandbox?.close();
});

describe('tfplugin6 over gRPC', () => {
  it('GetProviderSchema: the Go provider names, capabilities, outscale_image with block-syntax shapes', async () => {
    const res = await rpc('GetProviderSchema')({});
    expect(res.server_capabilities).toMatchObject({ plan_destroy: true, get_provider_schema_optional: true });
    const providerAttrs = Object.fromEntries(res.provider.block.attributes.map((a: any) => [a.name, a])); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const name of ['access_key_id', 'secret_key_id', 'region', 'x509_cert_path', 'x509_key_path', 'insecure', 'config_file', 'profile'])
      expect(providerAttrs[name]).toBeDefined();
    expect(providerAttrs.secret_key_id.sensitive).toBe(true);
    expect(res.provider.block.block_types.map((b: any) => b.type_name)).toContain('endpoints'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const image = res.resource_schemas.outscale_image;
    const attrs = Object.fromEntries(image.block.attributes.map((a: any) => [a.name, a])); // eslint-disable-line @typescript-eslint/no-explicit-any
    const bdmType = JSON.parse(attrs.block_device_mappings.type.toString());
    expect(bdmType[0]).toBe('list');
    expect(bdmType[1][0]).toBe('object');
    expect(bdmType[1][2]).toEqual(['bsu', 'device_name', 'virtual_device_name']); // optional markers
    for (const a of image.block.attributes) expect(a.nested_type ?? null).toBeNull(); // would switch block syntax off
    const blocks = Object.fromEntries(image.block.block_types.map((b: any) => [b.type_name, b.nesting])); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(blocks).toEqual({ tags: 3, timeouts: 1 });
  });

  it('garbage input becomes an error diagnostic and the server keeps serving', async () => {
    const bad = await rpc('ValidateResourceConfig')({ type_name: 'outscale_image', config: { msgpack: Buffer.from([0xc1, 0xff, 0x00]) } });
    expect(errors(bad)[0]!.summary).toMatch(/Invalid value/);
    const wrongType = await rpc('ValidateResourceConfig')({ type_name: 'outscale_image', config: { msgpack: Buffer.from(encodeMsgpack('x', 'string')) } });
    expect(errors(wrongType).length).toBe(1);
    const unknownType = await rpc('ValidateResourceConfig')({ type_name: 'outscale_nope', config: dv(null) });
    expect(errors(unknownType)[0]!.detail).toMatch(/no resource type "outscale_nope"/);
    const unsupported = await rpc('MoveResourceState')({ target_type_name: 'outscale_image' });
    expect(errors(unsupported)[0]!.summary).toMatch(/not supported/);
    const unknownDataSource = await rpc('ReadDataSource')({ type_name: 'outscale_nope', config: dv(null) });
    expect(errors(unknownDataSource)[0]!.detail).toMatch(/no data source "outscale_nope"/);
    const ok = await rpc('ValidateResourceConfig')({ type_name: 'outscale_image', config: dv(emptyImage({ image_name: 'abc', vm_id: 'i-1' })) });
    expect(errors(ok)).toEqual([]);
  });

  it('validation diagnostics carry attribute paths', async () => {
    const res = await rpc('ValidateResourceConfig')({ type_name: 'outscale_image', config: dv(emptyImage({ image_name: 'a', vm_id: 'i-1', architecture: 'arm' })) });
    const paths = errors(res).map((d) => d.attribute.steps.map((s: any) => s.attribute_name)); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(paths).toEqual([['image_name'], ['architecture']]);
  });

  it('configure, plan, apply, read, plan again, destroy — against the sandbox', async () => {
    const providerConfig = objectValue({
      access_key_id: sandbox.accessKey,
      secret_key_id: sandbox.secretKey,
      region: sandbox.region,
      x509_cert_path: null,
      x509_key_path: null,
      insecure: null,
      config_file: null,
      profile: null,
      endpoints: [objectValue({ api: sandbox.url, oks: null })],
      api: [],
      oks: [],
    });
    const configured = await rpc('ConfigureProvider')({ terraform_version: '1.11.4', config: dv(providerConfig, providerType) });
    expect(errors(configured).map((d) => d.detail)).toEqual([]);

    const config = emptyImage({ image_name: 'grpc-test', vm_id: 'i-5eed0001', tags: [objectValue({ key: 'k', value: null })] });
    const plan = await rpc('PlanResourceChange')({ type_name: 'outscale_image', prior_state: dv(null), proposed_new_state: dv(config), config: dv(config) });
    expect(errors(plan)).toEqual([]);
    const planned = decode(plan.planned_state)!;
    expect(isUnknown(planned.id)).toBe(true);
    expect(isUnknown((planned.tags as ObjectValue[])[0]!.value)).toBe(true);

    const applied = await rpc('ApplyResourceChange')({ type_name: 'outscale_image', prior_state: dv(null), planned_state: plan.planned_state, config: dv(config) });
    expect(errors(applied)).toEqual([]);
    const state = decode(applied.new_state)!;
    expect(state.id).toMatch(/^ami-/);
    expect(state.state).toBe('available');
    expect(state.tags).toEqual([objectValue({ key: 'k', value: '' })]);
    expect((state.block_device_mappings as Value[]).length).toBeGreaterThan(0);

    const read = await rpc('ReadResource')({ type_name: 'outscale_image', current_state: applied.new_state });
    expect(decode(read.new_state)).toEqual(state);
    const replan = await rpc('PlanResourceChange')({ type_name: 'outscale_image', prior_state: read.new_state, proposed_new_state: read.new_state, config: dv(config) });
    expect(decode(replan.planned_state)).toEqual(state);
    expect(replan.requires_replace).toEqual([]);

    const destroyPlan = await rpc('PlanResourceChange')({ type_name: 'outscale_image', prior_state: read.new_state, proposed_new_state: dv(null), config: dv(null) });
    expect(decode(destroyPlan.planned_state)).toBeNull();
    const destroyed = await rpc('ApplyResourceChange')({ type_name: 'outscale_image', prior_state: read.new_state, planned_state: dv(null), config: dv(null) });
    expect(errors(destroyed)).toEqual([]);
    expect(decode(destroyed.new_state)).toBeNull();
    const gone = await rpc('ReadResource')({ type_name: 'outscale_image', current_state: read.new_state });
    expect(decode(gone.new_state)).toBeNull();
  });

  it('UpgradeResourceState accepts the Go provider JSON state (extra keys, lists for sets)', async () => {
    const raw = {
      id: 'ami-12345678', image_id: 'ami-12345678', image_name: 'from-go', description: 'd', vm_id: 'i-1', no_reboot: true,
      file_location: '123/from-go', source_image_id: '', source_region_name: '', root_device_name: '/dev/sda1', architecture: 'x86_64',
      block_device_mappings: [{ device_name: '/dev/sda1', virtual_device_name: '', bsu: [{ delete_on_vm_deletion: true, iops: 0, snapshot_id: 'snap-1', volume_size: 10, volume_type: 'standard' }] }],
      boot_modes: ['legacy'], tpm_mandatory: false, tags: [{ key: 'a', value: 'b' }], account_id: '123', account_alias: '', state: 'available',
      state_comment: [{ state_code: '', state_message: '' }], image_type: 'machine', root_device_type: 'bsu', creation_date: '2026-01-01T00:00:00.000Z',
      product_codes: ['0001'], permissions_to_launch: [{ global_permission: false, account_ids: [] }], is_public: null, request_id: 'req', timeouts: null,
      some_removed_attribute: 'x',
    };
    const res = await rpc('UpgradeResourceState')({ type_name: 'outscale_image', version: 0, raw_state: { json: Buffer.from(JSON.stringify(raw)) } });
    expect(errors(res)).toEqual([]);
    const v = decode(res.upgraded_state)!;
    expect(v.image_name).toBe('from-go');
    expect(v.tags).toEqual([objectValue({ key: 'a', value: 'b' })]);
    // what a read of the same OMI gives: secure_boot (that provider never had it) off, zero values unset
    expect(v.secure_boot).toBe(false);
    expect(v.source_image_id).toBeNull();
    expect(((v.block_device_mappings as ObjectValue[])[0]!.bsu as ObjectValue[])[0]!.volume_size).toBe(10);
    expect(((v.block_device_mappings as ObjectValue[])[0]!.bsu as ObjectValue[])[0]!.iops).toBeNull();
  });

  it('ImportResourceState returns the id alone; a malformed id is a diagnostic', async () => {
    const res = await rpc('ImportResourceState')({ type_name: 'outscale_image', id: 'ami-0000abcd' });
    const state = decode(res.imported_resources[0].state)!;
    expect(state.id).toBe('ami-0000abcd');
    expect(state.tags).toEqual([]);
    const bad = await rpc('ImportResourceState')({ type_name: 'outscale_image', id: 'vm-1' });
    expect(errors(bad)[0]!.detail).toMatch(/ami-12345678/);
  });
});

describe('destroying an OMI the account does not own', () => {
  it('fails at once with a clear error instead of waiting out the delete timeout', { timeout: 60_000 }, async () => {
    const state = emptyImage({ id: 'ami-5eed0001', image_id: 'ami-5eed0001', account_id: '999999999999', image_name: 'Ubuntu-22.04-2026.10.01-0' });
    const providerConfig = objectValue({
      access_key_id: sandbox.accessKey, secret_key_id: sandbox.secretKey, region: sandbox.region, x509_cert_path: null,
      x509_key_path: null, insecure: null, config_file: null, profile: null,
      endpoints: [objectValue({ api: sandbox.url, oks: null })], api: [], oks: [],
    });
    await rpc('ConfigureProvider')({ terraform_version: '1.11.4', config: dv(providerConfig, providerType) });
    const res = await rpc('ApplyResourceChange')({ type_name: 'outscale_image', prior_state: dv(state), planned_state: dv(null), config: dv(null) });
    expect(errors(res)[0]!.summary).toMatch(/Cannot delete ami-5eed0001: it belongs to another account/);
    expect(errors(res)[0]!.detail).toMatch(/owned by account 999999999999.*terraform state rm/s);
    expect(decode(res.new_state)).toEqual(state); // kept in state
  });
});
