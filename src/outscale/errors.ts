// Error classes of the OUTSCALE client. Messages are built only from the action, the endpoint host, the HTTP status and
// what the server answered — never from request headers, so no Authorization header, signature or secret key.
import type { ApiErrorEntry } from './types.js';

/** The API answered with a non-2xx status. */
export class OscApiError extends Error {
  override readonly name = 'OscApiError';
  readonly action: string;
  readonly httpStatus: number;
  /** First error's Code (numeric text, e.g. "5023"); undefined when the body had none. */
  readonly code: string | undefined;
  readonly type: string | undefined;
  readonly details: string | undefined;
  readonly requestId: string | undefined;
  /** Every entry of the `Errors` array (usually one). */
  readonly errors: ApiErrorEntry[];
  /** Value of a Retry-After header, in milliseconds, when the server sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    action: string;
    httpStatus: number;
    errors: ApiErrorEntry[];
    requestId?: string;
    rawBody?: string;
    retryAfterMs?: number;
  }) {
    super(formatApiErrorMessage(init));
    this.action = init.action;
    this.httpStatus = init.httpStatus;
    this.errors = init.errors;
    const first = init.errors[0];
    this.code = first?.Code;
    this.type = first?.Type;
    this.details = first?.Details;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** True when any entry carries this code. */
  hasCode(code: string | number): boolean {
    return this.errors.some((e) => e.Code === String(code));
  }
}

function formatApiErrorMessage(init: {
  action: string;
  httpStatus: number;
  errors: ApiErrorEntry[];
  requestId?: string;
  rawBody?: string;
}): string {
  let what: string;
  if (init.errors.length > 0) {
    what = init.errors
      .map((e) => [e.Code, e.Type ? `${e.Type}:` : undefined, e.Details].filter((p) => p !== undefined && p !== '').join(' '))
      .map((s) => s.replace(/:$/, ''))
      .join('; ');
  } else if (init.rawBody !== undefined && init.rawBody.trim() !== '') {
    what = `unexpected response body: ${snippet(init.rawBody)}`;
  } else {
    what = 'empty response body';
  }
  const context = [`HTTP ${init.httpStatus}`];
  if (init.requestId) context.push(`request id ${init.requestId}`);
  let message = `${init.action} failed: ${what} (${context.join(', ')})`;
  if (init.httpStatus === 401) {
    message += '. Check the access key and secret key, the region used for signing and the system clock.';
  }
  return message;
}

/** A short single-line excerpt of a non-JSON body (e.g. a gateway HTML page). */
export function snippet(body: string, max = 200): string {
  const text = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text);
}

export type NetworkFailureKind = 'refused' | 'dns' | 'tls' | 'reset' | 'timeout' | 'other';

/** The request did not produce an HTTP response. */
export class OscNetworkError extends Error {
  override readonly name = 'OscNetworkError';
  readonly action: string;
  /** host[:port] of the endpoint. */
  readonly host: string;
  readonly kind: NetworkFailureKind;
  /** Node errno code when known (ECONNREFUSED, ECONNRESET, …). */
  readonly errno: string | undefined;
  /**
   * false: nothing reached the server (connection refused, DNS, TLS handshake), repeating is harmless.
   * true: the request was sent and the outcome is unknown (reset or timeout after sending).
   */
  readonly mayHaveExecuted: boolean;

  constructor(init: {
    action: string;
    host: string;
    kind: NetworkFailureKind;
    errno?: string;
    mayHaveExecuted: boolean;
    reason: string;
    cause?: unknown;
  }) {
    const outcome = init.mayHaveExecuted
      ? 'the request was sent, so it may have been executed'
      : 'the request was not sent';
    super(`${init.action} to ${init.host} failed: ${init.reason} (${outcome})`, { cause: init.cause });
    this.action = init.action;
    this.host = init.host;
    this.kind = init.kind;
    this.errno = init.errno;
    this.mayHaveExecuted = init.mayHaveExecuted;
  }
}

/** The caller cancelled the call through its AbortSignal. `name` is "AbortError" like DOMException's. */
export class OscAbortError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';
  readonly action: string;

  constructor(action: string, cause?: unknown) {
    super(`${action} was cancelled`, { cause });
    this.action = action;
  }
}

/** A call whose outcome cannot be established (CreateImage without ImageName after an ambiguous failure). */
export class OscOutcomeUnknownError extends Error {
  override readonly name = 'OscOutcomeUnknownError';
  readonly action: string;

  constructor(action: string, message: string, cause: unknown) {
    super(message, { cause });
    this.action = action;
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof OscAbortError || (err instanceof Error && err.name === 'AbortError');
}

/** 429 with any code, or 503 (code 6 or not): the gateway rejected the request before executing it. */
export function isThrottlingError(err: unknown): err is OscApiError {
  return err instanceof OscApiError && (err.httpStatus === 429 || err.httpStatus === 503);
}

/** 5023 no-such-image (e.g. DeleteImage of an image that is already gone). */
export function isImageNotFoundError(err: unknown): err is OscApiError {
  return err instanceof OscApiError && err.hasCode(5023);
}

/** Same as isImageNotFoundError (kept: already used by the resource layer). */
export const isNotFoundError = isImageNotFoundError;
