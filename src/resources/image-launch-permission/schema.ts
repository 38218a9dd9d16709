// outscale_image_launch_permission: the official Go provider's names and shapes (one resource per OMI, id = image id,
// `permission_additions` / `permission_removals` as at-most-one list blocks, `global_permission` a string holding
// "true" or "false"), so that its configurations and states work unchanged. Unlike the Go provider, changes are made
// in place; only `image_id` replaces.
import { attribute, block, type, type Model } from '../../framework/schema.js';
import { matches, oneOf, type Validator } from '../../framework/validators.js';
import { timeoutsBlock } from '../shared/go-provider.js';

export const LAUNCH_PERMISSION_TIMEOUTS_MS = { create: 10 * 60_000, read: 5 * 60_000, update: 10 * 60_000, delete: 5 * 60_000 };

const accountId = matches(/^\d{12}$/, 'a 12-digit OUTSCALE account ID');

const eachAccountId: Validator = {
  description: `each ${accountId.description}`,
  validate(value, path, diags) {
    if (Array.isArray(value)) value.forEach((v, i) => accountId.validate(v, [...path, { index: i }], diags));
  },
};

function permissionBlock(what: string) {
  return block(
    'list',
    {
      attributes: {
        account_ids: attribute(type.list(type.string), {
          optional: true,
          validators: [eachAccountId],
          description: `The OUTSCALE account IDs ${what}.`,
        }),
        global_permission: attribute(type.string, {
          optional: true,
          computed: true,
          default: 'false',
          validators: [oneOf(['true', 'false'])],
          description:
            what === 'to share the OMI with'
              ? '`"true"` makes the OMI public (a boolean `true` is accepted too). Default `"false"`: the public flag is left as it is.'
              : '`"true"` makes the OMI private (a boolean `true` is accepted too). Default `"false"`: the public flag is left as it is.',
        }),
      },
    },
    { maxItems: 1, description: `Who gets access: accounts ${what}, and whether to change the public flag. Updated in place.` },
  );
}

export const launchPermissionBlock = {
  description:
    'Shares an OUTSCALE machine image (OMI) with other accounts or makes it public, and takes launch permissions away. Changes are made in place; a change made outside Terraform to what it manages shows as a diff. Destroying it revokes what it granted; it never restores what it removed. The `permissions_to_launch` of an `outscale_image` resource shows the new sharing from its next refresh on.',
  attributes: {
    id: attribute(type.string, { computed: true, useStateForUnknown: true, description: 'The ID of the OMI (same as `image_id`).' }),
    image_id: attribute(type.string, { required: true, requiresReplace: true, description: 'The ID of the OMI (one you own).' }),
    description: attribute(type.string, { computed: true, useStateForUnknown: true, description: 'The description of the OMI.' }),
    permissions_to_launch: attribute(type.set(type.object({ account_ids: type.list(type.string), global_permission: type.string })), {
      computed: true,
      description:
        'Everyone who may launch the OMI, whoever granted it: one element with `account_ids` and `global_permission` (`"true"` when public).',
    }),
    request_id: attribute(type.string, { computed: true, useStateForUnknown: true, description: 'The ID of the last request that changed the permissions.' }),
  },
  blocks: {
    permission_additions: permissionBlock('to share the OMI with'),
    permission_removals: permissionBlock('to take access away from'),
    timeouts: timeoutsBlock(LAUNCH_PERMISSION_TIMEOUTS_MS),
  },
};

export const launchPermissionSchema = { version: 0, block: launchPermissionBlock };

export type LaunchPermissionModel = Model<typeof launchPermissionBlock>;
