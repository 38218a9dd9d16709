// The CA list for the API: Node's defaults unless SSL_CERT_FILE / SSL_CERT_DIR name more; then those, Node's bundled
// CAs and NODE_EXTRA_CA_CERTS (which an explicit list would otherwise drop).
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateAuthorities, untrustedCertificateHint } from '../../../src/outscale/trust.js';

const pem = (n: number) => `-----BEGIN CERTIFICATE-----\nTUlJQ${n}\n-----END CERTIFICATE-----`;

describe('certificate authorities for the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osc-trust-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'bundle.pem'), `junk before\n${pem(1)}\ntext between\n${pem(2)}\n`);
  writeFileSync(join(dir, 'extra.pem'), pem(3));
  const certDir = join(dir, 'certs');
  const otherDir = join(dir, 'more');
  for (const [d, n] of [
    [certDir, 4],
    [otherDir, 5],
  ] as const) {
    mkdirSync(d);
    writeFileSync(join(d, `ca${n}.crt`), pem(n));
    writeFileSync(join(d, 'README'), 'not a certificate');
  }

  it("leaves Node's defaults alone (NODE_EXTRA_CA_CERTS included, which Node reads itself) without SSL_CERT_*", () => {
    expect(certificateAuthorities({})).toBeUndefined();
    expect(certificateAuthorities({ NODE_EXTRA_CA_CERTS: join(dir, 'extra.pem'), SSL_CERT_FILE: ' ' })).toBeUndefined();
  });

  it('reads the files again only when a variable or a modification time changes, and lists each CA once', () => {
    const bundle = join(dir, 'cached.pem');
    writeFileSync(bundle, `${pem(6)}\n${pem(6)}\n`);
    utimesSync(bundle, 1000, 1000);
    const env = { SSL_CERT_FILE: bundle };
    const first = certificateAuthorities(env)!;
    expect(first.slice(rootCertificates.length)).toEqual([pem(6)]);
    writeFileSync(bundle, pem(7)); // same name, new content: a new modification time
    utimesSync(bundle, 1000, 1000); // …hidden again: the list read before is kept
    expect(certificateAuthorities(env)).toBe(first);
    utimesSync(bundle, 2000, 2000);
    expect(certificateAuthorities(env)!.slice(rootCertificates.length)).toEqual([pem(7)]);
    expect(certificateAuthorities({ ...env, SSL_CERT_DIR: certDir })!.slice(rootCertificates.length)).toEqual([pem(7), pem(4)]);
  });

  it('adds every certificate of SSL_CERT_FILE to the bundled CAs', () => {
    const ca = certificateAuthorities({ SSL_CERT_FILE: join(dir, 'bundle.pem') })!;
    expect(ca.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
    expect(ca.slice(rootCertificates.length)).toEqual([pem(1), pem(2)]);
  });

  it('reads the files of each SSL_CERT_DIR directory and keeps NODE_EXTRA_CA_CERTS', () => {
    const ca = certificateAuthorities({ SSL_CERT_DIR: `${certDir}:${otherDir}`, NODE_EXTRA_CA_CERTS: join(dir, 'extra.pem') })!;
    expect(ca.slice(rootCertificates.length)).toEqual([pem(3), pem(4), pem(5)]);
  });

  it('goes on with the bundled CAs when SSL_CERT_FILE cannot be read', () => {
    expect(certificateAuthorities({ SSL_CERT_FILE: join(dir, 'missing.pem') })).toEqual([...rootCertificates]);
  });

  it('hints at SSL_CERT_FILE for untrusted-issuer errors only', () => {
    for (const code of ['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
      expect(untrustedCertificateHint(code)).toContain('SSL_CERT_FILE or NODE_EXTRA_CA_CERTS');
    }
    for (const code of [undefined, 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) expect(untrustedCertificateHint(code)).toBe('');
  });
});
