// The descriptors and small pure parts of the host: service definitions equivalent to @grpc/proto-loader's, field
// numbers of the wire contract, handshake/reattach lines, launch environment checks, and the DER certificate.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromJSON } from '@grpc/proto-loader';
import type { MethodDefinition } from '@grpc/grpc-js';
import type protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import { objectIdentifier, time } from '../../src/host/der.js';
import { formatHandshakeLine, rawStdBase64 } from '../../src/host/handshake-line.js';
import {
  MAGIC_COOKIE_VALUE,
  clientCertFromEnv,
  hasMagicCookie,
  negotiateProtocolVersion,
  portRangeFromEnv,
} from '../../src/host/plugin-env.js';
import { formatReattachMessage, reattachValue } from '../../src/host/reattach.js';
import { generateServerCertificate } from '../../src/host/server-certificate.js';
import {
  BrokerService,
  ControllerService,
  HealthService,
  LOADER_OPTIONS,
  PROVIDER_METHODS,
  ProviderService,
  StdioService,
  protoRoot,
} from '../../src/protocol/tfplugin6.js';
import { MAGIC_COOKIE } from './host-helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const json = JSON.parse(readFileSync(join(ROOT, 'src/protocol/generated/descriptors.json'), 'utf8'));
const reference = fromJSON(json, { ...LOADER_OPTIONS });

type AnyMethod = MethodDefinition<object, object>;

const SERVICES = {
  'tfplugin6.Provider': ProviderService,
  'plugin.GRPCController': ControllerService,
  'plugin.GRPCStdio': StdioService,
  'plugin.GRPCBroker': BrokerService,
  'grpc.health.v1.Health': HealthService,
} as const;

/** Sample messages, one per request/response type used below; bytes, maps, oneofs, optionals, enums, nulls. */
const SAMPLES: Record<string, { request: object; response: object }> = {
  GetProviderSchema: {
    request: {},
    response: {
      provider: { version: 1, block: { attributes: [{ name: 'a', type: Buffer.from('"string"'), optional: true }] } },
      resource_schemas: {
        outscale_image: {
          version: 2,
          block: {
            block_types: [{ type_name: 'b', nesting: 3, min_items: 1, block: { description_kind: 1 } }],
            attributes: [
              {
                name: 'n',
                nested_type: { nesting: 2, attributes: [{ name: 'x', type: Buffer.from('"number"'), computed: true }] },
              },
            ],
          },
        },
      },
      diagnostics: [{ severity: 2, summary: 's', detail: 'd', attribute: { steps: [{ attribute_name: 'a' }] } }],
      server_capabilities: { plan_destroy: true },
      functions: {
        f: { parameters: [{ name: 'p', type: Buffer.from('"bool"') }], return: { type: Buffer.from('"bool"') } },
      },
    },
  },
  PlanResourceChange: {
    request: {
      type_name: 't',
      prior_state: { msgpack: Buffer.from([0xc0]) },
      proposed_new_state: { msgpack: Buffer.from([0x81, 0xa1, 0x61, 0xd4, 0, 0]) },
      prior_private: Buffer.from('p'),
      client_capabilities: { write_only_attributes_allowed: true },
    },
    response: {
      planned_state: { msgpack: Buffer.from([0x80]) },
      requires_replace: [{ steps: [{ attribute_name: 'a' }, { element_key_int: 3 }, { element_key_string: 'k' }] }],
      planned_private: Buffer.from('x'),
    },
  },
  UpgradeResourceState: {
    request: { type_name: 't', version: 4, raw_state: { json: Buffer.from('{}'), flatmap: { a: 'b' } } },
    response: { upgraded_state: { json: Buffer.from('{}') } },
  },
  OpenEphemeralResource: {
    request: { type_name: 't' },
    response: { renew_at: { seconds: 1_800_000_000, nanos: 5 }, private: Buffer.from('z'), diagnostics: [] },
  },
  RenewEphemeralResource: { request: { type_name: 't', private: Buffer.from('q') }, response: {} },
  CallFunction: {
    request: { name: 'f', arguments: [{ msgpack: Buffer.from([0x01]) }] },
    response: { error: { text: 'bad', function_argument: 1 } },
  },
  StopProvider: { request: {}, response: { Error: 'x' } },
};

describe('service definitions', () => {
  it('expose the 20 Provider RPCs in proto order, all unary', () => {
    const service = protoRoot().lookupService('tfplugin6.Provider');
    expect(service.methodsArray.map((m) => m.name)).toEqual([...PROVIDER_METHODS]);
    for (const method of PROVIDER_METHODS) {
      const definition = ProviderService[method] as AnyMethod;
      expect(definition.path).toBe(`/tfplugin6.Provider/${method}`);
      expect(definition.requestStream || definition.responseStream).toBe(false);
    }
  });

  it('have the go-plugin service paths and stream kinds', () => {
    expect(ControllerService.Shutdown!.path).toBe('/plugin.GRPCController/Shutdown');
    expect(StdioService.StreamStdio!.path).toBe('/plugin.GRPCStdio/StreamStdio');
    expect([StdioService.StreamStdio!.requestStream, StdioService.StreamStdio!.responseStream]).toEqual([false, true]);
    expect([BrokerService.StartStream!.requestStream, BrokerService.StartStream!.responseStream]).toEqual([true, true]);
    expect(HealthService.Check!.path).toBe('/grpc.health.v1.Health/Check');
    expect(HealthService.Watch!.responseStream).toBe(true);
  });

  it('match what @grpc/proto-loader fromJSON builds: same methods, same bytes, same decoded objects', () => {
    for (const [name, ours] of Object.entries(SERVICES)) {
      const theirs = reference[name] as unknown as Record<string, AnyMethod>;
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
      for (const [method, definition] of Object.entries(ours as Record<string, AnyMethod>)) {
        const other = theirs[method]!;
        expect([definition.path, definition.requestStream, definition.responseStream, definition.originalName]).toEqual([
          other.path,
          other.requestStream,
          other.responseStream,
          other.originalName,
        ]);
        const sample = SAMPLES[method] ?? { request: {}, response: {} };
        for (const side of ['request', 'response'] as const) {
          const serialize = side === 'request' ? definition.requestSerialize : definition.responseSerialize;
          const deserialize = side === 'request' ? definition.requestDeserialize : definition.responseDeserialize;
          const otherSerialize = side === 'request' ? other.requestSerialize : other.responseSerialize;
          const otherDeserialize = side === 'request' ? other.requestDeserialize : other.responseDeserialize;
          const bytes = serialize(sample[side]);
          expect(Buffer.isBuffer(bytes)).toBe(true);
          expect(Buffer.compare(bytes, otherSerialize(sample[side]))).toBe(0);
          expect(deserialize(bytes)).toEqual(otherDeserialize(bytes));
        }
      }
    }
  });

  it('decode with the documented loader options', () => {
    const plan = ProviderService.PlanResourceChange as AnyMethod;
    const request = plan.requestDeserialize(plan.requestSerialize({ type_name: 't' })) as Record<string, unknown>;
    expect(request).toMatchObject({ type_name: 't', prior_state: null, config: null, client_capabilities: null });
    expect(request.prior_private).toEqual(Buffer.alloc(0));
    const upgrade = ProviderService.UpgradeResourceState as AnyMethod;
    const up = upgrade.requestDeserialize(upgrade.requestSerialize(SAMPLES.UpgradeResourceState!.request)) as any;
    expect(up.version).toBe(4); // int64 → number
    expect(up.raw_state.flatmap).toEqual({ a: 'b' });
    const response = plan.responseDeserialize(plan.responseSerialize(SAMPLES.PlanResourceChange!.response)) as any;
    expect(response.requires_replace[0].steps).toEqual([
      { attribute_name: 'a', selector: 'attribute_name' },
      { element_key_int: 3, selector: 'element_key_int' },
      { element_key_string: 'k', selector: 'element_key_string' },
    ]);
    const renew = ProviderService.RenewEphemeralResource as AnyMethod;
    expect(renew.requestDeserialize(renew.requestSerialize({ type_name: 't' }))).toEqual({ type_name: 't' });
    const stop = ProviderService.StopProvider as AnyMethod;
    expect(stop.responseDeserialize(stop.responseSerialize({ Error: 'e' }))).toEqual({ Error: 'e' });
  });
});

describe('tfplugin6 wire contract (field numbers from the reference tables)', () => {
  const field = (type: string, name: string): protobuf.Field =>
    protoRoot().lookupType(type).fields[name] ?? expect.fail(`${type}.${name} missing`);

  it.each([
    ['tfplugin6.DynamicValue', 'msgpack', 1],
    ['tfplugin6.DynamicValue', 'json', 2],
    ['tfplugin6.Diagnostic', 'attribute', 4],
    ['tfplugin6.Schema.Attribute', 'nested_type', 10],
    ['tfplugin6.Schema.Attribute', 'description', 3],
    ['tfplugin6.Schema.Attribute', 'write_only', 11],
    ['tfplugin6.Schema.Object', 'nesting', 3],
    ['tfplugin6.ValidateProviderConfig.Response', 'diagnostics', 2],
    ['tfplugin6.ApplyResourceChange.Response', 'diagnostics', 3],
    ['tfplugin6.PlanResourceChange.Response', 'legacy_type_system', 5],
    ['tfplugin6.GetProviderSchema.Response', 'ephemeral_resource_schemas', 8],
    ['tfplugin6.StopProvider.Response', 'Error', 1],
    ['tfplugin6.OpenEphemeralResource.Response', 'private', 4],
    ['tfplugin6.MoveResourceState.Request', 'source_private', 6],
    ['plugin.ConnInfo', 'knock', 4],
    ['plugin.StdioData', 'data', 2],
    ['grpc.health.v1.HealthCheckResponse', 'status', 1],
  ])('%s.%s = %i', (type, name, id) => {
    expect(field(type, name).id).toBe(id);
  });

  it('marks proto3 optional fields and the step oneof', () => {
    expect(field('tfplugin6.FunctionError', 'function_argument').options?.proto3_optional).toBe(true);
    expect(field('tfplugin6.RenewEphemeralResource.Request', 'private').options?.proto3_optional).toBe(true);
    expect(protoRoot().lookupType('tfplugin6.AttributePath.Step').oneofs.selector!.oneof).toEqual([
      'attribute_name',
      'element_key_string',
      'element_key_int',
    ]);
  });

  it('has the enum values of the tables', () => {
    expect(protoRoot().lookupEnum('tfplugin6.Schema.NestedBlock.NestingMode').values).toEqual({
      INVALID: 0,
      SINGLE: 1,
      LIST: 2,
      SET: 3,
      MAP: 4,
      GROUP: 5,
    });
    expect(protoRoot().lookupEnum('tfplugin6.Deferred.Reason').values.ABSENT_PREREQ).toBe(3);
    expect(protoRoot().lookupEnum('plugin.StdioData.Channel').values).toEqual({ INVALID: 0, STDOUT: 1, STDERR: 2 });
  });
});

describe('handshake line', () => {
  it('is 1|6|network|address|grpc|cert with unpadded standard base64', () => {
    const der = Buffer.from([0xfb, 0xff, 0x01, 0x02]); // base64 "+/8BAg==" has '+', '/' and padding
    expect(rawStdBase64(der)).toBe('+/8BAg');
    expect(formatHandshakeLine('unix', '/tmp/p', der)).toBe('1|6|unix|/tmp/p|grpc|+/8BAg\n');
    expect(formatHandshakeLine('tcp', '127.0.0.1:10001')).toBe('1|6|tcp|127.0.0.1:10001|grpc|\n');
  });
});

describe('launch environment', () => {
  it('knows Terraform’s magic cookie', () => {
    expect(MAGIC_COOKIE_VALUE).toBe(MAGIC_COOKIE);
    expect(hasMagicCookie({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE })).toBe(true);
    expect(hasMagicCookie({ TF_PLUGIN_MAGIC_COOKIE: 'x' })).toBe(false);
    expect(hasMagicCookie({})).toBe(false);
  });

  it('picks protocol 6 from PLUGIN_PROTOCOL_VERSIONS in either order', () => {
    expect(negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: '5,6' })).toEqual({ ok: true, version: 6 });
    expect(negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: '6,5' })).toEqual({ ok: true, version: 6 });
    expect(negotiateProtocolVersion({})).toEqual({ ok: true, version: 6 });
    const refused = negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: '4,5' });
    expect(refused.ok).toBe(false);
  });

  it('reads the port range and client certificate', () => {
    expect(portRangeFromEnv({ PLUGIN_MIN_PORT: '12000', PLUGIN_MAX_PORT: '12010' })).toEqual({ min: 12000, max: 12010 });
    expect(portRangeFromEnv({})).toEqual({ min: 10000, max: 25000 });
    expect(portRangeFromEnv({ PLUGIN_MIN_PORT: '9', PLUGIN_MAX_PORT: '3' })).toEqual({ min: 10000, max: 25000 });
    expect(clientCertFromEnv({ PLUGIN_CLIENT_CERT: '  ' })).toBeUndefined();
    expect(clientCertFromEnv({ PLUGIN_CLIENT_CERT: '-----BEGIN' })).toBe('-----BEGIN');
  });
});

describe('reattach line', () => {
  it('has Test:true and protocol 6 under the provider address', () => {
    expect(JSON.parse(reattachValue(42, 'unix', '/tmp/s'))).toEqual({
      'registry.terraform.io/outscale/outscale': {
        Protocol: 'grpc',
        ProtocolVersion: 6,
        Pid: 42,
        Test: true,
        Addr: { Network: 'unix', String: '/tmp/s' },
      },
    });
    expect(formatReattachMessage(42, 'tcp', '127.0.0.1:1').split('\n')[0]).toMatch(/^TF_REATTACH_PROVIDERS='\{.*\}'$/);
  });
});

describe('server certificate', () => {
  it('is a valid self-signed P-256 X.509 certificate for localhost with matching key', () => {
    const now = new Date('2030-06-01T12:00:00Z');
    const { certDer, certPem, keyPem } = generateServerCertificate(now);
    const cert = new X509Certificate(certDer);
    expect(cert.toString()).toBe(certPem.replace(/\r/g, ''));
    expect(cert.subject).toBe('CN=localhost');
    expect(cert.issuer).toBe('CN=localhost');
    expect(cert.subjectAltName).toBe('DNS:localhost');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect(new Date(cert.validFrom).getTime()).toBe(now.getTime() - 30_000);
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(now.getTime());
  });

  it('uses a fresh key and serial each time', () => {
    const a = new X509Certificate(generateServerCertificate().certDer);
    const b = new X509Certificate(generateServerCertificate().certDer);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(a.publicKey.export({ format: 'der', type: 'spki' })).not.toEqual(b.publicKey.export({ format: 'der', type: 'spki' }));
  });

  it('encodes OIDs and times as DER', () => {
    expect(objectIdentifier('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
    expect(time(new Date('2030-01-02T03:04:05Z')).toString('latin1')).toBe('\x17\x0d300102030405Z');
    expect(time(new Date('2051-01-02T03:04:05Z')).toString('latin1')).toBe('\x18\x0f20510102030405Z');
  });
});
