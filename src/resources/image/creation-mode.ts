// "Exactly one creation mode": checked when an OMI is about to be created (the plan of a creation or of the new half
// of a replacement), never against an existing OMI's state or a configuration generated from it — the API reports
// file_location, block_device_mappings and root_device_name for every OMI, whatever created it. An unknown argument
// (from another resource) counts as set.

import type { ObjectValue, Value } from '../../protocol/value.js';
import type { Diagnostics } from '../../framework/diagnostics.js';

const MODES = [
  { name: 'vm_id', requires: [] as string[] },
  { name: 'file_location', requires: [] },
  { name: 'source_image_id', requires: ['source_region_name'] },
  { name: 'block_device_mappings', requires: ['root_device_name'] },
] as const;

const MODE_LIST = 'vm_id, file_location, source_image_id (with source_region_name), or block_device_mappings (with root_device_name)';

const isSet = (v: Value | undefined) => v !== null && v !== undefined;

export function checkCreationMode(config: ObjectValue, diags: Diagnostics): void {
  const chosen = MODES.filter((m) => isSet(config[m.name]));
  if (chosen.length === 0) {
    diags.error('No creation mode', `Set exactly one of ${MODE_LIST}.`);
    return;
  }
  const mode = chosen[0]!;
  if (chosen.length > 1) {
    for (const m of chosen.slice(1))
      diags.error('Conflicting creation modes', `"${m.name}" cannot be combined with "${mode.name}": set exactly one of ${MODE_LIST}.`, [
        { attribute: m.name },
      ]);
    return;
  }
  for (const needed of mode.requires)
    if (!isSet(config[needed]))
      diags.error('Missing required argument', `"${needed}" is required with "${mode.name}".`, [{ attribute: needed }]);
  if (mode.name !== 'source_image_id' && isSet(config.source_region_name))
    diags.error('Invalid combination', '"source_region_name" is only used with "source_image_id".', [{ attribute: 'source_region_name' }]);
  if (mode.name !== 'block_device_mappings' && isSet(config.root_device_name))
    diags.error('Invalid combination', '"root_device_name" is only used with "block_device_mappings".', [{ attribute: 'root_device_name' }]);
}
