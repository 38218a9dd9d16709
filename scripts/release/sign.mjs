// Signs the SHA256SUMS file the way the Terraform registry expects: a detached binary GPG signature
// (SHA256SUMS.sig), with the public key exported in ASCII armour beside it. The key comes from the environment:
//   RELEASE_GPG_KEY         key id, fingerprint or user id of the secret key (gpg's own GNUPGHOME selects the keyring)
//   RELEASE_GPG_PASSPHRASE  its passphrase, when it has one (given to gpg on stdin, never on the command line)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export function signingKeyFromEnv(env = process.env) {
  const key = env.RELEASE_GPG_KEY?.trim();
  return key ? { key, passphrase: env.RELEASE_GPG_PASSPHRASE } : undefined;
}

/** Writes `${sums}.sig` and `publicKeyFile`. */
export function signSums({ sums, publicKeyFile, key, passphrase }) {
  const args = ['--batch', '--yes', '--no-tty', '--local-user', key];
  const input = passphrase === undefined ? undefined : `${passphrase}\n`;
  if (input !== undefined) args.push('--pinentry-mode', 'loopback', '--passphrase-fd', '0');
  try {
    execFileSync('gpg', [...args, '--detach-sign', '--output', `${sums}.sig`, sums], { input, stdio: ['pipe', 'ignore', 'pipe'] });
    const publicKey = execFileSync('gpg', ['--batch', '--armor', '--export', key], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (publicKey.length === 0) throw new Error(`no public key ${key} in the keyring`);
    writeFileSync(publicKeyFile, publicKey);
  } catch (error) {
    throw new Error(`gpg could not sign with key ${key}: ${String(error.stderr || error.message).trim()}`);
  }
}
