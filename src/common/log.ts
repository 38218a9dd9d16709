// hclog-style JSON log lines on stderr. Terraform's go-plugin reads the provider's stderr line by line and turns a JSON
// object with string "@level", "@message" and "@timestamp" (exactly six fractional digits) into a log entry of its own.
// stdout belongs to the handshake: nothing here ever writes to it. `log` is the process's logger (its stderr, its
// level); in a resident process (warm mode) the code that serves a session logs with `loggerFor(session)`: that
// launch's stderr, at that launch's level.

import type { Session } from './session.js';

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

function emit(session: Session | undefined, level: LogLevel, message: string, fields?: Record<string, unknown>): void {
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

export interface Logger {
  trace(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
}

function logger(session: Session | undefined): Logger {
  return {
    trace: (message, fields) => emit(session, 'trace', message, fields),
    debug: (message, fields) => emit(session, 'debug', message, fields),
    info: (message, fields) => emit(session, 'info', message, fields),
    warn: (message, fields) => emit(session, 'warn', message, fields),
    error: (message, fields) => emit(session, 'error', message, fields),
    enabled: (level) => ORDER[level] >= (session ? sessionThreshold(session) : threshold),
  };
}

const sessionThresholds = new WeakMap<Session, number>();

function sessionThreshold(session: Session): number {
  let value = sessionThresholds.get(session);
  if (value === undefined) sessionThresholds.set(session, (value = ORDER[levelFromEnv(session.env)]));
  return value;
}

const sessionLoggers = new WeakMap<Session, Logger>();

/** The logger of a session: its stderr, its level; the process's logger without a session. */
export function loggerFor(session: Session | undefined): Logger {
  if (!session) return log;
  let value = sessionLoggers.get(session);
  if (!value) sessionLoggers.set(session, (value = logger(session)));
  return value;
}

export const log = {
  ...logger(undefined),
  /** Tests: capture lines and force a level. */
  configure(options: { level?: LogLevel | 'off'; sink?: (line: string) => void }): void {
    if (options.level) threshold = ORDER[options.level];
    if (options.sink) sink = options.sink;
  },
};
