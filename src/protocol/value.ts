// Terraform values as the provider sees them. Every value is known, null or unknown; the cty type that goes with a
// value travels separately (schemas direct decoding), except inside `dynamic` slots, which carry their own type.
//
//   null                      -> null (of any type)
//   unknown                   -> an Unknown (optionally refined)
//   string / bool             -> string / boolean
//   number                    -> TfNumber: a JS number when exact, a bigint for large integers, a TfDecimal otherwise
//   list / set / tuple        -> Value[]
//   map / object              -> ObjectValue (a null-prototype record; objects carry every attribute)
//   dynamic                   -> DynamicValue { type, value }

import type { CtyType } from './cty-type.js';

/** Refinements that Terraform may attach to an unknown (msgpack extension 12). */
export interface Refinements {
  /** false = definitely not null. */
  notNull?: boolean;
  stringPrefix?: string;
  numberLower?: { value: TfNumber; inclusive: boolean };
  numberUpper?: { value: TfNumber; inclusive: boolean };
  lengthLower?: number;
  lengthUpper?: number;
}

export class Unknown {
  constructor(readonly refinements?: Readonly<Refinements>) {}
  toString(): string {
    return '(unknown)';
  }
}

/** The plain, unrefined unknown. */
export const UNKNOWN: Unknown = new Unknown();

/** A number that is neither an exact float64 nor a bigint-sized integer: kept as its decimal text. */
export class TfDecimal {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type TfNumber = number | bigint | TfDecimal;

export class DynamicValue {
  constructor(
    readonly type: CtyType,
    readonly value: Value,
  ) {}
}

export type ObjectValue = { [name: string]: Value };

export type Value = null | Unknown | string | boolean | TfNumber | Value[] | ObjectValue | DynamicValue;

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isNumber(v: unknown): v is TfNumber {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof TfDecimal;
}

export function isObjectValue(v: unknown): v is ObjectValue {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Unknown) &&
    !(v instanceof TfDecimal) &&
    !(v instanceof DynamicValue)
  );
}

export function objectValue(entries: Record<string, Value> = {}): ObjectValue {
  const o: ObjectValue = Object.create(null);
  for (const k of Object.keys(entries)) o[k] = entries[k]!;
  return o;
}

/** Canonical decimal text of a number, for comparison and display. */
export function numberText(n: TfNumber): string {
  if (typeof n === 'bigint') return n.toString();
  if (n instanceof TfDecimal) return canonicalDecimal(n.text);
  if (Number.isSafeInteger(n)) return String(n); // already canonical (and -0 prints as 0)
  if (Number.isInteger(n)) return BigInt(n).toString();
  return canonicalDecimal(String(n));
}

function canonicalDecimal(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return text;
  const [, sign, intPart = '', frac = '', exp = '0'] = m;
  const all = intPart + frac;
  const leading = all.length - all.replace(/^0+/, '').length;
  const point = intPart.length + Number(exp) - leading; // decimal point position within `digits`
  const digits = all.slice(leading).replace(/0+$/, '');
  if (digits === '') return '0';
  let s: string;
  if (point <= 0) s = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) s = digits + '0'.repeat(point - digits.length);
  else s = digits.slice(0, point) + '.' + digits.slice(point);
  return (sign === '-' ? '-' : '') + s;
}

export function numberEquals(a: TfNumber, b: TfNumber): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return numberText(a) === numberText(b);
}

/** Converts to a JS number for API calls (OUTSCALE integers are small). */
export function toJsNumber(n: TfNumber): number {
  return typeof n === 'number' ? n : Number(n.toString());
}
