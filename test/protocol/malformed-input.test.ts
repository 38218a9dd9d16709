// Malformed protocol input sent straight over gRPC to an in-process provider server: garbage DynamicValue bytes,
// truncated msgpack, wrong types, unknown type names, missing fields, huge values, undecodable protobuf — for every
// tfplugin6 RPC. Each call must come back as a normal response (with error diagnostics where the input cannot be
// used) or, for bytes that are not even protobuf, as a gRPC status; the server must keep serving throughout.
import * as grpc from '@grpc/grpc-js';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPluginServer, type PluginServer } from '../../src/host/plugin-server.js';
import { PROVIDER_METHODS, ProviderService } from '../../src/protocol/tfplugin6.js';
import { createProviderService } from '../../src/provider.js';
import { encodeMsgpack } from '../../src/protocol/codec/index.js';
import { impliedType } from '../../src/framework/schema.js';
import { imageBlock } from '../../src/resources/image/schema.js';
import { providerBlock } from '../../src/provider/schema.js';
import { objectValue, type ObjectValue, type Value } from '../../src/protocol/value.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

type Response = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type DynamicValue = { msgpack?: Buffer; json?: Buffer };

const imageType = impliedType(imageBlock);
const providerType = impliedType(providerBlock);
const CALL_TIMEOUT_MS = 10_000;

function nullObject(block: { attributes: Record<string, unknown>; blocks?: Record<string, unknown> }): Record<string, null> {
  const o: Record<string, null> = {};
  for (const name of Object.keys(block.attributes)) o[name] = null;
  for (const name of Object.keys(block.blocks ?? {})) o[name] = null;
  return o;
}

function validImage(values: Record<string, Value>): ObjectValue {
  const o = objectValue();
  for (const n of Object.keys(imageBlock.attributes)) o[n] = null;
  o.tags = [];
  o.timeouts = null;
  return objectValue({ ...o, ...values });
}

const validImageBytes = Buffer.from(encodeMsgpack(validImage({ image_name: 'valid-name', vm_id: 'i-5eed0001' }), imageType));
const raw = (bytes: number[] | Uint8Array) => Buffer.from(bytes);

/** Inputs that can never be used: every RPC decoding them must answer with an error diagnostic. */
const UNUSABLE: Record<string, DynamicValue> = {
  'reserved msgpack byte': { msgpack: raw([0xc1, 0xff, 0x00]) },
  'truncated msgpack': { msgpack: validImageBytes.subarray(0, Math.floor(validImageBytes.length / 2)) },
  'one byte': { msgpack: raw([0x81]) },
  'string instead of object': { msgpack: raw(msgpackEncode('just a string')) },
  'number instead of object': { msgpack: raw(msgpackEncode(42)) },
  'array instead of object': { msgpack: raw(msgpackEncode([1, 2, 3])) },
  'unknown extension type at the root': { msgpack: raw([0xd4, 0x63, 0x00]) },
  'map with non-string keys': { msgpack: raw(msgpackEncode(new Map<unknown, unknown>([[1, 2], [true, null]]))) },
  'trailing bytes': { msgpack: Buffer.concat([validImageBytes, raw([0xc0, 0xc0])]) },
  'json garbage': { json: Buffer.from('{not json at all') },
  'json wrong root': { json: Buffer.from('[1,2,3]') },
  'deeply nested arrays': { msgpack: Buffer.concat([Buffer.alloc(100_000, 0x91), raw([0xc0])]) },
  'string length beyond the buffer': { msgpack: raw([0xdb, 0x7f, 0xff, 0xff, 0xff, 0x61]) },
  'map length beyond the buffer': { msgpack: raw([0xdf, 0x7f, 0xff, 0xff, 0xff]) },
  'wrong attribute types': {
    msgpack: raw(msgpackEncode({ ...nullObject(imageBlock), image_name: 5, vm_id: ['i-1'], tags: 'x', no_reboot: 'yes' })),
  },
  'unknown attribute': { msgpack: raw(msgpackEncode({ ...nullObject(imageBlock), image_name: 'abc', vm_id: 'i-1', not_in_schema: 1 })) },
};

/** Odd but decodable inputs: the answer may be a success or error diagnostics, but must be a normal response. */
const ODD: Record<string, DynamicValue> = {
  'missing attributes': { msgpack: raw(msgpackEncode({ image_name: 'abc' })) },
  'empty map': { msgpack: raw(msgpackEncode({})) },
  'msgpack null': { msgpack: raw([0xc0]) },
  // proto3 cannot tell an empty DynamicValue from an absent one; the provider reads it as null (plugin-go rejects it)
  'neither msgpack nor json': {},
  'huge string value (5 MB)': {
    msgpack: Buffer.from(encodeMsgpack(validImage({ image_name: 'n'.repeat(5_000_000), vm_id: 'i-5eed0001' }), imageType)),
  },
  // 10k, not more: set planning is quadratic in the set size (100k tags hold PlanResourceChange for ~20 s)
  'huge set (10k tags)': {
    msgpack: raw(msgpackEncode({ ...nullObject(imageBlock), vm_id: 'i-1', tags: Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i}`, value: null })) })),
  },
  'unicode and NUL in strings': { msgpack: Buffer.from(encodeMsgpack(validImage({ image_name: 'a\u0000😀\u202e', vm_id: '\uffff' }), imageType)) },
  'json object': { json: Buffer.from(JSON.stringify({ image_name: 'abc', vm_id: 'i-1' })) },
  'both encodings, different values': { msgpack: raw([0xc1]), json: Buffer.from('{"image_name":"abc"}') },
};

const TYPE_NAMES = ['outscale_image', 'outscale_nope', '', '\u0000', 'x'.repeat(100_000), 'outscale_image\n'];

/** Every DynamicValue-bearing field a request of `method` has, filled with `value`, plus type/ids as given. */
function requestFor(method: string, value: DynamicValue, typeName: string): Record<string, unknown> {
  switch (method) {
    case 'GetMetadata':
    case 'GetProviderSchema':
    case 'GetFunctions':
    case 'StopProvider':
      return {};
    case 'ValidateProviderConfig':
    case 'ConfigureProvider':
      return { config: value, terraform_version: '1.11.4', client_capabilities: { deferral_allowed: true } };
    case 'ValidateResourceConfig':
    case 'ValidateDataResourceConfig':
    case 'ValidateEphemeralResourceConfig':
    case 'ReadDataSource':
    case 'OpenEphemeralResource':
      return { type_name: typeName, config: value, provider_meta: value };
    case 'UpgradeResourceState':
      return { type_name: typeName, version: 0, raw_state: { json: value.json ?? value.msgpack ?? Buffer.alloc(0) } };
    case 'ReadResource':
      return { type_name: typeName, current_state: value, private: Buffer.from([0xff, 0x00]), provider_meta: value };
    case 'PlanResourceChange':
      return { type_name: typeName, prior_state: value, proposed_new_state: value, config: value, prior_private: Buffer.from('garbage') };
    case 'ApplyResourceChange':
      return { type_name: typeName, prior_state: value, planned_state: value, config: value, planned_private: Buffer.from('garbage') };
    case 'ImportResourceState':
      return { type_name: typeName, id: value.json?.toString('latin1') ?? value.msgpack?.toString('latin1') ?? '' };
    case 'MoveResourceState':
      return { source_type_name: typeName, target_type_name: typeName, source_state: { json: value.json ?? value.msgpack }, source_schema_version: -1 };
    case 'RenewEphemeralResource':
    case 'CloseEphemeralResource':
      return { type_name: typeName, private: value.msgpack ?? value.json };
    case 'CallFunction':
      return { name: typeName, arguments: [value, value] };
    default:
      throw new Error(`no request shape for ${method}`);
  }
}

/** RPCs that decode DynamicValues (or raw state) and therefore must reject unusable ones with a diagnostic. */
const DECODING = new Set([
  'ValidateProviderConfig',
  'ConfigureProvider',
  'ValidateResourceConfig',
  'UpgradeResourceState',
  'ReadResource',
  'PlanResourceChange',
  'ApplyResourceChange',
  'ValidateDataResourceConfig',
  'ReadDataSource',
]);
/** Not supported by this provider: always an error diagnostic. */
const UNSUPPORTED = new Set([
  'MoveResourceState',
  'ValidateEphemeralResourceConfig',
  'OpenEphemeralResource',
  'RenewEphemeralResource',
  'CloseEphemeralResource',
]);

const errorDiagnostics = (res: Response) =>
  (Array.isArray(res.diagnostics) ? res.diagnostics : []).filter((d: { severity: number }) => d.severity === 1) as Array<{
    summary: string;
    detail: string;
  }>;

let server: PluginServer;
let client: grpc.Client;
let rawClient: grpc.Client;
let sandbox: Sandbox;
let address: string;

function call(method: string, request: object): Promise<Response> {
  return new Promise((resolve, reject) => {
    const deadline = new Date(Date.now() + CALL_TIMEOUT_MS);
    (client as unknown as Record<string, Function>)[method]!(request, { deadline }, (err: Error | null, res: Response) => (err ? reject(err) : resolve(res)));
  });
}

/** Sends bytes as the request message itself (not a valid protobuf encoding, perhaps). */
function callRaw(method: string, bytes: Buffer): Promise<{ error?: grpc.ServiceError; response?: Buffer }> {
  return new Promise((resolve) => {
    rawClient.makeUnaryRequest(
      `/tfplugin6.Provider/${method}`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      new grpc.Metadata(),
      { deadline: new Date(Date.now() + CALL_TIMEOUT_MS) },
      (error, response) => resolve({ ...(error ? { error } : {}), ...(response ? { response } : {}) }),
    );
  });
}

async function expectServing(): Promise<void> {
  const res = await call('GetProviderSchema', {});
  expect(res.resource_schemas.outscale_image).toBeDefined();
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, imagePendingMs: 0 });
  server = await startPluginServer({ provider: createProviderService().service as never, tls: false, network: 'unix' });
  address = server.network === 'unix' ? `unix://${server.address}` : server.address;
  const options = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };
  const Client = grpc.makeGenericClientConstructor(ProviderService, 'Provider');
  client = new Client(address, grpc.credentials.createInsecure(), options);
  rawClient = new grpc.Client(address, grpc.credentials.createInsecure(), options);
  // configured for real, so that the calls get past "not configured" into decoding and resource logic
  const providerConfig = objectValue({
    ...nullObject(providerBlock),
    access_key_id: sandbox.accessKey,
    secret_key_id: sandbox.secretKey,
    region: sandbox.region,
    endpoints: [objectValue({ api: sandbox.url, oks: null })],
    api: [],
    oks: [],
  });
  const configured = await call('ConfigureProvider', { terraform_version: '1.11.4', config: { msgpack: Buffer.from(encodeMsgpack(providerConfig, providerType)) } });
  expect(errorDiagnostics(configured)).toEqual([]);
}, 30_000);

afterAll(async () => {
  client?.close();
  rawClient?.close();
  await server?.close();
  await sandbox?.close();
});

// StopProvider cancels everything for good and ConfigureProvider replaces the client: both come last.
const ORDERED = [...PROVIDER_METHODS.filter((m) => m !== 'StopProvider' && m !== 'ConfigureProvider'), 'ConfigureProvider', 'StopProvider'];

describe('malformed input over gRPC', () => {
  it('covers every tfplugin6 RPC', () => {
    expect(new Set(ORDERED)).toEqual(new Set(PROVIDER_METHODS));
    expect(PROVIDER_METHODS).toHaveLength(20);
  });

  for (const method of ORDERED) {
    it(`${method}: unusable values, odd values and bad type names get normal answers; the server keeps serving`, async () => {
      let calls = 0;
      for (const [label, value] of Object.entries(UNUSABLE)) {
        for (const typeName of ['outscale_image', 'outscale_nope']) {
          const res = await call(method, requestFor(method, value, typeName));
          calls++;
          expect(res, `${method} ${label}`).toBeTypeOf('object');
          if (DECODING.has(method) || UNSUPPORTED.has(method)) {
            expect(errorDiagnostics(res).length, `${method} / ${label} / ${typeName}`).toBeGreaterThan(0);
          }
          if (method === 'ImportResourceState') expect(errorDiagnostics(res).length, `${method} / ${label}`).toBeGreaterThan(0);
          if (method === 'CallFunction') expect(res.error?.text, label).toBeTruthy();
        }
      }
      for (const [label, value] of Object.entries(ODD)) {
        const res = await call(method, requestFor(method, value, 'outscale_image'));
        calls++;
        expect(res, `${method} ${label}`).toBeTypeOf('object');
        if (UNSUPPORTED.has(method)) expect(errorDiagnostics(res).length, label).toBeGreaterThan(0);
        for (const d of errorDiagnostics(res)) expect(typeof d.summary, label).toBe('string');
      }
      for (const typeName of TYPE_NAMES) {
        const res = await call(method, requestFor(method, { msgpack: validImageBytes }, typeName));
        calls++;
        expect(res, `${method} type ${JSON.stringify(typeName.slice(0, 20))}`).toBeTypeOf('object');
        if (typeName !== 'outscale_image' && (DECODING.has(method) && method !== 'ValidateProviderConfig' && method !== 'ConfigureProvider')) {
          expect(errorDiagnostics(res).length, `${method} type ${JSON.stringify(typeName.slice(0, 20))}`).toBeGreaterThan(0);
        }
      }
      // bytes that are not a protobuf message of the request type: a gRPC error status, never a hang or a crash
      for (const bytes of [raw([0xff, 0xff, 0xff, 0xff]), raw([0x0a, 0xff, 0xff, 0xff, 0x0f]), raw([0x08]), Buffer.alloc(0)]) {
        const answer = await callRaw(method, bytes);
        calls++;
        if (answer.error) expect(answer.error.code, method).toBe(grpc.status.INTERNAL);
        else expect(Buffer.isBuffer(answer.response)).toBe(true);
      }
      await expectServing();
      expect(calls).toBeGreaterThan(30);
    }, 60_000);
  }

  it('still answers ordinary requests correctly afterwards', async () => {
    await expectServing();
    const ok = await call('ValidateResourceConfig', { type_name: 'outscale_image', config: { msgpack: validImageBytes } });
    expect(errorDiagnostics(ok)).toEqual([]);
    const bad = await call('ValidateResourceConfig', {
      type_name: 'outscale_image',
      config: { msgpack: Buffer.from(encodeMsgpack(validImage({ image_name: 'x', vm_id: 'i-1' }), imageType)) },
    });
    expect(errorDiagnostics(bad).map((d) => d.summary)).toEqual(['Invalid attribute value length']);
    expect(sandbox.calls.filter((c) => c.action === 'CreateImage' && c.executed)).toEqual([]);
  });
});
