// The data-source RPCs over real gRPC in-process: metadata and schemas from the registry, validation with attribute
// paths, and ReadDataSource answering a non-null, wholly known state of the schema's type (arguments as configured).
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPluginServer, type PluginServer } from '../../src/host/plugin-server.js';
import { ProviderService } from '../../src/protocol/tfplugin6.js';
import { createProviderService, outscaleProvider } from '../../src/provider.js';
import { decodeMsgpack, encodeMsgpack } from '../../src/protocol/codec/index.js';
import { impliedType } from '../../src/framework/schema.js';
import { hasUnknown } from '../../src/framework/values.js';
import { TypeRegistry } from '../../src/framework/registry.js';
import { imageDataSourceBlock, imagesDataSourceBlock } from '../../src/datasources/image/schema.js';
import { providerBlock } from '../../src/provider/schema.js';
import { objectValue, UNKNOWN, type ObjectValue, type Value } from '../../src/protocol/value.js';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

type Res = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const imageType = impliedType(imageDataSourceBlock);
const imagesType = impliedType(imagesDataSourceBlock);

function config(block: { attributes: object; blocks?: object }, values: Record<string, Value>): ObjectValue {
  const o = objectValue();
  for (const n of Object.keys(block.attributes)) o[n] = null;
  for (const n of Object.keys(block.blocks ?? {})) o[n] = [];
  return objectValue({ ...o, ...values });
}
const filter = (name: Value, values: Value) => objectValue({ name, values });
const dv = (v: Value, t = imageType) => ({ msgpack: Buffer.from(encodeMsgpack(v, t)) });

let server: PluginServer;
let client: grpc.Client;
let sandbox: Sandbox;
const rpc = (name: string) => (request: object): Promise<Res> =>
  new Promise((resolve, reject) =>
    (client as unknown as Record<string, Function>)[name]!(request, (err: Error | null, res: Res) => (err ? reject(err) : resolve(res))),
  );
const errors = (res: Res) => (res.diagnostics as Array<{ severity: number; summary: string; detail: string; attribute: any }>).filter((d) => d.severity === 1); // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, imagePendingMs: 0 });
  server = await startPluginServer({ provider: createProviderService().service as never, tls: false, network: 'unix' });
  const Client = grpc.makeGenericClientConstructor(ProviderService, 'Provider');
  client = new Client(`unix://${server.address}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await sandbox?.close();
});

async function configure(): Promise<void> {
  const providerConfig = config(providerBlock, {
    access_key_id: sandbox.accessKey,
    secret_key_id: sandbox.secretKey,
    region: sandbox.region,
    endpoints: [objectValue({ api: sandbox.url, oks: null })],
    api: [],
    oks: [],
  });
  const res = await rpc('ConfigureProvider')({ terraform_version: '1.11.4', config: dv(providerConfig, impliedType(providerBlock)) });
  expect(errors(res)).toEqual([]);
}

describe('data sources over gRPC', () => {
  it('the registry has no schema mistakes and every type starts with outscale_', () => {
    expect(new TypeRegistry(outscaleProvider).problems()).toEqual([]);
  });

  it('GetMetadata and GetProviderSchema list both data sources, filter as a list block', async () => {
    const meta = await rpc('GetMetadata')({});
    expect(meta.data_sources.map((d: { type_name: string }) => d.type_name).sort()).toEqual(['outscale_image', 'outscale_image_export_task', 'outscale_image_export_tasks', 'outscale_images']);
    const schema = await rpc('GetProviderSchema')({});
    const image = schema.data_source_schemas.outscale_image;
    expect(image.block.block_types.map((b: Res) => [b.type_name, b.nesting])).toEqual([['filter', 2]]);
    const attrs = Object.fromEntries(image.block.attributes.map((a: Res) => [a.name, a]));
    expect(attrs.image_id).toMatchObject({ optional: true, computed: true });
    expect(attrs.description).toMatchObject({ computed: true, optional: false });
    expect(schema.data_source_schemas.outscale_images.block.attributes.map((a: Res) => a.name).sort()).toEqual(['account_ids', 'id', 'image_ids', 'images', 'permissions', 'request_id']);
  });

  it('ValidateDataResourceConfig points at the misspelt filter and suggests the name, before any configuration', async () => {
    const res = await rpc('ValidateDataResourceConfig')({
      type_name: 'outscale_image',
      config: dv(config(imageDataSourceBlock, { filter: [filter('image_ids', ['ami-1']), filter('image_name', ['x'])] })),
    });
    expect(errors(res)).toHaveLength(1);
    expect(errors(res)[0]!.detail).toContain('Did you mean "image_names"?');
    expect(errors(res)[0]!.attribute.steps).toEqual([
      expect.objectContaining({ attribute_name: 'filter' }),
      expect.objectContaining({ element_key_int: 1 }),
      expect.objectContaining({ attribute_name: 'name' }),
    ]);
  });

  it('ReadDataSource before ConfigureProvider: an error and still a conforming, known state', async () => {
    const c = config(imageDataSourceBlock, { filter: [filter('image_ids', [SEEDED.publicImageIds[0]])] });
    const res = await rpc('ReadDataSource')({ type_name: 'outscale_image', config: dv(c) });
    expect(errors(res)[0]!.summary).toBe('Provider not configured');
    const state = decodeMsgpack(res.state.msgpack, imageType) as ObjectValue;
    expect(hasUnknown(state)).toBe(false);
    expect(state.filter).toEqual(c.filter);
  });

  it('ReadDataSource: a wholly known state, arguments as configured, every computed attribute set', async () => {
    await configure();
    const c = config(imageDataSourceBlock, { filter: [filter('image_ids', [SEEDED.publicImageIds[1]])], most_recent: false });
    const res = await rpc('ReadDataSource')({ type_name: 'outscale_image', config: dv(c) });
    expect(errors(res)).toEqual([]);
    const state = decodeMsgpack(res.state.msgpack, imageType) as ObjectValue;
    expect(hasUnknown(state)).toBe(false);
    expect(state).toMatchObject({ filter: c.filter, most_recent: false, permission: null, image_id: SEEDED.publicImageIds[1], is_public: true });
    for (const [name, a] of Object.entries(imageDataSourceBlock.attributes))
      if (a.computed) expect(state[name], name).not.toBeNull();
  });

  it('ReadDataSource of outscale_images: an empty list for no match, and a known id', async () => {
    const c = config(imagesDataSourceBlock, { filter: [filter('image_names', ['no-such-image-*'])] });
    const res = await rpc('ReadDataSource')({ type_name: 'outscale_images', config: dv(c, imagesType) });
    expect(errors(res)).toEqual([]);
    const state = decodeMsgpack(res.state.msgpack, imagesType) as ObjectValue;
    expect(state.images).toEqual([]);
    expect(state.id).toMatch(/^images-[0-9a-f]{16}$/);
  });

  it('ReadDataSource with an unknown config (Terraform never sends one): an error, no unknown in the answer', async () => {
    const c = config(imageDataSourceBlock, { filter: [filter('image_ids', [UNKNOWN])] });
    const res = await rpc('ReadDataSource')({ type_name: 'outscale_image', config: dv(c) });
    expect(errors(res)).toHaveLength(1);
    expect(hasUnknown(decodeMsgpack(res.state.msgpack, imageType))).toBe(false);
  });
});
