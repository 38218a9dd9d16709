// The launcher's request on the control socket, and the resident's answer.
//
//   request:  "OSCWARM1" NUL build-id NUL token NUL cwd NUL (NAME=VALUE NUL)* NUL
//   answer:   "OK " handshake-line "\n"  — then the session's stderr, until the session ends (the connection closes)
//             "ERR " reason "\n"         — the launcher starts the provider the normal way
//
// NUL-separated because environment values may hold newlines (PLUGIN_CLIENT_CERT is a multi-line PEM).

export const REQUEST_MAGIC = 'OSCWARM1';
/** Environments are a few kB; anything this large is not a launcher. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

export interface ControlRequest {
  buildId: string;
  token: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export type ParseResult =
  | { status: 'incomplete' }
  | { status: 'invalid'; reason: string }
  | { status: 'complete'; request: ControlRequest };

/** Parses the request once its final empty field has arrived. */
export function parseControlRequest(bytes: Buffer): ParseResult {
  if (bytes.length > MAX_REQUEST_BYTES) return { status: 'invalid', reason: 'request too large' };
  const end = bytes.indexOf('\0\0');
  if (end < 0) {
    const magicPart = bytes.subarray(0, REQUEST_MAGIC.length).toString('latin1');
    if (!REQUEST_MAGIC.startsWith(magicPart)) return { status: 'invalid', reason: 'not a launcher request' };
    return { status: 'incomplete' };
  }
  const fields = bytes.subarray(0, end).toString('utf8').split('\0');
  const [magic, buildId, token, cwd, ...entries] = fields;
  if (magic !== REQUEST_MAGIC) return { status: 'invalid', reason: 'not a launcher request' };
  if (buildId === undefined || token === undefined || cwd === undefined || !cwd.startsWith('/'))
    return { status: 'invalid', reason: 'malformed request' };
  const env: NodeJS.ProcessEnv = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return { status: 'complete', request: { buildId, token, cwd, env } };
}

/** What a launcher sends (tests, and the reference for launcher.c). */
export function formatControlRequest(request: ControlRequest): Buffer {
  const entries = Object.entries(request.env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${value}`);
  return Buffer.from([REQUEST_MAGIC, request.buildId, request.token, request.cwd, ...entries, '', ''].join('\0'));
}

export const okAnswer = (handshakeLine: string) => `OK ${handshakeLine.endsWith('\n') ? handshakeLine : `${handshakeLine}\n`}`;
export const errorAnswer = (reason: string) => `ERR ${reason.replace(/\s+/g, ' ')}\n`;
