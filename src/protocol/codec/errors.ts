// The single error type the codec throws: a readable message plus the attribute path where decoding/encoding failed.

import { isLosslessNumber } from 'lossless-json';
import { pathToString, type AttributePath, type PathStep } from '../path.js';
import { DynamicValue, TfDecimal, Unknown } from '../value.js';

export class CodecError extends Error {
  override readonly name = 'CodecError';
  readonly path: AttributePath;
  /** The message without the path prefix. */
  readonly detail: string;

  constructor(path: AttributePath, detail: string) {
    super(path.length > 0 ? `${pathToString(path)}: ${detail}` : detail);
    this.path = path;
    this.detail = detail;
  }
}

/** A mutable path used while walking; copied into errors so later pushes/pops do not alter them. */
export type PathStack = PathStep[];

export function failAt(path: PathStack, detail: string): never {
  throw new CodecError(path.slice(), detail);
}

/**
 * The error thrown while coding the part of a value at `step`, as seen from the enclosing value. The compiled codecs
 * keep no path while they work: a failure gathers its path on the way out, so the common, successful case pays nothing.
 */
export function within(step: PathStep, error: unknown): unknown {
  return error instanceof CodecError ? new CodecError([step, ...error.path], error.detail) : error;
}

/** Where a failure deep inside a compiled codec starts: an empty path that `within` extends on the way out. */
export const NO_PATH: PathStack = [];

/**
 * Runs a codec operation and turns anything that is not a CodecError (stack overflow on absurd nesting, a bug in a
 * corner case) into one, so callers only ever have to handle CodecError.
 */
export function guarded<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof CodecError) throw e;
    const reason = e instanceof RangeError ? 'input is nested too deeply or too large' : String((e as Error)?.message ?? e);
    throw new CodecError([], `${what}: ${reason}`);
  }
}

/** Short description of a JS value's shape for "X is required, got Y" messages. */
export function describeShape(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Unknown) return 'unknown value';
  if (v instanceof DynamicValue) return 'dynamic value';
  if (v instanceof TfDecimal || isLosslessNumber(v)) return 'number';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'bigint') return 'number';
  return typeof v;
}
