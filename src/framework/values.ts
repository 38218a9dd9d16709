// Structural helpers over decoded values, directed by their cty types.

import type { CtyType } from '../protocol/cty-type.js';
import { DynamicValue, isObjectValue, isUnknown, objectValue, type Value } from '../protocol/value.js';
import { canonicalKey, valueEquals } from '../protocol/codec/index.js';

export function hasUnknown(v: Value): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v instanceof DynamicValue) return hasUnknown(v.value);
  if (isObjectValue(v)) return Object.values(v).some(hasUnknown);
  return false;
}

/** Replaces every unknown with null (a partial state returned with an error must be wholly known). */
export function nullUnknowns(v: Value): Value {
  if (isUnknown(v)) return null;
  if (Array.isArray(v)) return v.map(nullUnknowns);
  if (v instanceof DynamicValue) return new DynamicValue(v.type, nullUnknowns(v.value));
  if (isObjectValue(v)) {
    const o = objectValue();
    for (const [k, x] of Object.entries(v)) o[k] = nullUnknowns(x);
    return o;
  }
  return v;
}

/**
 * The planned value with only its unknowns replaced by the actual (API) value. Known planned values are kept as
 * planned, which is exactly what Terraform's apply consistency check demands. Set elements holding unknowns are
 * matched with the actual element that agrees on all their known leaves.
 */
export function fillUnknowns(planned: Value, actual: Value, type: CtyType): Value {
  if (isUnknown(planned)) return actual === undefined ? null : actual;
  if (planned === null || typeof type === 'string') return planned;
  switch (type.kind) {
    case 'object': {
      if (!isObjectValue(planned)) return planned;
      const src = isObjectValue(actual) ? actual : objectValue();
      const o = objectValue();
      for (const [name, at] of Object.entries(type.attributes)) o[name] = fillUnknowns(planned[name] ?? null, src[name] ?? null, at);
      return o;
    }
    case 'map': {
      if (!isObjectValue(planned)) return planned;
      const src = isObjectValue(actual) ? actual : objectValue();
      const o = objectValue();
      for (const [k, x] of Object.entries(planned)) o[k] = fillUnknowns(x, src[k] ?? null, type.element);
      return o;
    }
    case 'list': {
      if (!Array.isArray(planned)) return planned;
      const src = Array.isArray(actual) ? actual : [];
      return planned.map((x, i) => fillUnknowns(x, src[i] ?? null, type.element));
    }
    case 'tuple': {
      if (!Array.isArray(planned)) return planned;
      const src = Array.isArray(actual) ? actual : [];
      return planned.map((x, i) => fillUnknowns(x, src[i] ?? null, type.elements[i]!));
    }
    case 'set': {
      if (!Array.isArray(planned)) return planned;
      const src = Array.isArray(actual) ? [...actual] : [];
      const used = new Set<number>();
      // exact matches first, so that a known element never steals the counterpart of one with unknowns
      const byKey = new Map<string, number[]>();
      src.forEach((s, j) => {
        const k = canonicalKey(s, type.element);
        byKey.set(k, [...(byKey.get(k) ?? []), j]);
      });
      for (const x of planned) {
        if (hasUnknown(x)) continue;
        const j = byKey.get(canonicalKey(x, type.element))?.shift();
        if (j !== undefined) used.add(j);
      }
      const partial = planned.flatMap((x, i) => (hasUnknown(x) ? [i] : []));
      const free = src.flatMap((_, j) => (used.has(j) ? [] : [j]));
      const match = matchPartialElements(partial, free, (i, j) => agreesOnKnownLeaves(planned[i]!, src[j]!, type.element));
      return planned.map((x, i) => {
        if (!hasUnknown(x)) return x;
        const j = match.get(i);
        return j === undefined ? nullUnknowns(x) : fillUnknowns(x, src[j]!, type.element);
      });
    }
  }
}

/**
 * A maximum matching of planned set elements holding unknowns with actual elements they agree with (augmenting paths),
 * so that no element takes the only counterpart of another: `{key = unknown, value = "a"}` and a wholly unknown
 * element both find theirs whatever the order Terraform gave them in. The most constrained are placed first.
 */
function matchPartialElements(planned: number[], actual: number[], agrees: (i: number, j: number) => boolean): Map<number, number> {
  const options = new Map(planned.map((i) => [i, actual.filter((j) => agrees(i, j))]));
  const owner = new Map<number, number>(); // actual → planned
  const place = (i: number, seen: Set<number>): boolean => {
    for (const j of options.get(i)!) {
      if (seen.has(j)) continue;
      seen.add(j);
      const other = owner.get(j);
      if (other === undefined || place(other, seen)) {
        owner.set(j, i);
        return true;
      }
    }
    return false;
  };
  for (const i of [...planned].sort((a, b) => options.get(a)!.length - options.get(b)!.length)) place(i, new Set());
  return new Map([...owner].map(([j, i]) => [i, j]));
}

/** True when every known leaf of `partial` equals the same leaf of `full`. */
export function agreesOnKnownLeaves(partial: Value, full: Value, type: CtyType): boolean {
  if (isUnknown(partial)) return true;
  if (partial === null || typeof type === 'string' || type === undefined) return valueEquals(partial, full, type);
  switch (type.kind) {
    case 'object':
      return (
        isObjectValue(partial) &&
        isObjectValue(full) &&
        Object.entries(type.attributes).every(([n, at]) => agreesOnKnownLeaves(partial[n] ?? null, full[n] ?? null, at))
      );
    case 'list':
    case 'tuple':
      return (
        Array.isArray(partial) &&
        Array.isArray(full) &&
        partial.length === full.length &&
        partial.every((x, i) => agreesOnKnownLeaves(x, full[i]!, type.kind === 'tuple' ? type.elements[i]! : type.element))
      );
    default:
      return valueEquals(partial, full, type);
  }
}
