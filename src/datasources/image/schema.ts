// Data sources outscale_image and outscale_images: the official Go provider's names and types, so that its
// configurations and states (e.g. `data.outscale_image.x.image_id`, `…images[0].image_id`) work unchanged.
// Computed nested values are attributes of list(object) type (never blocks: a block's count must match the config).
// `filter` is a list block rather than the Go provider's set: the same `filter { }` syntax and state JSON, and a
// list lets every diagnostic point at the exact block and value (`filter[1].values[0]`); order has no meaning.

import { attribute, type, type AttributeSchema, type Model, type TypeSpec } from '../../framework/schema.js';
import { blockDeviceMappingType } from '../../resources/image/schema.js';
import { filterBlock } from '../filters.js';
import { imageFilterSpecs } from './filters.js';

const computed = { computed: true } as const;

interface Field<TS> {
  readonly spec: TypeSpec<TS>;
  readonly description: string;
}
const field = <TS>(spec: TypeSpec<TS>, description: string): Field<TS> => ({ spec, description });
type Fields = Record<string, Field<unknown>>;
type TsOf<F> = F extends Field<infer TS> ? TS : never;

function computedAttributes<F extends Fields>(fields: F): { [K in keyof F]: AttributeSchema<TsOf<F[K]>> } {
  const out: Record<string, AttributeSchema> = {};
  for (const [name, f] of Object.entries(fields)) out[name] = attribute(f.spec, { computed: true, description: f.description });
  return out as { [K in keyof F]: AttributeSchema<TsOf<F[K]>> };
}

function objectOf<F extends Fields>(fields: F): TypeSpec<{ [K in keyof F]: TsOf<F[K]> | null }> {
  const specs: Record<string, TypeSpec<unknown>> = {};
  for (const [name, f] of Object.entries(fields)) specs[name] = f.spec;
  return type.object(specs) as TypeSpec<{ [K in keyof F]: TsOf<F[K]> | null }>;
}

/** The OMI attributes both data sources expose (per OMI in outscale_images). */
const IMAGE_FIELDS = {
  account_alias: field(type.string, 'The account alias of the owner of the OMI (empty when it has none).'),
  account_id: field(type.string, 'The account ID of the owner of the OMI.'),
  architecture: field(type.string, 'The architecture of the OMI (`i386` or `x86_64`).'),
  block_device_mappings: field(
    type.list(blockDeviceMappingType),
    'The block device mappings: `device_name`, `virtual_device_name` and `bsu { delete_on_vm_deletion, iops, snapshot_id, volume_size, volume_type }` (`iops` 0 and `virtual_device_name` empty when the API has none, as with the official provider).',
  ),
  boot_modes: field(type.list(type.string), 'The boot modes compatible with the OMI (`uefi`, `legacy`).'),
  creation_date: field(type.string, 'The date and time of creation of the OMI (ISO 8601).'),
  description: field(type.string, 'The description of the OMI (empty when it has none).'),
  file_location: field(type.string, 'The location of the bucket where the OMI files are stored.'),
  image_id: field(type.string, 'The ID of the OMI.'),
  image_name: field(type.string, 'The name of the OMI.'),
  image_type: field(type.string, 'The type of the OMI.'),
  permissions_to_launch: field(
    type.list(type.object({ account_id: type.string, global_permission: type.bool })),
    'One element per account the OMI is shared with (`account_id`, and `global_permission`: whether the OMI is public); a public OMI shared with no account has one element with an empty `account_id`.',
  ),
  product_codes: field(type.list(type.string), 'The product codes of the OMI.'),
  root_device_name: field(type.string, 'The name of the root device.'),
  root_device_type: field(type.string, 'The type of the root device (`bsu`).'),
  secure_boot: field(type.bool, 'Whether secure boot is activated.'),
  state: field(type.string, 'The state of the OMI (`pending`, `available` or `failed`).'),
  state_comment: field(
    type.set(type.object({ state_code: type.string, state_message: type.string })),
    'Why the OMI is in its state: `state_code` and `state_message` (empty when there is nothing to say).',
  ),
  tags: field(type.list(type.object({ key: type.string, value: type.string })), 'The tags of the OMI: `key` and `value`.'),
  tpm_mandatory: field(type.bool, 'Whether a virtual Trusted Platform Module (vTPM) is mandatory for VMs created from this OMI.'),
};

export const imageObjectType = objectOf(IMAGE_FIELDS);

const filter = filterBlock(imageFilterSpecs);

export const imageDataSourceBlock = {
  description:
    'Finds one OUTSCALE machine image (OMI) by filters: exactly one OMI must match, or set `most_recent` to take the newest.',
  attributes: {
    ...computedAttributes(IMAGE_FIELDS),
    image_id: attribute(type.string, { optional: true, computed: true, description: 'The ID of the OMI to find (the same as an `image_ids` filter); the ID of the OMI found.' }),
    most_recent: attribute(type.bool, {
      optional: true,
      description: 'When several OMIs match, take the one with the latest `creation_date` (then the greatest `image_id`) instead of failing.',
    }),
    permission: attribute(type.list(type.string), {
      optional: true,
      description: 'Account IDs the OMI must be shared with (the same as a `permissions_to_launch_account_ids` filter).',
    }),
    id: attribute(type.string, { ...computed, description: 'The ID of the OMI found (same as `image_id`).' }),
    is_public: attribute(type.bool, { ...computed, description: 'Whether the OMI is public (global launch permission).' }),
    request_id: attribute(type.string, { ...computed, description: 'The ID of the ReadImages request.' }),
  },
  blocks: { filter },
};

export const imagesDataSourceBlock = {
  description:
    'Lists the OUTSCALE machine images (OMIs) that match filters, oldest first (by `creation_date`, then `image_id`). No match is an empty list.',
  attributes: {
    image_ids: attribute(type.list(type.string), { optional: true, description: 'Only these OMIs (the same as an `image_ids` filter).' }),
    account_ids: attribute(type.list(type.string), {
      optional: true,
      description: 'Only OMIs owned by these accounts (the same as an `account_ids` filter).',
    }),
    permissions: attribute(type.list(type.string), {
      optional: true,
      description: 'Only OMIs shared with these accounts (the same as a `permissions_to_launch_account_ids` filter).',
    }),
    images: attribute(type.list(imageObjectType), {
      ...computed,
      description: `The OMIs found, each with: ${Object.keys(IMAGE_FIELDS).map((n) => `\`${n}\``).join(', ')} (as in the \`outscale_image\` data source).`,
    }),
    id: attribute(type.string, { ...computed, description: 'A stable ID: a hash of the arguments and filters.' }),
    request_id: attribute(type.string, { ...computed, description: 'The ID of the (last) ReadImages request.' }),
  },
  blocks: { filter },
};

export const imageDataSourceSchema = { version: 0, block: imageDataSourceBlock };
export const imagesDataSourceSchema = { version: 0, block: imagesDataSourceBlock };

export type ImageDataSourceModel = Model<typeof imageDataSourceBlock>;
export type ImageObjectModel = NonNullable<(typeof imageObjectType)['__ts']>;
export type ImagesDataSourceModel = Model<typeof imagesDataSourceBlock>;
