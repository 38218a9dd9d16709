// outscale_image: the one declarative schema. Names, types and nesting follow the official Go provider so that its
// configurations, expressions and states work unchanged. Shapes are chosen for protocol 6's strict checks
// (../shared/reference/terraform-schema-shapes.md, each choice tried against terraform 1.11.4):
//  * block_device_mappings is an optional+computed ATTRIBUTE of type list(object) with every object attribute marked
//    optional. Terraform's blocks-as-attributes fix-up still accepts the documented `block_device_mappings { bsu { } }`
//    block syntax, while the provider may fill the value from the API when the user wrote none (a real nested block
//    cannot be computed: its block count must equal the config's).
//  * tags is a real set BLOCK (key required, value optional+computed): no null-versus-empty diff, dynamic-safe.
//  * timeouts is a single BLOCK of optional strings.
//  * No attribute anywhere has a plain object type or nested_type: one such attribute switches the block-syntax
//    fix-up off for the whole resource. Computed nested values are therefore lists of objects.

import { attribute, block, type, type Model } from '../../framework/schema.js';
import { duration, eachOneOf, lengthBetween, matches, oneOf } from '../../framework/validators.js';

export const IMAGE_NAME_PATTERN = /^[A-Za-z0-9_ ()/.\-]+$/;

const bsuType = type.object({
  delete_on_vm_deletion: type.bool,
  iops: type.number,
  snapshot_id: type.string,
  volume_size: type.number,
  volume_type: type.string,
});

export const blockDeviceMappingType = type.object({
  bsu: type.list(bsuType),
  device_name: type.string,
  virtual_device_name: type.string,
});

const computedOnly = { computed: true, useStateForUnknown: true } as const;

export const imageBlock = {
  description: 'Manages an OUTSCALE machine image (OMI).',
  attributes: {
    id: attribute(type.string, { ...computedOnly, description: 'The ID of the OMI (same as `image_id`).' }),
    image_id: attribute(type.string, { ...computedOnly, description: 'The ID of the OMI.' }),

    // --- creation mode (exactly one) ------------------------------------------------------------------------------
    vm_id: attribute(type.string, {
      optional: true,
      computed: true,
      requiresReplace: true,
      description: 'The ID of the VM from which to create the OMI. The API does not return it: null after an import.',
    }),
    no_reboot: attribute(type.bool, {
      optional: true,
      computed: true,
      description:
        'With `vm_id`: if false, the VM shuts down before the OMI is created and then reboots. Only used at creation; changing it changes nothing remotely.',
    }),
    file_location: attribute(type.string, {
      optional: true,
      computed: true,
      requiresReplace: true,
      description: 'The pre-signed URL of the manifest of an exported OMI, to register the OMI from a bucket.',
    }),
    source_image_id: attribute(type.string, {
      optional: true,
      computed: true,
      requiresReplace: true,
      description: 'The ID of the OMI to copy (with `source_region_name`). Not returned by the API: null after an import.',
    }),
    source_region_name: attribute(type.string, {
      optional: true,
      computed: true,
      requiresReplace: true,
      description: 'The Region of the OMI to copy (your account\'s Region). Not returned by the API: null after an import.',
    }),
    block_device_mappings: attribute(type.list(blockDeviceMappingType), {
      optional: true,
      computed: true,
      requiresReplace: true,
      description:
        'The block device mappings: set them (with `root_device_name`) to register an OMI from snapshots; otherwise they are read from the API. Blocks: `device_name`, `virtual_device_name`, `bsu { delete_on_vm_deletion, iops, snapshot_id, volume_size, volume_type }`.',
    }),
    root_device_name: attribute(type.string, {
      optional: true,
      computed: true,
      requiresReplace: true,
      validators: [matches(/^\/dev\/(sda1|(sd|xvd)[b-z][a-z]?)$/, 'a device name such as "/dev/sda1"')],
      description: 'The name of the root device (e.g. `/dev/sda1`); required with `block_device_mappings`.',
    }),

    // --- other arguments ------------------------------------------------------------------------------------------
    image_name: attribute(type.string, {
      optional: true,
      computed: true,
      requiresReplace: true,
      validators: [
        lengthBetween(3, 128),
        matches(IMAGE_NAME_PATTERN, 'letters, digits, spaces and the characters _ ( ) / . -'),
      ],
      description: 'A unique name for the OMI (3 to 128 characters: letters, digits, spaces and `_ ( ) / . -`).',
    }),
    description: attribute(type.string, {
      optional: true,
      computed: true,
      description: 'A description of the OMI. Updated in place.',
    }),
    architecture: attribute(type.string, {
      optional: true,
      computed: true,
      requiresReplace: true,
      validators: [oneOf(['i386', 'x86_64'])],
      description: 'The architecture of the OMI (`i386` or `x86_64`).',
    }),
    boot_modes: attribute(type.set(type.string), {
      optional: true,
      computed: true,
      requiresReplace: true,
      validators: [eachOneOf(['uefi', 'legacy'], 'set')],
      description: 'The boot modes compatible with the OMI (`uefi`, `legacy`).',
    }),
    tpm_mandatory: attribute(type.bool, {
      optional: true,
      computed: true,
      requiresReplace: true,
      description: 'Whether a virtual Trusted Platform Module (vTPM) is mandatory for VMs created from this OMI.',
    }),
    product_codes: attribute(type.list(type.string), {
      optional: true,
      computed: true,
      description: 'The product codes of the OMI. Updated in place (the list replaces the previous one).',
    }),

    // --- read-only ------------------------------------------------------------------------------------------------
    account_alias: attribute(type.string, { ...computedOnly, description: 'The account alias of the owner of the OMI.' }),
    account_id: attribute(type.string, { ...computedOnly, description: 'The account ID of the owner of the OMI.' }),
    creation_date: attribute(type.string, { ...computedOnly, description: 'The date and time of creation of the OMI (ISO 8601).' }),
    image_type: attribute(type.string, { ...computedOnly, description: 'The type of the OMI.' }),
    is_public: attribute(type.bool, { ...computedOnly, description: 'Whether the OMI is public (global launch permission).' }),
    permissions_to_launch: attribute(
      type.list(type.object({ account_ids: type.list(type.string), global_permission: type.bool })),
      { ...computedOnly, description: 'Who may launch the OMI: `account_ids` and `global_permission`.' },
    ),
    request_id: attribute(type.string, { ...computedOnly, description: 'The ID of the request that created the OMI.' }),
    root_device_type: attribute(type.string, { ...computedOnly, description: 'The type of the root device (`bsu`).' }),
    secure_boot: attribute(type.bool, { ...computedOnly, description: 'Whether secure boot is activated.' }),
    state: attribute(type.string, { ...computedOnly, description: 'The state of the OMI (`pending`, `available`, `failed`).' }),
    state_comment: attribute(type.list(type.object({ state_code: type.string, state_message: type.string })), {
      ...computedOnly,
      description: 'Why the OMI is in its state: `state_code` and `state_message`.',
    }),
  },
  blocks: {
    tags: block('set', {
      attributes: {
        key: attribute(type.string, { required: true, validators: [lengthBetween(1, 255)], description: 'The tag key.' }),
        value: attribute(type.string, {
          optional: true,
          computed: true,
          validators: [lengthBetween(0, 255)],
          description: 'The tag value (empty when not set).',
        }),
      },
    }, { description: 'Tags on the OMI. Updated in place.' }),
    timeouts: block('single', {
      attributes: {
        create: attribute(type.string, { optional: true, validators: [duration()], description: 'How long to wait for the creation of the OMI, until it is available (default `40m`).' }),
        read: attribute(type.string, { optional: true, validators: [duration()], description: 'How long to wait for a read of the OMI (default `5m`).' }),
        update: attribute(type.string, { optional: true, validators: [duration()], description: 'How long to wait for an update of the OMI (default `10m`).' }),
        delete: attribute(type.string, { optional: true, validators: [duration()], description: 'How long to wait for the deletion of the OMI (default `10m`).' }),
      },
    }, { description: 'How long to wait for each operation.' }),
  },
};

export const imageSchema = { version: 0, block: imageBlock };

export type ImageModel = Model<typeof imageBlock>;

/** Create-time inputs that the API never returns: kept from state on read, null after import. */
export const UNREADABLE_INPUTS = ['vm_id', 'no_reboot', 'source_image_id', 'source_region_name'] as const;

export const DEFAULT_TIMEOUTS_MS = { create: 40 * 60_000, read: 5 * 60_000, update: 10 * 60_000, delete: 10 * 60_000 };
