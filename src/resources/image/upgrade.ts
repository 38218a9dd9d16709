// UpgradeResourceState for outscale_image. Schema version 0 is also what the official Go provider (SDKv2) writes:
// its keys match ours, extra ones are dropped, nested values come as lists. Where the API has nothing that provider
// wrote zero values (`iops = 0`, `virtual_device_name = ""`, `source_image_id = ""`) and it never set `is_public`;
// those become what a read of the same OMI gives, so that the first `plan -refresh-only` after the migration shows
// only real differences.

import { isNumber, isObjectValue, toJsNumber, type ObjectValue, type Value } from '../../protocol/value.js';
import type { Diagnostics } from '../../framework/diagnostics.js';
import { conformStateJson } from '../../framework/upgrade.js';
import { imageBlock, UNREADABLE_INPUTS } from './schema.js';

const ZERO_WHEN_UNSET = { iops: 0, volume_size: 0 } as const;
const EMPTY_WHEN_UNSET_BSU = ['snapshot_id', 'volume_type'] as const;
const EMPTY_WHEN_UNSET_MAPPING = ['device_name', 'virtual_device_name'] as const;

export function upgradeImageState(version: number, raw: Record<string, unknown>, diags: Diagnostics): ObjectValue | null {
  if (version !== 0) {
    diags.error('Unsupported state version', `outscale_image state version ${version} is not known to this provider.`);
    return null;
  }
  const state = conformStateJson(imageBlock, raw);
  if (state.image_id === null && typeof state.id === 'string') state.image_id = state.id;
  for (const name of UNREADABLE_INPUTS) if (state[name] === '') state[name] = null;
  if (Array.isArray(state.block_device_mappings)) state.block_device_mappings = state.block_device_mappings.map(unsetZeroes);
  if (state.is_public === null) state.is_public = globalPermission(state.permissions_to_launch ?? null);
  // an attribute that provider never had: OMIs have secure boot off unless the API says otherwise (the next read)
  if (!('secure_boot' in raw) && state.secure_boot === null) state.secure_boot = false;
  return state;
}

function unsetZeroes(mapping: Value): Value {
  if (!isObjectValue(mapping)) return mapping;
  const out: ObjectValue = { ...mapping };
  for (const name of EMPTY_WHEN_UNSET_MAPPING) if (out[name] === '') out[name] = null;
  if (Array.isArray(out.bsu)) {
    out.bsu = out.bsu.map((b) => {
      if (!isObjectValue(b)) return b;
      const bsu: ObjectValue = { ...b };
      for (const name of EMPTY_WHEN_UNSET_BSU) if (bsu[name] === '') bsu[name] = null;
      for (const [name, zero] of Object.entries(ZERO_WHEN_UNSET)) {
        const v = bsu[name];
        if (isNumber(v) && toJsNumber(v) === zero) bsu[name] = null;
      }
      return bsu;
    });
  }
  return out;
}

/** is_public is the global launch permission (what a read derives it from). */
function globalPermission(permissions: Value): Value {
  const first = Array.isArray(permissions) ? permissions[0] : undefined;
  return isObjectValue(first) && typeof first.global_permission === 'boolean' ? first.global_permission : null;
}
