// AutoMTLS as Terraform does it: the client's P-521 certificate comes in PLUGIN_CLIENT_CERT, the server answers with
// its own certificate (advertised in the handshake line), and only that one client certificate is accepted.

import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PluginServer, startPluginServer } from '../../src/host/plugin-server.js';
import {
  type ClientCertificate,
  type PluginClients,
  connect,
  target,
  terraformLikeClientCertificate,
  unary,
} from './host-helpers.js';

let terraformCert: ClientCertificate;
let otherCert: ClientCertificate;
let server: PluginServer;
const opened: PluginClients[] = [];

beforeAll(async () => {
  terraformCert = await terraformLikeClientCertificate();
  otherCert = await terraformLikeClientCertificate();
  server = await startPluginServer({
    provider: {
      GetProviderSchema: (_call, callback) => callback(null, { provider: { block: {} } }),
    },
    tls: { clientCertPem: terraformCert.certPem },
  });
});

afterAll(async () => {
  for (const clients of opened) clients.close();
  await server?.close();
});

function clientsWith(client: ClientCertificate): PluginClients {
  const clients = connect(target(server.network, server.address), { serverCertDer: server.serverCertDer!, client });
  opened.push(clients);
  return clients;
}

describe('AutoMTLS', () => {
  it('advertises a P-256 self-signed server certificate for localhost', () => {
    expect(server.serverCertDer).toBeInstanceOf(Buffer);
    const cert = new X509Certificate(server.serverCertDer!);
    expect(cert.subjectAltName).toBe('DNS:localhost');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('serves a client presenting the certificate from PLUGIN_CLIENT_CERT', async () => {
    const clients = clientsWith(terraformCert);
    const schema = await unary<Record<string, any>>(clients.provider, 'GetProviderSchema');
    expect(schema.provider).not.toBeNull();
    expect(await unary(clients.health, 'Check', { service: 'plugin' })).toEqual({ status: 1 });
  });

  it('refuses a client presenting a different certificate', async () => {
    const clients = clientsWith(otherCert);
    const failure = await unary(clients.health, 'Check', { service: '' }, 5000).then(
      () => undefined,
      (error: grpc.ServiceError) => error,
    );
    expect(failure).toBeDefined();
    expect(failure!.code).toBe(grpc.status.UNAVAILABLE);
  });

  it('refuses a plaintext client', async () => {
    const clients = connect(target(server.network, server.address));
    opened.push(clients);
    await expect(unary(clients.health, 'Check', { service: '' }, 5000)).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
    });
  });

  it('is not trusted by a client that expects another server certificate', async () => {
    const clients = connect(target(server.network, server.address), {
      // Pin the wrong certificate: the client must reject the server.
      serverCertDer: new X509Certificate(otherCert.certPem).raw,
      client: terraformCert,
    });
    opened.push(clients);
    await expect(unary(clients.health, 'Check', { service: '' }, 5000)).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
    });
  });
});
