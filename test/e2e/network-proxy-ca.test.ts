// The provider reaches the OUTSCALE API the way Terraform users' networks require: through an HTTP proxy
// (HTTPS_PROXY with credentials, NO_PROXY exceptions) and with a private certificate authority (SSL_CERT_FILE,
// NODE_EXTRA_CA_CERTS). The sandbox serves HTTPS with a certificate from a CA made here, on a non-loopback address
// (Go's rules, which the provider follows, never proxy loopback addresses); the proxy resolves the API's host name,
// which no DNS knows, to that address.
import { writeFile } from 'node:fs/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { describeE2e, providerBlock, sandboxEnv, useWorkspace } from './harness/index.js';
import { startConnectProxy, type TestProxy } from './network/connect-proxy.js';
import { makeTestCa } from './network/test-ca.js';

const API_HOST = 'api.eu-west-2.outscale.test';
const PROXY_USER = 'proxy-user';
const PROXY_PASSWORD = 'p@ss:w0rd/secret';

function nonLoopbackIpv4(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  throw new Error('this machine has no non-loopback IPv4 address: the proxy tests need one (Go never proxies loopback)');
}

const image = (name: string) => `
resource "outscale_image" "${name}" {
  image_name         = "${name}"
  source_image_id    = "ami-5eed0001"
  source_region_name = "eu-west-2"
}
`;

describeE2e(
  'proxies and private certificate authorities for the OUTSCALE API',
  () => {
    let sandbox: Sandbox;
    let proxy: TestProxy;
    let dir: string;
    let address: string;
    let caFile: string;
    let wrongCaFile: string;
    const fastRetries = { OSC_RETRY_BASE_DELAY_MS: '10', OSC_RETRY_JITTER_MS: '0', OSC_RETRY_MAX_DELAY_MS: '20' };

    beforeAll(async () => {
      address = nonLoopbackIpv4();
      const ca = await makeTestCa('sandbox CA');
      const other = await makeTestCa('some other CA');
      const server = await ca.issue({ dns: [API_HOST], ips: [address] });
      sandbox = await startSandbox({ port: 0, host: address, imagePendingMs: 50, tls: { cert: server.certPem, key: server.keyPem } });
      proxy = await startConnectProxy({ user: PROXY_USER, password: PROXY_PASSWORD, resolve: { [API_HOST]: address } });
      dir = await mkdtemp(join(tmpdir(), 'tfnet-'));
      caFile = join(dir, 'ca.pem');
      wrongCaFile = join(dir, 'other-ca.pem');
      await writeFile(caFile, ca.certPem);
      await writeFile(wrongCaFile, other.certPem);
    }, 60_000);
    afterAll(async () => {
      await sandbox?.close();
      await proxy?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const proxyUrl = (password = PROXY_PASSWORD) =>
      `http://${PROXY_USER}:${encodeURIComponent(password)}@127.0.0.1:${proxy.port}`;
    const byName = () => ({ ...sandboxEnv(sandbox), OSC_ENDPOINT_API: `https://${API_HOST}:${sandbox.port}/api/v1` });
    const ws = useWorkspace(() => ({ env: { ...sandboxEnv(sandbox), ...fastRetries }, config: providerBlock() }));

    it('applies through an authenticating CONNECT proxy, trusting the CA from SSL_CERT_FILE; the password shows nowhere', async () => {
      const tf = ws();
      await tf.writeConfig(providerBlock() + image('through-proxy'));
      const before = proxy.tunnels.length;
      const env = { ...byName(), HTTPS_PROXY: proxyUrl(), SSL_CERT_FILE: caFile };
      await tf.apply({ env });
      expect(await tf.resource('outscale_image.through-proxy')).toMatchObject({ state: 'available' });
      const tunnels = proxy.tunnels.slice(before);
      expect(tunnels.length).toBeGreaterThan(0);
      expect(new Set(tunnels)).toEqual(new Set([`${API_HOST}:${sandbox.port}`]));
      expect(proxy.refusedAuth).toBe(0);
      expect(sandbox.calls.some((call) => call.action === 'CreateImage' && call.status === 200)).toBe(true);
      await tf.destroy({ env });
      const log = await readFile(tf.path('terraform.log'), 'utf8');
      for (const secret of [PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD)]) expect(log).not.toContain(secret);
    }, 180_000);

    it('says the proxy refused the credentials, naming the proxy but not the password', async () => {
      const tf = ws();
      await tf.writeConfig(providerBlock() + image('wrong-password'));
      const refused = proxy.refusedAuth;
      const result = await tf.apply({ env: { ...byName(), https_proxy: proxyUrl('not-the-password'), SSL_CERT_FILE: caFile }, allowFailure: true });
      expect(result.code).not.toBe(0);
      expect(proxy.refusedAuth).toBeGreaterThan(refused);
      const output = (result.stderr + result.stdout).replace(/\s+/g, ' ');
      expect(output).toContain(`the proxy http://127.0.0.1:${proxy.port} (from https_proxy) answered 407`);
      expect(output).toContain('check the user and password in https_proxy');
      expect(output).not.toContain('not-the-password');
      expect(await readFile(tf.path('terraform.log'), 'utf8')).not.toContain('not-the-password');
    }, 180_000);

    it('goes direct when NO_PROXY matches the API address (CIDR), with the proxy still set', async () => {
      const tf = ws();
      await tf.writeConfig(providerBlock() + image('direct'));
      const before = proxy.tunnels.length;
      const env = { ...sandboxEnv(sandbox), HTTPS_PROXY: proxyUrl(), NO_PROXY: `.example.com, ${address}/32`, SSL_CERT_FILE: caFile };
      await tf.apply({ env });
      expect(await tf.resource('outscale_image.direct')).toMatchObject({ state: 'available' });
      await tf.destroy({ env });
      expect(proxy.tunnels.length).toBe(before);
    }, 180_000);

    it('trusts a CA given in NODE_EXTRA_CA_CERTS, also when SSL_CERT_FILE names another one', async () => {
      const tf = ws();
      await tf.writeConfig(providerBlock() + image('extra-ca'));
      // An explicit CA list replaces Node's default store, where Node put NODE_EXTRA_CA_CERTS: it must be kept.
      const env = { ...sandboxEnv(sandbox), NODE_EXTRA_CA_CERTS: caFile, SSL_CERT_FILE: wrongCaFile };
      await tf.apply({ env });
      expect(await tf.resource('outscale_image.extra-ca')).toMatchObject({ state: 'available' });
      await tf.destroy({ env });
    }, 180_000);

    it('fails with a TLS error naming the host when the CA is not the one that signed the API certificate', async () => {
      const tf = ws();
      await tf.writeConfig(providerBlock() + image('wrong-ca'));
      const result = await tf.apply({ env: { ...sandboxEnv(sandbox), SSL_CERT_FILE: wrongCaFile }, allowFailure: true });
      expect(result.code).not.toBe(0);
      const output = (result.stderr + result.stdout).replace(/\s+/g, ' ');
      expect(output).toContain(`${address}:${sandbox.port}`);
      expect(output).toMatch(/TLS error \([^)]*certificate/);
      expect(output).toContain('give its CA in SSL_CERT_FILE or NODE_EXTRA_CA_CERTS');
      expect(sandbox.calls.filter((call) => call.action === 'CreateImage' && (call.request as { ImageName?: string })?.ImageName === 'wrong-ca')).toHaveLength(0);
    }, 180_000);
  },
  { needsProvider: true },
);
