// JSON text → a tree whose numbers are exact. JSON.parse is native and several times faster than lossless-json, but
// it turns every number into a double; so it is used only when every number in the text is an integer of at most 15
// digits (which a double holds exactly, written the one way String() writes it back). Any other number (a fraction,
// an exponent, a long integer, "-0") sends the whole text to lossless-json, whose LosslessNumber keeps the digits.
// For state JSON (UpgradeResourceState) only: like Go's encoding/json, which the official provider reads it with, a
// key given twice keeps its last value; DynamicValue JSON stays strict (json-decode.ts).

import { parse } from 'lossless-json';

const MAX_EXACT_DIGITS = 15;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

export function parseJsonExact(text: string): unknown {
  return onlyShortIntegers(text) ? JSON.parse(text) : parse(text);
}

/** Whether every number token outside strings is `-?[0-9]{1,15}` (and not "-0"); malformed text may answer either. */
export function onlyShortIntegers(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
      continue;
    }
    if (c !== MINUS && (c < ZERO || c > NINE)) continue;
    const start = c === MINUS ? i + 1 : i;
    let end = start;
    while (end < n && text.charCodeAt(end) >= ZERO && text.charCodeAt(end) <= NINE) end++;
    const digits = end - start;
    if (digits === 0 || digits > MAX_EXACT_DIGITS) return false;
    if (c === MINUS && text.charCodeAt(start) === ZERO) return false; // -0, -01…: lossless-json's reading differs
    const next = end < n ? text.charCodeAt(end) : 0;
    if (next === 0x2e || next === 0x65 || next === 0x45) return false; // . e E
    i = end - 1;
  }
  return true;
}
