// Which proxy a request to the OUTSCALE API goes through, read from the environment the way Go's HTTP client reads it
// (golang.org/x/net/http/httpproxy FromEnvironment, which the official provider uses): HTTPS_PROXY for https URLs,
// HTTP_PROXY for http URLs (upper-case name first, then lower-case; an empty value counts as unset), NO_PROXY for
// exceptions, and never a proxy for localhost or loopback addresses. A proxy value without a scheme means http://.
// Credentials in the proxy URL (user:password@) become a Proxy-Authorization header and appear nowhere else:
// `display` is the URL without them.
import { isIP } from 'node:net';

export interface ProxyEndpoint {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  /** `Basic …` when the proxy URL carries credentials. */
  authorization?: string;
  /** scheme://host:port, never the credentials. */
  display: string;
  /** The environment variable it came from. */
  variable: string;
}

export type ProxyChoice = ProxyEndpoint | { unusable: string; variable: string };

interface Matcher {
  (host: string, port: string, ip: string | undefined): boolean;
}

const env2 = (env: NodeJS.ProcessEnv, upper: string): [string, string] | undefined => {
  for (const name of [upper, upper.toLowerCase()]) {
    const value = env[name];
    if (value !== undefined && value !== '') return [name, value];
  }
  return undefined;
};

/** The proxy URL as Go parses it: an invalid or scheme-less value is retried with http:// in front. */
function parseProxy(variable: string, raw: string): ProxyChoice {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.host === '') {
    try {
      url = new URL(`http://${raw}`);
    } catch {
      return { unusable: `${variable} is not a URL`, variable };
    }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { unusable: `${variable} uses the scheme ${url.protocol.slice(0, -1)}; only http and https proxies are supported`, variable };
  }
  const protocol = url.protocol;
  const port = url.port === '' ? (protocol === 'https:' ? 443 : 80) : Number(url.port);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const endpoint: ProxyEndpoint = { protocol, hostname, port, display: `${protocol}//${url.host}`, variable };
  if (url.username !== '' || url.password !== '') {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    endpoint.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  return endpoint;
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToInt(v4[1]!);
    text = text.slice(0, -v4[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const parts = tail === undefined ? headParts : [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts];
  return parts.reduce((n, part) => (n << 16n) | BigInt(parseInt(part || '0', 16)), 0n);
}

/** IPv4 addresses compare as IPv4-mapped IPv6, as Go's net.IP does. */
function ipValue(ip: string): bigint {
  return isIP(ip) === 4 ? 0xffff00000000n | BigInt(ipv4ToInt(ip)) : ipv6ToBigInt(ip);
}

function cidrMatcher(entry: string): Matcher | undefined {
  const slash = entry.indexOf('/');
  if (slash < 0) return undefined;
  const base = entry.slice(0, slash);
  const bitsText = entry.slice(slash + 1);
  const family = isIP(base);
  if (family === 0 || !/^\d+$/.test(bitsText)) return undefined;
  const bits = Number(bitsText) + (family === 4 ? 96 : 0);
  if (bits > 128 || (family === 4 && bits > 128)) return undefined;
  const shift = BigInt(128 - bits);
  const network = ipValue(base) >> shift;
  return (_host, _port, ip) => ip !== undefined && isIP(ip) === family && ipValue(ip) >> shift === network;
}

function splitHostPort(entry: string): [string, string] | undefined {
  const bracketed = /^\[([^\]]*)\]:(\d*)$/.exec(entry);
  if (bracketed) return [bracketed[1]!, bracketed[2]!];
  const colon = entry.lastIndexOf(':');
  if (colon < 0 || entry.indexOf(':') !== colon) return undefined;
  return [entry.slice(0, colon), entry.slice(colon + 1)];
}

/** NO_PROXY entries: "*", CIDR, IP[:port], [IPv6]:port, domain[:port], .domain, *.domain (a domain matches its subdomains). */
function noProxyMatchers(noProxy: string): Matcher[] {
  const matchers: Matcher[] = [];
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return [() => true];
    const cidr = cidrMatcher(entry);
    if (cidr) {
      matchers.push(cidr);
      continue;
    }
    let [host, port] = splitHostPort(entry) ?? [entry, ''];
    if (host === '') continue;
    if (isIP(host) !== 0) {
      const value = ipValue(host);
      matchers.push((_h, p, ip) => ip !== undefined && ipValue(ip) === value && (port === '' || port === p));
      continue;
    }
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    const suffix = matchHost ? `.${host}` : host;
    matchers.push((h, p) => (h.endsWith(suffix) || (matchHost && h === host)) && (port === '' || port === p));
  }
  return matchers;
}

function isLoopback(ip: string): boolean {
  return isIP(ip) === 4 ? ip.startsWith('127.') : ipValue(ip) === 1n || ipValue(ip) >> 24n === 0xffff7fn;
}

export interface ProxyEnvironment {
  /** The proxy for `url`, or undefined to connect directly. */
  proxyFor(url: URL): ProxyChoice | undefined;
}

/** undefined when no proxy variable is set (the usual case: nothing more is done per request). */
export function proxyEnvironment(env: NodeJS.ProcessEnv): ProxyEnvironment | undefined {
  const https = env2(env, 'HTTPS_PROXY');
  // Go ignores HTTP_PROXY in a CGI environment (REQUEST_METHOD set): the request's Proxy header could have set it.
  const http = env.REQUEST_METHOD ? undefined : env2(env, 'HTTP_PROXY');
  if (https === undefined && http === undefined) return undefined;
  const httpsProxy = https && parseProxy(...https);
  const httpProxy = http && parseProxy(...http);
  const noProxy = noProxyMatchers(env2(env, 'NO_PROXY')?.[1] ?? '');
  return {
    proxyFor(url) {
      const proxy = url.protocol === 'https:' ? httpsProxy : url.protocol === 'http:' ? httpProxy : undefined;
      if (proxy === undefined) return undefined;
      let host = url.hostname.toLowerCase();
      if (host.startsWith('[')) host = host.slice(1, -1);
      const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
      if (host === 'localhost') return undefined;
      const ip = isIP(host) !== 0 ? host : undefined;
      if (ip !== undefined && isLoopback(ip)) return undefined;
      if (noProxy.some((match) => match(host, port, ip))) return undefined;
      return proxy;
    },
  };
}
