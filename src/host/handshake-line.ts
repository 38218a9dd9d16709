// The go-plugin handshake line: CORE|APP|NETWORK|ADDRESS|PROTOCOL|SERVERCERT, printed once the server listens.

import { APP_PROTOCOL_VERSION, CORE_PROTOCOL_VERSION } from './plugin-env.js';

export type Network = 'unix' | 'tcp';

/** Go's base64.RawStdEncoding: standard alphabet, no '=' padding (padded text fails to parse in Terraform). */
export function rawStdBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

export function formatHandshakeLine(network: Network, address: string, serverCertDer?: Uint8Array): string {
  const cert = serverCertDer ? rawStdBase64(serverCertDer) : '';
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|${network}|${address}|grpc|${cert}\n`;
}
