// Unknown values on the msgpack wire (protocol reference §4.4). Any extension where a value is expected is an unknown;
// extension 12 with a payload carries refinements as a map with small-int keys:
//   1 nullness (false = definitely not null) · 2 string prefix · 3/4 number lower/upper bound [number, inclusive]
//   · 5/6 collection length lower/upper bound (inclusive).
// Unknown keys are ignored, refinements that do not apply to the slot's type are dropped (as cty does), and a
// malformed payload still yields a plain unknown: refinements are hints, never a reason to reject a request.

import type { CtyType } from '../cty-type.js';
import { UNKNOWN, Unknown, type Refinements, type TfNumber } from '../value.js';
import { MsgpackReader, type MsgpackHeader } from './msgpack-reader.js';
import { MsgpackWriter } from './msgpack-writer.js';
import { parseNumberText, wireNumber } from './numbers.js';

export const REFINED_UNKNOWN_EXT = 12;
const MAX_PAYLOAD = 1024;
const MAX_PREFIX_BYTES = 256;

const KEY_NULLNESS = 1;
const KEY_PREFIX = 2;
const KEY_NUMBER_LOWER = 3;
const KEY_NUMBER_UPPER = 4;
const KEY_LENGTH_LOWER = 5;
const KEY_LENGTH_UPPER = 6;

type Applicable = { prefix: boolean; numberBounds: boolean; length: boolean; nullness: boolean };

function applicable(type: CtyType): Applicable {
  const isCollection = typeof type === 'object' && (type.kind === 'list' || type.kind === 'set' || type.kind === 'map');
  return { prefix: type === 'string', numberBounds: type === 'number', length: isCollection, nullness: type !== 'dynamic' };
}

/** The Unknown for an extension item found where a value of `type` was expected. */
export function unknownFromExt(extType: number, payload: Uint8Array, type: CtyType): Unknown {
  if (extType !== REFINED_UNKNOWN_EXT || payload.length <= 1) return UNKNOWN;
  try {
    const refinements = parseRefinements(payload, applicable(type));
    return Object.keys(refinements).length > 0 ? new Unknown(refinements) : UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

function parseRefinements(payload: Uint8Array, allowed: Applicable): Refinements {
  const r = new MsgpackReader(payload);
  const head = r.readHeader();
  if (head.kind !== 'map') return {};
  const out: Refinements = {};
  for (let i = 0; i < head.length; i++) {
    const keyHeader = r.readHeader();
    const key = keyHeader.kind === 'int' ? Number(keyHeader.value) : -1;
    if (keyHeader.kind === 'str' || keyHeader.kind === 'bin' || keyHeader.kind === 'ext') r.readBody(keyHeader.length);
    else if (keyHeader.kind === 'array' || keyHeader.kind === 'map') return out; // nonsense key: stop, keep what we have
    const start = r.pos;
    const value = r.readHeader();
    switch (key) {
      case KEY_NULLNESS:
        if (allowed.nullness && value.kind === 'bool' && !value.value) out.notNull = true;
        break;
      case KEY_PREFIX:
        if (allowed.prefix && value.kind === 'str') {
          const prefix = r.readString(value.length);
          if (prefix !== '') out.stringPrefix = prefix;
          continue;
        }
        break;
      case KEY_NUMBER_LOWER:
      case KEY_NUMBER_UPPER: {
        const bound = allowed.numberBounds ? readBound(r, value) : undefined;
        if (bound === undefined) break;
        if (key === KEY_NUMBER_LOWER) out.numberLower = bound;
        else out.numberUpper = bound;
        continue;
      }
      case KEY_LENGTH_LOWER:
      case KEY_LENGTH_UPPER:
        if (allowed.length && value.kind === 'int' && Number(value.value) >= 0) {
          const n = Number(value.value);
          if (key === KEY_LENGTH_LOWER) out.lengthLower = n;
          else out.lengthUpper = n;
        }
        break;
    }
    // Not consumed above: skip whatever the value was.
    r.pos = start;
    r.skip();
  }
  return out;
}

function readBound(r: MsgpackReader, head: MsgpackHeader): { value: TfNumber; inclusive: boolean } | undefined {
  if (head.kind !== 'array' || head.length !== 2) return undefined;
  const n = r.readHeader();
  let value: TfNumber;
  if (n.kind === 'int' || (n.kind === 'float' && !Number.isNaN(n.value))) value = n.value;
  else if (n.kind === 'str') {
    const parsed = parseNumberText(r.readString(n.length));
    if (!parsed.ok) return undefined;
    value = parsed.value;
  } else return undefined;
  const inclusive = r.readHeader();
  if (inclusive.kind !== 'bool') return undefined;
  return { value, inclusive: inclusive.value };
}

/**
 * Writes an unknown of `type`. Refinements applicable to the type are kept as extension 12 (Terraform accepts them
 * and keeps them through the plan); none left, or a payload over Terraform's 1024-byte limit, gives the plain
 * `d4 00 00`.
 */
export function writeUnknown(w: MsgpackWriter, value: Unknown, type: CtyType): void {
  const payload = value.refinements ? refinementPayload(value.refinements, applicable(type)) : undefined;
  if (payload === undefined) w.ext(0, new Uint8Array([0]));
  else w.ext(REFINED_UNKNOWN_EXT, payload);
}

function refinementPayload(rf: Readonly<Refinements>, allowed: Applicable): Uint8Array | undefined {
  const entries: Array<[number, (w: MsgpackWriter) => void]> = [];
  if (allowed.nullness && rf.notNull) entries.push([KEY_NULLNESS, (w) => w.bool(false)]);
  if (allowed.prefix && rf.stringPrefix) {
    const prefix = truncateUtf8(rf.stringPrefix, MAX_PREFIX_BYTES);
    if (prefix !== '') entries.push([KEY_PREFIX, (w) => w.str(prefix)]);
  }
  if (allowed.numberBounds) {
    for (const [key, bound] of [
      [KEY_NUMBER_LOWER, rf.numberLower],
      [KEY_NUMBER_UPPER, rf.numberUpper],
    ] as const) {
      const wire = bound ? wireNumber(bound.value) : undefined;
      if (!bound || !wire || (wire.kind === 'float' && !Number.isFinite(wire.value))) continue;
      entries.push([
        key,
        (w) => {
          w.arrayHeader(2);
          if (wire.kind === 'int') w.int(wire.value);
          else if (wire.kind === 'float') w.float64(wire.value);
          else w.str(wire.value);
          w.bool(bound.inclusive);
        },
      ]);
    }
  }
  if (allowed.length) {
    for (const [key, n] of [
      [KEY_LENGTH_LOWER, rf.lengthLower],
      [KEY_LENGTH_UPPER, rf.lengthUpper],
    ] as const) {
      if (n !== undefined && Number.isSafeInteger(n) && n >= 0) entries.push([key, (w) => w.int(n)]);
    }
  }
  if (entries.length === 0) return undefined;
  const w = new MsgpackWriter();
  w.mapHeader(entries.length);
  for (const [key, write] of entries) {
    w.int(key);
    write(w);
  }
  const bytes = w.bytes();
  return bytes.length <= MAX_PAYLOAD ? bytes : undefined;
}

function truncateUtf8(s: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length <= maxBytes) return s;
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back off to a character boundary
  return new TextDecoder().decode(bytes.subarray(0, end));
}
