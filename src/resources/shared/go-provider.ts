// What the OUTSCALE resources share with the official Go provider's schemas: its states (schema version 0, SDKv2
// JSON) and its `timeouts` block.
import type { Diagnostics } from '../../framework/diagnostics.js';
import { attribute, block, type, type BlockSchema } from '../../framework/schema.js';
import { conformStateJson } from '../../framework/upgrade.js';
import { duration } from '../../framework/validators.js';
import type { ObjectValue } from '../../protocol/value.js';

/**
 * UpgradeResourceState for a version-0 state written by the Go provider (or by us): keys conformed to the schema,
 * `idAttribute` filled from `id` when the state has only that.
 */
export function goProviderUpgrade(typeName: string, schema: BlockSchema, idAttribute: string) {
  return (version: number, raw: Record<string, unknown>, diags: Diagnostics): ObjectValue | null => {
    if (version !== 0) {
      diags.error('Unsupported state version', `${typeName} state version ${version} is not known to this provider.`);
      return null;
    }
    const state = conformStateJson(schema, raw);
    if (state[idAttribute] === null && typeof state.id === 'string') state[idAttribute] = state.id;
    return state;
  };
}

const minutes = (ms: number) => `\`${Math.round(ms / 60_000)}m\``;

/** The `timeouts { create read update delete }` block with its defaults in the docs. */
export function timeoutsBlock(defaults: { create: number; read: number; update: number; delete: number }, createNote = '') {
  const op = (ms: number, note = '') =>
    attribute(type.string, { optional: true, validators: [duration()], description: `Default ${minutes(ms)}${note}.` });
  return block(
    'single',
    {
      attributes: {
        create: op(defaults.create, createNote),
        read: op(defaults.read),
        update: op(defaults.update),
        delete: op(defaults.delete),
      },
    },
    { description: 'How long each operation may take.' },
  );
}
