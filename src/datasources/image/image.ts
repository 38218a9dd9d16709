// data "outscale_image": the one OMI the filters match, or the newest with `most_recent`. No match and several
// matches are errors that say what was searched (and, for several, which OMIs and how to choose).

import type { DataSourceDefinition } from '../../framework/data-source.js';
import type { OscClient } from '../../outscale/client.js';
import type { Image } from '../../outscale/types.js';
import { objectValue, type Value } from '../../protocol/value.js';
import { imageObject, sortImages } from './convert.js';
import { describeFilters, IMAGE_SHORTCUTS, imageFilters, validateImageQuery } from './query.js';
import { imageDataSourceSchema, type ImageDataSourceModel } from './schema.js';
import { requireClient } from '../client.js';

const OWNER_FILTERS = ['account_ids', 'account_aliases', 'image_ids'];
const LISTED = 5;

function describeImage(i: Image): string {
  return `${i.ImageId ?? '?'} "${i.ImageName ?? ''}" (${i.CreationDate ?? 'no date'})`;
}

export const imageDataSource: DataSourceDefinition<OscClient, typeof imageDataSourceSchema.block> = {
  typeName: 'outscale_image',
  schema: imageDataSourceSchema,

  validate(config, diags) {
    validateImageQuery(config, IMAGE_SHORTCUTS, diags);
    const filters = Array.isArray(config.filter) ? config.filter : [];
    const owned = (config.image_id ?? null) !== null || filters.some((f) => OWNER_FILTERS.includes(String((f as Record<string, Value>).name)));
    if (config.most_recent === true && !owned)
      diags.warning(
        'most_recent without an owner',
        'Any account can publish an OMI with a matching name: add an "account_aliases" (e.g. ["Outscale"]), "account_ids" or "image_ids" filter so that the newest OMI is one you trust.',
        [{ attribute: 'most_recent' }],
      );
  },

  async read({ config }, ctx) {
    const filters = imageFilters(config, IMAGE_SHORTCUTS);
    const res = await requireClient(ctx).readImages({ Filters: filters }, { signal: ctx.signal });
    const found = sortImages(res.Images ?? []);
    const searched = describeFilters(filters);
    if (found.length === 0) {
      ctx.diagnostics.error('No OMI found', `No OMI you can use matches ${searched}. Check the filters (names are case-sensitive; "*" is a wildcard).`);
      return objectValue();
    }
    if (found.length > 1 && config.most_recent !== true) {
      const listed = found.slice(-LISTED).reverse().map(describeImage).join('; ');
      ctx.diagnostics.error(
        'Several OMIs found',
        `${found.length} OMIs match ${searched} (newest first: ${listed}${found.length > LISTED ? '; …' : ''}). ` +
          'Set most_recent = true to take the newest, or narrow the filters.',
      );
      return objectValue();
    }
    const image = found[found.length - 1]!;
    const state: Omit<ImageDataSourceModel, 'filter' | 'most_recent' | 'permission'> = {
      ...imageObject(image),
      id: image.ImageId ?? null,
      is_public: image.PermissionsToLaunch?.GlobalPermission ?? false,
      request_id: res.ResponseContext?.RequestId ?? null,
    };
    return objectValue(state as unknown as Record<string, Value>);
  },
};
