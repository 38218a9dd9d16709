// ResultsPerPage / NextPageToken handling shared by the Read* calls. The token is opaque base64 to the client.
import { errors } from './errors.js';

export interface PageRequest {
  NextPageToken?: string;
  ResultsPerPage?: number;
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

export function paginate<T>(all: T[], request: PageRequest, call: string): Page<T> {
  const size = request.ResultsPerPage ?? 100;
  if (size < 1 || size > 1000) throw errors.invalidValue('ResultsPerPage must be between 1 and 1000.');
  let offset = 0;
  if (request.NextPageToken !== undefined) offset = decodeToken(request.NextPageToken, call);
  if (offset > all.length) throw errors.invalidValue('The NextPageToken is invalid or expired.');
  const items = all.slice(offset, offset + size);
  const next = offset + size;
  return next < all.length ? { items, nextPageToken: encodeToken(next, call) } : { items };
}

function encodeToken(offset: number, call: string): string {
  return Buffer.from(JSON.stringify({ c: call, o: offset }), 'utf8').toString('base64');
}

function decodeToken(token: string, call: string): number {
  const invalid = () => errors.invalidValue('The NextPageToken is invalid or expired.');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  const p = parsed as { c?: unknown; o?: unknown };
  if (typeof p !== 'object' || p === null || p.c !== call || typeof p.o !== 'number' || !Number.isInteger(p.o) || p.o < 1) {
    throw invalid();
  }
  return p.o;
}
