// hclog-style JSON log lines on stderr. Terraform's go-plugin reads the provider's stderr line by line and turns a JSON
// object with string "@level", "@message" and "@timestamp" (exactly six fractional digits) into a log entry of its own.
// stdout belongs to the handshake: nothing here ever writes to it. In a resident process (warm mode) each line goes to
// the stderr of the session it was logged in, at that session's level.

import { currentSession, type Session } from './session.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel | 'off', number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };

function levelFromEnv(env: NodeJS.ProcessEnv): LogLevel | 'off' {
  const raw = (env.TF_LOG_PROVIDER_OUTSCALE || env.TF_LOG_PROVIDER || env.TF_LOG || '').trim().toLowerCase();
  if (raw === 'json') return 'trace';
  if (raw in ORDER) return raw as LogLevel | 'off';
  return raw === '' ? 'off' : 'trace';
}

let threshold = ORDER[levelFromEnv(process.env)];
let sink: (line: string) => void = (line) => {
  try {
    process.stderr.write(line);
  } catch {
    // stderr closed: nothing sensible left to do
  }
};

/** Go layout 2006-01-02T15:04:05.000000Z07:00 — six fractional digits or Terraform treats the line as plain text. */
export function hclogTimestamp(d = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function safeField(v: unknown): unknown {
  if (v instanceof Error) return v.message;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

const sessionThresholds = new WeakMap<Session, number>();

function sessionThreshold(session: Session): number {
  let value = sessionThresholds.get(session);
  if (value === undefined) sessionThresholds.set(session, (value = ORDER[levelFromEnv(session.env)]));
  return value;
}

function emit(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
  const session = currentSession();
  if (ORDER[level] < (session ? sessionThreshold(session) : threshold)) return;
  const entry: Record<string, unknown> = {};
  if (fields) for (const [k, v] of Object.entries(fields)) if (!k.startsWith('@')) entry[k] = safeField(v);
  entry['@level'] = level;
  entry['@message'] = String(message);
  entry['@module'] = 'provider.outscale';
  entry['@timestamp'] = hclogTimestamp();
  let line: string;
  try {
    line = JSON.stringify(entry);
  } catch {
    line = JSON.stringify({ '@level': level, '@message': String(message), '@timestamp': entry['@timestamp'] });
  }
  if (session) session.writeStderr(line + '\n');
  else sink(line + '\n');
}

export const log = {
  trace: (message: string, fields?: Record<string, unknown>) => emit('trace', message, fields),
  debug: (message: string, fields?: Record<string, unknown>) => emit('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => emit('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => emit('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => emit('error', message, fields),
  enabled: (level: LogLevel) => {
    const session = currentSession();
    return ORDER[level] >= (session ? sessionThreshold(session) : threshold);
  },
  /** Tests: capture lines and force a level. */
  configure(options: { level?: LogLevel | 'off'; sink?: (line: string) => void }): void {
    if (options.level) threshold = ORDER[options.level];
    if (options.sink) sink = options.sink;
  },
};
