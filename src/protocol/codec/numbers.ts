// Number text <-> TfNumber, without ever losing precision.
//
// Representation chosen on decode (the same for msgpack and JSON, so one cty number always decodes alike):
//   * integers within ±(2^53-1)                       -> number
//   * other integers                                  -> bigint
//   * non-integers whose value is exactly a float64   -> number (e.g. 0.5, 1.25)
//   * anything else (0.1, 3.14159265358979323846...)  -> TfDecimal holding canonical decimal text
// Terraform compares numbers exactly (arbitrary precision), so 0.1 must stay the decimal 0.1, not the nearest double.

import { TfDecimal, numberText, type TfNumber } from '../value.js';

const DECIMAL_SYNTAX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,9})?$/;
const INFINITY_SYNTAX = /^([+-]?)inf(?:inity)?$/i;
/** Largest distance of the decimal point from the first significant digit we accept (guards '1e999999999'). */
const MAX_DECIMAL_SPAN = 4096;

export type ParsedNumber = { ok: true; value: TfNumber } | { ok: false; reason: string };

/** Parses cty-style decimal text ("42", "-0.1", "1e3", "Inf") into the representation described above. */
export function parseNumberText(text: string): ParsedNumber {
  const inf = INFINITY_SYNTAX.exec(text);
  if (inf) return { ok: true, value: inf[1] === '-' ? -Infinity : Infinity };
  if (!DECIMAL_SYNTAX.test(text)) return { ok: false, reason: `${JSON.stringify(truncate(text))} is not a valid number` };
  if (!withinSpan(text)) return { ok: false, reason: `number ${truncate(text)} is out of the supported range` };
  const canonical = numberText(new TfDecimal(text));
  return { ok: true, value: fromCanonical(canonical) };
}

function fromCanonical(canonical: string): TfNumber {
  if (!canonical.includes('.')) {
    const big = BigInt(canonical);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  const n = Number(canonical);
  return exactDecimalOfDouble(n) === canonical ? n : new TfDecimal(canonical);
}

function withinSpan(text: string): boolean {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return false;
  const [, intPart = '', frac = '', exp = '0'] = m;
  const digits = intPart + frac;
  const firstSignificant = digits.search(/[1-9]/);
  if (firstSignificant < 0) return true; // zero, whatever the exponent
  const lastSignificant = digits.length - 1 - /0*$/.exec(digits)![0].length;
  const point = intPart.length + Number(exp); // position of the decimal point within `digits`
  const integerDigits = point - firstSignificant;
  const fractionDigits = lastSignificant + 1 - point;
  return integerDigits <= MAX_DECIMAL_SPAN && fractionDigits <= MAX_DECIMAL_SPAN;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** The exact decimal expansion of a finite double, in the canonical form of numberText (no exponent). */
export function exactDecimalOfDouble(n: number): string {
  if (Number.isInteger(n)) return BigInt(n).toString();
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biasedExponent = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biasedExponent === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biasedExponent - 1075;
  }
  // n = mantissa * 2^exponent with exponent < 0 here = mantissa * 5^-exponent / 10^-exponent
  const scale = -exponent;
  const digits = (mantissa * 5n ** BigInt(scale)).toString().padStart(scale + 1, '0');
  const intPart = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${intPart}${frac ? `.${frac}` : ''}`;
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;

/** How a number goes on the wire (msgpack): an integer, a float64, or decimal text. */
export type WireNumber = { kind: 'int'; value: number | bigint } | { kind: 'float'; value: number } | { kind: 'text'; value: string };

/** Terraform's own choice: exact int64 (uint64 too) → int, exact float64 → float64, anything else → decimal text. */
export function wireNumber(n: TfNumber): WireNumber | undefined {
  if (typeof n === 'number') {
    if (Number.isNaN(n)) return undefined;
    if (Number.isSafeInteger(n)) return { kind: 'int', value: n === 0 ? 0 : n };
    if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63) return { kind: 'int', value: BigInt(n) };
    return { kind: 'float', value: n };
  }
  if (typeof n === 'bigint') {
    if (n >= INT64_MIN && n <= UINT64_MAX) return { kind: 'int', value: n };
    return { kind: 'text', value: n.toString() };
  }
  if (!(n instanceof TfDecimal)) return undefined;
  const parsed = parseNumberText(n.text);
  if (!parsed.ok) return undefined;
  if (parsed.value instanceof TfDecimal) return { kind: 'text', value: parsed.value.text };
  return wireNumber(parsed.value);
}

/** Exact JSON number text for a number; undefined for NaN/±Inf (JSON cannot carry them) or invalid decimals. */
export function jsonNumberText(n: TfNumber): string | undefined {
  if (typeof n === 'number') return Number.isFinite(n) ? numberText(n) : undefined;
  if (typeof n === 'bigint') return n.toString();
  if (!(n instanceof TfDecimal)) return undefined;
  const parsed = parseNumberText(n.text);
  if (!parsed.ok || (typeof parsed.value === 'number' && !Number.isFinite(parsed.value))) return undefined;
  return numberText(parsed.value);
}
