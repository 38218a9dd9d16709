// The plugin's own TLS identity for AutoMTLS: a fresh ECDSA P-256 key and a minimal self-signed certificate whose
// only extension is SAN DNS:localhost — Terraform's Go client pins exactly this certificate (it is its only root)
// and checks the name "localhost" against the SAN (a CN alone is rejected).

import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import {
  bitString,
  explicit,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  tlv,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const OID_COMMON_NAME = '2.5.4.3';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';

export interface ServerCertificate {
  /** PEM of the certificate, for grpc-js. */
  certPem: string;
  /** PKCS#8 PEM of the private key, for grpc-js. */
  keyPem: string;
  /** DER of the certificate: what the handshake line advertises. */
  certDer: Buffer;
}

function commonNameOnly(name: string): Buffer {
  return sequence(set(sequence(objectIdentifier(OID_COMMON_NAME), utf8String(name))));
}

function subjectAltNameDns(host: string): Buffer {
  // GeneralName dNSName is [2] IMPLICIT IA5String → primitive context tag 0x82.
  const names = sequence(tlv(0x82, Buffer.from(host, 'ascii')));
  return sequence(objectIdentifier(OID_SUBJECT_ALT_NAME), octetString(names));
}

export function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function generateServerCertificate(now = new Date(), host = 'localhost'): ServerCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const signatureAlgorithm = sequence(objectIdentifier(OID_ECDSA_WITH_SHA256));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const name = commonNameOnly(host);
  const notBefore = new Date(now.getTime() - 30_000);
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600_000);

  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    signatureAlgorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(subjectAltNameDns(host))),
  );
  const signature = sign('sha256', tbs, privateKey); // DER Ecdsa-Sig-Value, as X.509 wants
  const certDer = sequence(tbs, signatureAlgorithm, bitString(signature));
  return {
    certDer,
    certPem: toPem('CERTIFICATE', certDer),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
