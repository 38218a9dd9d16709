// The plugin gRPC server in-process, over a plaintext unix socket (and TCP on 127.0.0.1:0), with a test double
// provider: tfplugin6 calls, go-plugin's auxiliary services, missing methods, failures and large messages.

import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { type PluginServer, startPluginServer } from '../../src/host/plugin-server.js';
import type { ProviderHandlers } from '../../src/host/provider-dispatch.js';
import { PROVIDER_METHODS } from '../../src/protocol/tfplugin6.js';
import type { GetProviderSchema, PlanResourceChange } from '../../src/protocol/messages.js';
import { type PluginClients, connect, target, unary, within } from './host-helpers.js';

const ERROR = 1;

const testProvider: ProviderHandlers = {
  GetProviderSchema: (_call, callback) => {
    const response: GetProviderSchema.Response = {
      provider: {
        version: 0,
        block: {
          attributes: [{ name: 'region', type: Buffer.from('"string"'), optional: true, description: 'Region' }],
        },
      },
      resource_schemas: {
        test_thing: {
          version: 3,
          block: {
            attributes: [{ name: 'id', type: Buffer.from('"string"'), computed: true }],
            block_types: [{ type_name: 'tag', nesting: 3, block: { attributes: [] } }],
          },
        },
      },
      server_capabilities: { plan_destroy: true, get_provider_schema_optional: true },
    };
    callback(null, response);
  },
  // Echoes the proposed state: lets a test send and receive a large value.
  PlanResourceChange: (call, callback) => {
    const request = call.request as PlanResourceChange.Request;
    const response: PlanResourceChange.Response = {
      planned_state: { msgpack: request.proposed_new_state?.msgpack ?? Buffer.alloc(0) },
      planned_private: Buffer.from(request.type_name),
    };
    callback(null, response);
  },
  ValidateProviderConfig: () => {
    throw new Error('boom in handler');
  },
  ConfigureProvider: async () => {
    throw new Error('async boom');
  },
};

let server: PluginServer | undefined;
let clients: PluginClients | undefined;

afterEach(async () => {
  clients?.close();
  clients = undefined;
  await server?.close();
  server = undefined;
});

async function start(options: Partial<Parameters<typeof startPluginServer>[0]> = {}) {
  server = await startPluginServer({ provider: testProvider, tls: false, ...options });
  clients = connect(target(server.network, server.address));
  return { server, clients };
}

describe('plugin server, plaintext unix socket', () => {
  it('listens on a socket in the temp dir and serves GetProviderSchema', async () => {
    const { server, clients } = await start();
    expect(server.network).toBe('unix');
    expect(server.address.startsWith(tmpdir())).toBe(true);
    expect(existsSync(server.address)).toBe(true);
    expect(server.serverCertDer).toBeUndefined();

    const response = await unary<Record<string, any>>(clients.provider, 'GetProviderSchema');
    expect(response.provider.block.attributes[0].name).toBe('region');
    expect(Buffer.from(response.provider.block.attributes[0].type).toString()).toBe('"string"');
    expect(response.resource_schemas.test_thing.version).toBe(3);
    expect(response.resource_schemas.test_thing.block.block_types[0]).toMatchObject({ type_name: 'tag', nesting: 3 });
    expect(response.server_capabilities).toEqual({
      plan_destroy: true,
      get_provider_schema_optional: true,
      move_resource_state: false,
    });
    expect(response.diagnostics).toEqual([]);
  });

  it('removes the socket file on close', async () => {
    const { server } = await start();
    const path = server.address;
    clients?.close();
    clients = undefined;
    await server.close();
    expect(existsSync(path)).toBe(false);
  });

  it('answers Health.Check SERVING for "" and "plugin", NOT_FOUND otherwise', async () => {
    const { clients } = await start();
    expect(await unary(clients.health, 'Check', { service: '' })).toEqual({ status: 1 });
    expect(await unary(clients.health, 'Check', { service: 'plugin' })).toEqual({ status: 1 });
    await expect(unary(clients.health, 'Check', { service: 'nope' })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });

  it('streams one Health.Watch status and keeps the stream open', async () => {
    const { server, clients } = await start();
    const call = (clients.health as any).Watch({ service: 'plugin' }) as grpc.ClientReadableStream<unknown>;
    const first = await within(new Promise((resolve) => call.once('data', resolve)), 5000, 'Watch data');
    expect(first).toEqual({ status: 1 });
    let ended = false;
    call.on('end', () => (ended = true));
    call.on('error', () => {});
    // A unary round trip later, the stream is still open…
    await unary(clients.health, 'Check', { service: '' });
    expect(ended).toBe(false);
    // …until the server closes.
    const endOrError = new Promise((resolve) => {
      call.on('end', resolve);
      call.on('status', resolve);
    });
    await server.close();
    await within(endOrError, 5000, 'Watch end on close');
  });

  it('answers GRPCController.Shutdown, then calls onShutdown', async () => {
    let shutdowns = 0;
    let shutdownSeen: () => void = () => {};
    const shutdownCalled = new Promise<void>((resolve) => (shutdownSeen = resolve));
    const { clients } = await start({
      onShutdown: () => {
        shutdowns++;
        shutdownSeen();
      },
    });
    expect(await unary(clients.controller, 'Shutdown', {})).toEqual({});
    await within(shutdownCalled, 5000, 'onShutdown');
    expect(shutdowns).toBe(1);
  });

  it('closes itself on Shutdown when no onShutdown is given', async () => {
    const { server, clients } = await start();
    const path = server.address;
    await unary(clients.controller, 'Shutdown', {});
    await within(
      (async () => {
        for (let i = 0; i < 200 && existsSync(path); i++) await new Promise((r) => setTimeout(r, 10));
      })(),
      5000,
      'socket removal',
    );
    expect(existsSync(path)).toBe(false);
  });

  it('keeps StreamStdio open and silent', async () => {
    const { server, clients } = await start();
    const call = (clients.stdio as any).StreamStdio({}) as grpc.ClientReadableStream<unknown>;
    const received: unknown[] = [];
    let ended = false;
    call.on('data', (d) => received.push(d));
    call.on('end', () => (ended = true));
    call.on('error', () => {});
    await unary(clients.provider, 'GetProviderSchema');
    await unary(clients.health, 'Check', { service: '' });
    expect(received).toEqual([]);
    expect(ended).toBe(false);
    const finished = new Promise((resolve) => call.on('status', resolve));
    await server.close();
    await within(finished, 5000, 'StreamStdio end on close');
    expect(received).toEqual([]);
  });

  it('keeps GRPCBroker.StartStream open and ends it when the client ends', async () => {
    const { clients } = await start();
    const call = (clients.broker as any).StartStream() as grpc.ClientDuplexStream<unknown, unknown>;
    const status = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    call.on('data', () => {});
    call.on('error', () => {});
    call.write({ service_id: 1, network: 'unix', address: '/nowhere', knock: { knock: true } });
    await unary(clients.health, 'Check', { service: '' });
    call.end();
    const result = await within(status, 5000, 'StartStream end');
    expect(result.code).toBe(grpc.status.OK);
  });

  it('answers methods the provider lacks with an error diagnostic', async () => {
    const { clients } = await start();
    const validate = await unary<Record<string, any>>(clients.provider, 'ValidateResourceConfig', {
      type_name: 'test_thing',
      config: { msgpack: Buffer.from([0xc0]) },
    });
    expect(validate.diagnostics).toHaveLength(1);
    expect(validate.diagnostics[0]).toMatchObject({
      severity: ERROR,
      summary: 'The provider does not support ValidateResourceConfig',
    });

    const call = await unary<Record<string, any>>(clients.provider, 'CallFunction', { name: 'f', arguments: [] });
    expect(call.error.text).toBe('The provider does not support CallFunction');
    expect(call.result).toBeNull();

    expect(await unary(clients.provider, 'StopProvider', {})).toEqual({ Error: '' });
  });

  it('answers every one of the 20 RPCs, implemented or not', async () => {
    const { clients } = await start({ provider: {} });
    for (const method of PROVIDER_METHODS) {
      const response = await unary<Record<string, any>>(clients.provider, method, {});
      if (method === 'StopProvider') expect(response.Error).toBe('');
      else if (method === 'CallFunction') expect(response.error.text).toContain(method);
      else expect(response.diagnostics[0].summary).toBe(`The provider does not support ${method}`);
    }
  });

  it('turns a throwing or rejecting handler into an error diagnostic and keeps serving', async () => {
    const { clients } = await start();
    const thrown = await unary<Record<string, any>>(clients.provider, 'ValidateProviderConfig', {});
    expect(thrown.diagnostics[0]).toMatchObject({ severity: ERROR, summary: 'Internal error in the provider' });
    expect(thrown.diagnostics[0].detail).toContain('boom in handler');
    const rejected = await unary<Record<string, any>>(clients.provider, 'ConfigureProvider', {});
    expect(rejected.diagnostics[0].detail).toContain('async boom');
    expect((await unary<Record<string, any>>(clients.provider, 'GetProviderSchema')).provider).not.toBeNull();
  });

  it('round-trips a message larger than 4 MiB both ways', async () => {
    const { clients } = await start();
    const big = Buffer.alloc(6 * 1024 * 1024, 0xa5);
    const response = await unary<Record<string, any>>(clients.provider, 'PlanResourceChange', {
      type_name: 'test_thing',
      proposed_new_state: { msgpack: big },
    });
    expect(response.planned_state.msgpack.length).toBe(big.length);
    expect(Buffer.compare(response.planned_state.msgpack, big)).toBe(0);
    expect(response.planned_private.toString()).toBe('test_thing');
  });

  it('loads a lazy provider once, on demand', async () => {
    let loads = 0;
    const { server, clients } = await start({
      provider: async () => {
        loads++;
        return testProvider;
      },
    });
    expect(server.provider()).toBeUndefined();
    await Promise.all([unary(clients.provider, 'GetProviderSchema'), unary(clients.provider, 'GetProviderSchema')]);
    await server.preloadProvider();
    expect(loads).toBe(1);
    expect(server.provider()).toBe(testProvider);
  });

  it('reports a provider that fails to load in each response', async () => {
    const { clients } = await start({
      provider: () => {
        throw new Error('cannot load');
      },
    });
    const response = await unary<Record<string, any>>(clients.provider, 'GetProviderSchema');
    expect(response.diagnostics[0].summary).toBe('The provider failed to start');
    expect(response.diagnostics[0].detail).toContain('cannot load');
  });
});

describe('plugin server, TCP', () => {
  it('serves on 127.0.0.1 with an OS-chosen port', async () => {
    const { server, clients } = await start({ network: 'tcp' });
    expect(server.network).toBe('tcp');
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await unary(clients.health, 'Check', { service: 'plugin' })).toEqual({ status: 1 });
  });

  it('falls back to TCP when the socket path would be too long', async () => {
    const { server, clients } = await start({ socketDir: `/tmp/${'x'.repeat(120)}` });
    expect(server.network).toBe('tcp');
    expect(await unary(clients.health, 'Check', { service: '' })).toEqual({ status: 1 });
  });
});
