// Test helpers for the plugin host: gRPC clients built from the same descriptors as the server, a Terraform-like
// client certificate, and bounded waits.

import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as x509 from '@peculiar/x509';
import {
  BrokerService,
  ControllerService,
  HealthService,
  ProviderService,
  StdioService,
} from '../../src/protocol/tfplugin6.js';

export const MAGIC_COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

export interface ClientCertificate {
  certPem: string;
  keyPem: string;
}

/** Like Terraform's AutoMTLS client cert: ECDSA P-521, self-signed CA, SAN DNS:localhost, client+server auth. */
export async function terraformLikeClientCertificate(): Promise<ClientCertificate> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-521', hash: 'SHA-512' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: webcrypto.getRandomValues(new Uint8Array(16)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '7'),
    name: 'CN=localhost, O=HashiCorp',
    notBefore: new Date(Date.now() - 30_000),
    notAfter: new Date(Date.now() + 3600_000),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature |
          x509.KeyUsageFlags.keyEncipherment |
          x509.KeyUsageFlags.keyAgreement |
          x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return { certPem: cert.toString('pem'), keyPem };
}

export function derToPem(der: Buffer): string {
  return new X509Certificate(der).toString();
}

/** grpc-js target for what the host reports. */
export function target(network: 'unix' | 'tcp', address: string): string {
  return network === 'unix' ? `unix://${address}` : address;
}

export interface PluginClients {
  provider: grpc.Client;
  health: grpc.Client;
  controller: grpc.Client;
  stdio: grpc.Client;
  broker: grpc.Client;
  close(): void;
}

const CLIENT_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
};

/** Plaintext, or TLS like Terraform: the server cert from the handshake as the only root, servername localhost. */
export function connect(
  address: string,
  tls?: { serverCertDer: Buffer; client: ClientCertificate },
): PluginClients {
  const credentials = tls
    ? grpc.credentials.createSsl(
        Buffer.from(derToPem(tls.serverCertDer)),
        Buffer.from(tls.client.keyPem),
        Buffer.from(tls.client.certPem),
      )
    : grpc.credentials.createInsecure();
  const options: grpc.ChannelOptions = tls
    ? { ...CLIENT_OPTIONS, 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' }
    : CLIENT_OPTIONS;
  const make = (definition: grpc.ServiceDefinition, name: string) =>
    new (grpc.makeClientConstructor(definition, name))(address, credentials, options);
  const clients = {
    provider: make(ProviderService, 'Provider'),
    health: make(HealthService, 'Health'),
    controller: make(ControllerService, 'GRPCController'),
    stdio: make(StdioService, 'GRPCStdio'),
    broker: make(BrokerService, 'GRPCBroker'),
  };
  return { ...clients, close: () => Object.values(clients).forEach((c) => c.close()) };
}

type UnaryMethod = (
  request: unknown,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientUnaryCall;

/** Calls a unary method with a deadline, resolving to the decoded response. */
export function unary<T = Record<string, unknown>>(
  client: grpc.Client,
  method: string,
  request: unknown = {},
  timeoutMs = 10_000,
): Promise<T> {
  const fn = (client as unknown as Record<string, UnaryMethod>)[method];
  if (typeof fn !== 'function') throw new Error(`client has no method ${method}`);
  return new Promise((resolve, reject) => {
    fn.call(client, request, { deadline: Date.now() + timeoutMs }, (error, response) =>
      error ? reject(error) : resolve(response as T),
    );
  });
}

/** Rejects if `promise` does not settle within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
