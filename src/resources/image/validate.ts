// outscale_image config checks beyond single attributes, at plan time and with attribute paths. Unknown values (from
// other resources) are never rejected; an unknown argument counts as set when choosing the creation mode.

import type { AttributePath } from '../../protocol/path.js';
import { isObjectValue, isUnknown, toJsNumber, isNumber, type ObjectValue, type Value } from '../../protocol/value.js';
import type { Diagnostics } from '../../framework/diagnostics.js';

const MODES = [
  { name: 'vm_id', requires: [] as string[] },
  { name: 'file_location', requires: [] },
  { name: 'source_image_id', requires: ['source_region_name'] },
  { name: 'block_device_mappings', requires: ['root_device_name'] },
] as const;

const DEVICE_NAME = /^\/dev\/(sda1|(sd|xvd)[b-z][a-z]?)$/;
const VIRTUAL_DEVICE_NAME = /^ephemeral\d+$/;
const VOLUME_TYPES = ['standard', 'io1', 'gp2'];
const MAX_IOPS = 13000;
const MAX_IOPS_PER_GIB = 300;
/** The API refuses more (CreateTags error 10041, too-many-tags). */
const MAX_TAGS_PER_RESOURCE = 50;

const isSet = (v: Value | undefined) => v !== null && v !== undefined;

export function validateImageConfig(config: ObjectValue, diags: Diagnostics): void {
  validateCreationMode(config, diags);
  const mappings = config.block_device_mappings;
  if (Array.isArray(mappings)) mappings.forEach((m, i) => validateMapping(m, [{ attribute: 'block_device_mappings' }, { index: i }], diags));
  if (isSet(config.no_reboot) && !isSet(config.vm_id))
    diags.warning('Argument has no effect', '"no_reboot" is only used when creating an OMI from a VM ("vm_id").', [{ attribute: 'no_reboot' }]);
  validateTagKeysUnique(config.tags ?? null, diags);
  validateTagCount(config.tags ?? null, diags);
}

function validateCreationMode(config: ObjectValue, diags: Diagnostics): void {
  const chosen = MODES.filter((m) => isSet(config[m.name]));
  const list = 'vm_id, file_location, source_image_id (with source_region_name), or block_device_mappings (with root_device_name)';
  if (chosen.length === 0) {
    diags.error('No creation mode', `Set exactly one of ${list}.`);
    return;
  }
  if (chosen.length > 1) {
    for (const m of chosen.slice(1))
      diags.error(
        'Conflicting creation modes',
        `"${m.name}" cannot be combined with "${chosen[0]!.name}": set exactly one of ${list}.`,
        [{ attribute: m.name }],
      );
    return;
  }
  for (const needed of chosen[0]!.requires)
    if (!isSet(config[needed]))
      diags.error('Missing required argument', `"${needed}" is required with "${chosen[0]!.name}".`, [{ attribute: needed }]);
  if (chosen[0]!.name !== 'source_image_id' && isSet(config.source_region_name))
    diags.error('Invalid combination', '"source_region_name" is only used with "source_image_id".', [{ attribute: 'source_region_name' }]);
  if (chosen[0]!.name !== 'block_device_mappings' && isSet(config.root_device_name))
    diags.error('Invalid combination', '"root_device_name" is only used with "block_device_mappings".', [{ attribute: 'root_device_name' }]);
}

function validateMapping(m: Value, path: AttributePath, diags: Diagnostics): void {
  if (!isObjectValue(m)) return;
  const device = m.device_name;
  if (typeof device === 'string' && !DEVICE_NAME.test(device))
    diags.error(
      'Invalid device name',
      `"${device}" is not a valid device name: use /dev/sda1 for the root device, /dev/sdX, /dev/sdXX, /dev/xvdX or /dev/xvdXX (X from b to z) otherwise.`,
      [...path, { attribute: 'device_name' }],
    );
  if (device === null && !isUnknown(device))
    diags.error('Missing device name', 'Each block device mapping needs a "device_name".', [...path, { attribute: 'device_name' }]);
  const virtual = m.virtual_device_name;
  if (typeof virtual === 'string' && !VIRTUAL_DEVICE_NAME.test(virtual))
    diags.error('Invalid virtual device name', `"${virtual}" must look like "ephemeral0".`, [...path, { attribute: 'virtual_device_name' }]);
  const bsus = m.bsu;
  if (Array.isArray(bsus)) {
    if (bsus.length > 1) diags.error('Too many bsu blocks', 'A block device mapping has at most one "bsu".', [...path, { attribute: 'bsu' }]);
    bsus.forEach((b, j) => validateBsu(b, [...path, { attribute: 'bsu' }, { index: j }], diags));
  }
}

function validateBsu(b: Value, path: AttributePath, diags: Diagnostics): void {
  if (!isObjectValue(b)) return;
  const type = b.volume_type;
  if (typeof type === 'string' && !VOLUME_TYPES.includes(type))
    diags.error('Invalid volume type', `Expected one of "standard", "io1", "gp2", got "${type}".`, [...path, { attribute: 'volume_type' }]);
  const size = isNumber(b.volume_size) ? toJsNumber(b.volume_size) : undefined;
  if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > 14901))
    diags.error('Invalid volume size', `The volume size must be a whole number of GiB between 1 and 14901, got ${size}.`, [...path, { attribute: 'volume_size' }]);
  if (!isNumber(b.iops)) return;
  const iops = toJsNumber(b.iops);
  const at = [...path, { attribute: 'iops' }];
  if (typeof type === 'string' && type !== 'io1') {
    diags.error('Invalid iops', `"iops" is only allowed with volume_type "io1" (here "${type}").`, at);
    return;
  }
  if (type === null && !isUnknown(type)) {
    diags.error('Invalid iops', '"iops" is only allowed with volume_type "io1" (the default type is "standard").', at);
    return;
  }
  if (!Number.isInteger(iops) || iops < 1 || iops > MAX_IOPS)
    diags.error('Invalid iops', `"iops" must be a whole number between 1 and ${MAX_IOPS}, got ${iops}.`, at);
  else if (size !== undefined && iops > size * MAX_IOPS_PER_GIB)
    diags.error('Invalid iops', `At most ${MAX_IOPS_PER_GIB} IOPS per GiB: ${iops} IOPS needs at least ${Math.ceil(iops / MAX_IOPS_PER_GIB)} GiB, the volume has ${size}.`, at);
}

function validateTagKeysUnique(tags: Value, diags: Diagnostics): void {
  if (!Array.isArray(tags)) return;
  const seen = new Set<string>();
  for (const t of tags) {
    if (!isObjectValue(t) || typeof t.key !== 'string') continue;
    if (seen.has(t.key)) diags.error('Duplicate tag key', `The tag key "${t.key}" is set more than once.`, [{ attribute: 'tags' }]);
    seen.add(t.key);
  }
}

/** Counts the keys known now; a `tags` block of unknown count (dynamic over an unknown collection) is checked at apply. */
function validateTagCount(tags: Value, diags: Diagnostics): void {
  if (!Array.isArray(tags)) return;
  const keys = new Set(tags.flatMap((t) => (isObjectValue(t) && typeof t.key === 'string' ? [t.key] : [])));
  if (keys.size > MAX_TAGS_PER_RESOURCE)
    diags.error(
      'Too many tags',
      `At most ${MAX_TAGS_PER_RESOURCE} tags can be set on an OMI (an OUTSCALE limit); this configuration sets ${keys.size}.`,
      [{ attribute: 'tags' }],
    );
}
