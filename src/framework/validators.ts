// Attribute validators. They see only known, non-null values: unknown values (from other resources) are never
// rejected at plan time, and null is the business of required/optional.

import type { AttributePath } from '../protocol/path.js';
import { isNumber, numberText, toJsNumber, type Value } from '../protocol/value.js';
import type { Diagnostics } from './diagnostics.js';
import { parseDuration } from './duration.js';

export interface Validator {
  readonly description: string;
  validate(value: Value, path: AttributePath, diags: Diagnostics): void;
}

export function oneOf(allowed: readonly string[]): Validator {
  const list = allowed.map((a) => `"${a}"`).join(', ');
  return {
    description: `one of ${list}`,
    validate(value, path, diags) {
      if (typeof value === 'string' && !allowed.includes(value))
        diags.error('Invalid attribute value', `Expected one of ${list}, got "${value}".`, path);
    },
  };
}

export function lengthBetween(min: number, max: number): Validator {
  return {
    description: `between ${min} and ${max} characters`,
    validate(value, path, diags) {
      if (typeof value !== 'string') return;
      const n = [...value].length;
      if (n < min || n > max)
        diags.error('Invalid attribute value length', `Must be between ${min} and ${max} characters, got ${n}.`, path);
    },
  };
}

export function matches(re: RegExp, what: string): Validator {
  return {
    description: what,
    validate(value, path, diags) {
      if (typeof value === 'string' && !re.test(value))
        diags.error('Invalid attribute value', `Must be ${what}, got "${truncate(value)}".`, path);
    },
  };
}

export function numberBetween(min: number, max: number): Validator {
  return {
    description: `a whole number between ${min} and ${max}`,
    validate(value, path, diags) {
      if (!isNumber(value)) return;
      const n = toJsNumber(value);
      if (!Number.isInteger(n) || n < min || n > max)
        diags.error('Invalid attribute value', `Must be a whole number between ${min} and ${max}, got ${numberText(value)}.`, path);
    },
  };
}

/** Each element of a list (indexed paths) or a set (the path stops at the set) must be one of the allowed strings. */
export function eachOneOf(allowed: readonly string[], collection: 'list' | 'set'): Validator {
  const inner = oneOf(allowed);
  return {
    description: `each ${inner.description}`,
    validate(value, path, diags) {
      if (!Array.isArray(value)) return;
      value.forEach((v, i) => inner.validate(v, collection === 'list' ? [...path, { index: i }] : path, diags));
    },
  };
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function duration(): Validator {
  return {
    description: 'a duration such as "40m", "1h30m" or "90s"',
    validate(value, path, diags) {
      if (typeof value === 'string' && parseDuration(value) === undefined)
        diags.error('Invalid duration', `Expected a duration such as "40m", "1h30m" or "90s", got "${truncate(value)}".`, path);
    },
  };
}
