// Filter helpers: values within one filter are OR-ed, filters are AND-ed; string values accept `*` and `?` wildcards.
import type { ResourceTag } from './types.js';

export function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(value);
}

/** True when the filter is absent or one of its patterns matches one of the values. */
export function anyString(filter: string[] | undefined, values: string | string[] | undefined): boolean {
  if (filter === undefined) return true;
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return filter.some((p) => list.some((v) => wildcardMatch(p, v)));
}

export function anyNumber(filter: number[] | undefined, values: number[]): boolean {
  return filter === undefined || filter.some((f) => values.includes(f));
}

export function boolIs(filter: boolean | undefined, value: boolean | boolean[]): boolean {
  if (filter === undefined) return true;
  return Array.isArray(value) ? value.includes(filter) : value === filter;
}

export interface TagFilters {
  TagKeys?: string[];
  TagValues?: string[];
  Tags?: string[];
}

export function tagsMatch(filters: TagFilters, tags: ResourceTag[]): boolean {
  if (!anyString(filters.TagKeys, tags.map((t) => t.Key))) return false;
  if (!anyString(filters.TagValues, tags.map((t) => t.Value))) return false;
  if (filters.Tags !== undefined) {
    const ok = filters.Tags.some((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? undefined : pair.slice(eq + 1);
      return tags.some((t) => wildcardMatch(key, t.Key) && (value === undefined || wildcardMatch(value, t.Value)));
    });
    if (!ok) return false;
  }
  return true;
}

export const tagFilterShape = { TagKeys: { array: 'string' }, TagValues: { array: 'string' }, Tags: { array: 'string' } } as const;
