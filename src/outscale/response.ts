// Turning an HTTP answer into a parsed success body or an OscApiError. Copes with the documented error body
// ({Errors:[{Code,Type,Details}],ResponseContext}), legacy {"__type","message"} bodies, application/problem+json
// and non-JSON bodies (gateway HTML pages).
import type { IncomingHttpHeaders } from 'node:http';
import { OscApiError } from './errors.js';
import type { ApiErrorEntry } from './types.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function errorEntries(parsed: unknown): ApiErrorEntry[] {
  if (!isRecord(parsed)) return [];
  if (Array.isArray(parsed.Errors)) {
    return parsed.Errors.filter(isRecord).map((e) => ({ Code: str(e.Code), Type: str(e.Type), Details: str(e.Details) }));
  }
  if (typeof parsed.__type === 'string') {
    return [{ Type: parsed.__type, Details: str(parsed.message) ?? str(parsed.Message) }];
  }
  if (typeof parsed.title === 'string' || typeof parsed.detail === 'string') {
    return [{ Type: str(parsed.title) ?? str(parsed.type), Details: str(parsed.detail) }];
  }
  return [];
}

function requestIdOf(parsed: unknown, headers: IncomingHttpHeaders): string | undefined {
  if (isRecord(parsed) && isRecord(parsed.ResponseContext)) {
    const id = str(parsed.ResponseContext.RequestId);
    if (id) return id;
  }
  const header = headers['x-request-id'];
  return Array.isArray(header) ? header[0] : header;
}

/**
 * Returns the parsed body of a 2xx answer, throws OscApiError otherwise (also for a 2xx whose body is not a JSON
 * object). `redact` scrubs server-provided text before it can reach a message.
 */
export function interpretResponse(
  action: string,
  status: number,
  headers: IncomingHttpHeaders,
  body: string,
  redact: (text: string) => string = (t) => t,
): unknown {
  const trimmed = body.trim();
  const parsed = trimmed === '' ? undefined : tryParseJson(trimmed);
  if (status >= 200 && status < 300) {
    if (trimmed === '') return {};
    if (isRecord(parsed)) return parsed;
    throw new OscApiError({
      action,
      httpStatus: status,
      errors: [],
      rawBody: redact(body),
      requestId: requestIdOf(parsed, headers),
    });
  }
  const errors = errorEntries(parsed).map((e) => ({
    Code: e.Code,
    Type: e.Type === undefined ? undefined : redact(e.Type),
    Details: e.Details === undefined ? undefined : redact(e.Details),
  }));
  throw new OscApiError({
    action,
    httpStatus: status,
    errors,
    rawBody: errors.length === 0 ? redact(body) : undefined,
    requestId: requestIdOf(parsed, headers),
    retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(headers['retry-after']) : undefined,
  });
}
