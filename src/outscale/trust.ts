// Which certificate authorities the API's certificate is checked against. Node trusts its bundled Mozilla CAs and
// NODE_EXTRA_CA_CERTS by itself; a private CA given the way Go programs (the official provider) take one —
// SSL_CERT_FILE (a PEM bundle) and SSL_CERT_DIR (colon-separated directories of PEM files) — is added here. Go reads
// SSL_CERT_FILE instead of the system bundle file but still reads the system certificate directories, so on a usual
// Linux system public CAs stay trusted; here they stay trusted too (Node's bundled ones). Passing `ca` replaces Node's
// default store, so the bundled CAs and NODE_EXTRA_CA_CERTS are passed along with it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { log as processLog, type Logger } from '../common/log.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function certificatesIn(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

function readCertificates(path: string, variable: string, log: Logger): string[] {
  try {
    const found = certificatesIn(readFileSync(path, 'utf8'));
    if (found.length === 0) log.warn('no PEM certificate in a CA file', { variable, path });
    return found;
  } catch (error) {
    log.warn('cannot read a CA file', { variable, path, error: error instanceof Error ? error.message : String(error) });
    return [];
  }
}

function readDirectory(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      return certificatesIn(readFileSync(join(dir, name), 'utf8'));
    } catch {
      return [];
    }
  });
}

/**
 * The last list read, with what it was read from. A system directory holds hundreds of files and a resident provider
 * (warm mode) configures a client for every launch: the list is read again only when a variable or the modification
 * time of a file or directory it names has changed.
 */
let cached: { key: string; stamp: string; list: string[] } | undefined;

function modificationStamp(paths: string[]): string {
  return paths
    .map((path) => {
      try {
        return String(statSync(path).mtimeMs);
      } catch {
        return '-';
      }
    })
    .join(':');
}

/** The `ca` option for the API's TLS connections, or undefined for Node's defaults (no SSL_CERT_FILE/SSL_CERT_DIR). */
export function certificateAuthorities(env: NodeJS.ProcessEnv, log: Logger = processLog): string[] | undefined {
  const file = env.SSL_CERT_FILE?.trim();
  const dirs = env.SSL_CERT_DIR?.trim();
  if (!file && !dirs) return undefined;
  const extra = env.NODE_EXTRA_CA_CERTS?.trim();
  const dirList = dirs ? dirs.split(':').filter(Boolean) : [];
  const key = JSON.stringify([extra, file, dirList]);
  const stamp = modificationStamp([extra, file, ...dirList].filter((p): p is string => !!p));
  if (cached?.key === key && cached.stamp === stamp) return cached.list;
  const list = [
    ...new Set([
      ...rootCertificates,
      ...(extra ? readCertificates(extra, 'NODE_EXTRA_CA_CERTS', log) : []),
      ...(file ? readCertificates(file, 'SSL_CERT_FILE', log) : []),
      ...dirList.flatMap(readDirectory),
    ]),
  ];
  cached = { key, stamp, list };
  return list;
}

/** What to tell the user when the API's certificate is not trusted. */
export function untrustedCertificateHint(code: string | undefined): string {
  const untrusted = ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'UNABLE_TO_GET_ISSUER_CERT'];
  if (code === undefined || !untrusted.includes(code)) return '';
  return '; the certificate is not signed by a trusted authority: give its CA in SSL_CERT_FILE or NODE_EXTRA_CA_CERTS';
}
