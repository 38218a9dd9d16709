// From a data source config to a ReadImages request: the filter blocks plus the Go provider's shortcut arguments
// (`image_id`, `permission`, `image_ids`, `account_ids`, `permissions`), each the same as one filter.

import type { Diagnostics } from '../../framework/diagnostics.js';
import type { FiltersImage } from '../../outscale/types.js';
import type { ObjectValue, Value } from '../../protocol/value.js';
import { filtersToApi, hasFilter, validateFilters } from '../filters.js';
import { imageFilterSpecs } from './filters.js';

/** argument name → the filter it stands for. */
export type Shortcuts = Readonly<Record<string, string>>;

export const IMAGE_SHORTCUTS: Shortcuts = { image_id: 'image_ids', permission: 'permissions_to_launch_account_ids' };
export const IMAGES_SHORTCUTS: Shortcuts = {
  image_ids: 'image_ids',
  account_ids: 'account_ids',
  permissions: 'permissions_to_launch_account_ids',
};

export function validateImageQuery(config: ObjectValue, shortcuts: Shortcuts, diags: Diagnostics): void {
  const filters = config.filter ?? null;
  validateFilters(imageFilterSpecs, filters, [{ attribute: 'filter' }], diags);
  for (const [argument, filterName] of Object.entries(shortcuts)) {
    if ((config[argument] ?? null) !== null && hasFilter(filters, filterName))
      diags.error(
        'Conflicting arguments',
        `"${argument}" is the same as a "${filterName}" filter, which is also given: keep one of them.`,
        [{ attribute: argument }],
      );
  }
}

const asList = (v: Value): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The Filters of a validated, wholly known config. */
export function imageFilters(config: ObjectValue, shortcuts: Shortcuts): FiltersImage {
  const filters = filtersToApi(imageFilterSpecs, config.filter ?? null) as FiltersImage;
  for (const [argument, filterName] of Object.entries(shortcuts)) {
    const v = config[argument] ?? null;
    if (v === null) continue;
    const api = imageFilterSpecs.get(filterName)!.api as keyof FiltersImage;
    (filters as Record<string, unknown>)[api] = asList(v);
  }
  return filters;
}

/** The filters in the user's words, for messages: `image_names = ["Debian-12-*"], states = ["available"]`. */
export function describeFilters(filters: FiltersImage): string {
  const parts = Object.entries(filters).map(([api, v]) => {
    const name = [...imageFilterSpecs].find(([, s]) => s.api === api)?.[0] ?? api;
    return `${name} = ${JSON.stringify(v)}`;
  });
  return parts.length > 0 ? parts.join(', ') : 'no filters';
}
