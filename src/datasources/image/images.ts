// data "outscale_images": every OMI the filters match, all pages, oldest first. No match is an empty list (so that
// `for_each` over it works), and the ID is a hash of the query, stable from one read to the next.

import { createHash } from 'node:crypto';
import type { DataSourceDefinition } from '../../framework/data-source.js';
import type { OscClient } from '../../outscale/client.js';
import type { FiltersImage } from '../../outscale/types.js';
import { objectValue, type Value } from '../../protocol/value.js';
import { requireClient } from '../client.js';
import { imageObject, sortImages } from './convert.js';
import { IMAGES_SHORTCUTS, imageFilters, validateImageQuery } from './query.js';
import { imagesDataSourceSchema } from './schema.js';

/** The same filters give the same ID, whatever order the keys or values were written in. */
export function queryId(filters: FiltersImage): string {
  const canonical = Object.entries(filters)
    .map(([k, v]) => [k, Array.isArray(v) ? [...(v as Array<string | number>)].map(String).sort() : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `images-${createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16)}`;
}

export const imagesDataSource: DataSourceDefinition<OscClient, typeof imagesDataSourceSchema.block> = {
  typeName: 'outscale_images',
  schema: imagesDataSourceSchema,

  validate(config, diags) {
    validateImageQuery(config, IMAGES_SHORTCUTS, diags);
  },

  async read({ config }, ctx) {
    const filters = imageFilters(config, IMAGES_SHORTCUTS);
    const res = await requireClient(ctx).readImages({ Filters: filters }, { signal: ctx.signal });
    return objectValue({
      id: queryId(filters),
      images: sortImages(res.Images ?? []).map(imageObject) as unknown as Value[],
      request_id: res.ResponseContext?.RequestId ?? null,
    });
  },
};
