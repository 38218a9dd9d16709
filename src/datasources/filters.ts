// The repeatable `filter { name = "…", values = [...] }` block of the OUTSCALE data sources: one spec per API filter
// (name = the snake_case of the API key), checked at validate time with exact paths, converted to the API's Filters
// object at read time. Values within a filter are alternatives (OR); filters combine (AND).

import { attribute, block, type } from '../framework/schema.js';
import type { Diagnostics } from '../framework/diagnostics.js';
import { closestName } from '../framework/suggest.js';
import type { AttributePath } from '../protocol/path.js';
import { isObjectValue, type Value } from '../protocol/value.js';

export type FilterKind = 'string' | 'bool' | 'int';

export interface FilterSpec {
  /** The key in the API's Filters object. */
  readonly api: string;
  readonly kind: FilterKind;
  /** The only values the API accepts (string filters). */
  readonly oneOf?: readonly string[];
}

export type FilterSpecs = ReadonlyMap<string, FilterSpec>;

/** What each API key takes: 'string' (a list), 'bool' (one value), 'int' (a list), or the allowed strings. */
export type FilterDeclaration<K extends string> = Readonly<Record<K, FilterKind | readonly string[]>>;

export function snakeCase(apiKey: string): string {
  return apiKey.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`));
}

/** Specs keyed by Terraform filter name, from the API keys of a Filters object. */
export function filterSpecs<K extends string>(declaration: FilterDeclaration<K>): FilterSpecs {
  const specs = new Map<string, FilterSpec>();
  for (const [api, d] of Object.entries(declaration) as Array<[string, FilterKind | readonly string[]]>)
    specs.set(snakeCase(api), typeof d === 'string' ? { api, kind: d } : { api, kind: 'string', oneOf: d });
  return specs;
}

export function filterBlock(specs: FilterSpecs) {
  const names = [...specs.keys()].map((n) => `\`${n}\``).join(', ');
  return block(
    'list',
    {
      attributes: {
        name: attribute(type.string, { required: true, description: `The filter: one of ${names}.` }),
        values: attribute(type.list(type.string), {
          required: true,
          description: 'The values, any of which may match (`true`/`false` for a boolean filter, whole numbers for sizes; `*` is a wildcard in names).',
        }),
      },
    },
    { description: 'A filter of the API (repeatable; every filter must match).' },
  );
}

interface FilterEntry {
  readonly index: number;
  readonly name: Value;
  readonly values: Value;
}

function entries(filters: Value): FilterEntry[] {
  if (!Array.isArray(filters)) return [];
  return filters.flatMap((f, index) => (isObjectValue(f) ? [{ index, name: f.name ?? null, values: f.values ?? null }] : []));
}

const BOOLEAN = /^(true|false)$/;
const WHOLE_NUMBER = /^[0-9]{1,9}$/;

function checkValue(spec: FilterSpec, name: string, v: string, at: AttributePath, diags: Diagnostics): void {
  if (spec.kind === 'bool' && !BOOLEAN.test(v))
    diags.error('Invalid filter value', `The filter "${name}" takes true or false, got "${v}".`, at);
  else if (spec.kind === 'int' && !WHOLE_NUMBER.test(v))
    diags.error('Invalid filter value', `The filter "${name}" takes whole numbers, got "${v}".`, at);
  else if (spec.oneOf && !spec.oneOf.includes(v))
    diags.error('Invalid filter value', `The filter "${name}" takes ${spec.oneOf.map((o) => `"${o}"`).join(', ')}, got "${v}".`, at);
}

/** Names, duplicates, value counts and value types; unknown parts (from other resources) are skipped. */
export function validateFilters(specs: FilterSpecs, filters: Value, path: AttributePath, diags: Diagnostics): void {
  const seen = new Map<string, number>();
  for (const { index, name, values } of entries(filters)) {
    const at: AttributePath = [...path, { index }];
    if (typeof name !== 'string') continue;
    const spec = specs.get(name);
    if (!spec) {
      const guess = closestName(name, [...specs.keys()]);
      diags.error(
        'Unknown filter name',
        guess
          ? `"${name}" is not a filter of this data source. Did you mean "${guess}"?`
          : `"${name}" is not a filter of this data source. The filters are: ${[...specs.keys()].join(', ')}.`,
        [...at, { attribute: 'name' }],
      );
      continue;
    }
    const first = seen.get(name);
    if (first !== undefined)
      diags.error('Duplicate filter', `The filter "${name}" is already given in filter block ${first + 1}: put all its values in one block.`, [...at, { attribute: 'name' }]);
    else seen.set(name, index);
    if (!Array.isArray(values)) continue;
    const valuesAt: AttributePath = [...at, { attribute: 'values' }];
    if (values.length === 0) diags.error('Missing filter values', `The filter "${name}" needs at least one value.`, valuesAt);
    if (spec.kind === 'bool' && values.length > 1)
      diags.error('Invalid filter value', `The filter "${name}" takes exactly one value, true or false; got ${values.length}.`, valuesAt);
    values.forEach((v, i) => {
      if (typeof v === 'string') checkValue(spec, name, v, [...valuesAt, { index: i }], diags);
      else if (v === null) diags.error('Invalid filter value', `The values of the filter "${name}" cannot be null.`, [...valuesAt, { index: i }]);
    });
  }
}

/** True when the config holds a filter of this (known) name. */
export function hasFilter(filters: Value, name: string): boolean {
  return entries(filters).some((e) => e.name === name);
}

/** The API's Filters object of validated, wholly known filters. */
export function filtersToApi(specs: FilterSpecs, filters: Value): Record<string, string[] | number[] | boolean> {
  const out: Record<string, string[] | number[] | boolean> = {};
  for (const { name, values } of entries(filters)) {
    const spec = typeof name === 'string' ? specs.get(name) : undefined;
    if (!spec || !Array.isArray(values)) continue;
    const texts = values.filter((v): v is string => typeof v === 'string');
    out[spec.api] = spec.kind === 'bool' ? texts[0] === 'true' : spec.kind === 'int' ? texts.map(Number) : texts;
  }
  return out;
}
