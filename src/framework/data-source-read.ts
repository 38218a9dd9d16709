// ReadDataSource semantics: Terraform requires a non-null, wholly known state of the schema's type, whose arguments
// are those of the config. `read` fills the computed attributes; everything the user wrote is taken from the config.

import { isObjectValue, objectValue, type ObjectValue, type Value } from '../protocol/value.js';
import type { DataSourceDefinition } from './data-source.js';
import type { Diagnostics } from './diagnostics.js';
import type { CallContext } from './resource.js';
import type { BlockSchema } from './schema.js';
import { hasUnknown, nullUnknowns } from './values.js';

/** Config arguments over the read values: non-computed attributes and blocks from the config, computed ones read. */
export function dataSourceState(block: BlockSchema, config: ObjectValue, read: ObjectValue): ObjectValue {
  const out = objectValue();
  for (const [name, a] of Object.entries(block.attributes)) {
    const configured = config[name] ?? null;
    const fetched = read[name] ?? null;
    out[name] = !a.computed || (configured !== null && a.optional) ? configured : fetched;
  }
  for (const name of Object.keys(block.blocks ?? {})) out[name] = config[name] ?? null;
  return out;
}

export async function readDataSource<Client>(
  ds: DataSourceDefinition<Client>,
  config: ObjectValue,
  ctx: CallContext<Client>,
  diags: Diagnostics,
): Promise<ObjectValue> {
  if (hasUnknown(config)) {
    // Terraform never sends one (it defers the read to apply); answer a known value all the same.
    diags.error('Configuration not known yet', `${ds.typeName} was asked to read before its configuration was known.`);
    return nullUnknowns(config) as ObjectValue;
  }
  let fetched: Value = objectValue();
  try {
    fetched = await ds.read({ config }, ctx);
  } catch (e) {
    diags.fromError(e, `Failed to read ${ds.typeName}`);
  }
  const state = dataSourceState(ds.schema.block, config, isObjectValue(fetched) ? fetched : objectValue());
  if (hasUnknown(state)) {
    diags.error('Provider bug', `${ds.typeName} returned unknown values; they are saved as null.`);
    return nullUnknowns(state) as ObjectValue;
  }
  return state;
}
