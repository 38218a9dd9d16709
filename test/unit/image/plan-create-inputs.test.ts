// outscale_image plan rules for the inputs the API never returns (how an OMI was made) and for pre-signed manifests.
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { planResourceChange } from '../../../src/framework/plan.js';
import { PrivateState } from '../../../src/framework/private-state.js';
import { objectValue, type ObjectValue } from '../../../src/protocol/value.js';
import { imageBlock } from '../../../src/resources/image/schema.js';
import { ADOPT_CREATE_INPUTS, planImage, sameManifest } from '../../../src/resources/image/plan.js';

const nulls = (): ObjectValue => {
  const o = objectValue();
  for (const n of Object.keys(imageBlock.attributes)) o[n] = null;
  o.tags = [];
  o.timeouts = null;
  return o;
};
const stored = (o: Record<string, unknown>): ObjectValue =>
  objectValue({ ...nulls(), id: 'ami-1', image_id: 'ami-1', image_name: 'img', state: 'available', no_reboot: false, ...o } as ObjectValue);
const configOf = (o: Record<string, unknown>): ObjectValue => objectValue({ ...nulls(), image_name: 'img', ...o } as ObjectValue);
/** What Terraform proposes: config values over the prior ones (optional+computed nulls keep state). */
const proposedFrom = (prior: ObjectValue, config: ObjectValue): ObjectValue => {
  const p = objectValue(prior);
  for (const [k, v] of Object.entries(config)) if (v !== null) p[k] = v;
  return p;
};
const adoptFlag = () => PrivateState.fromBytes(Buffer.from(JSON.stringify({ [ADOPT_CREATE_INPUTS]: true })));

async function plan(prior: ObjectValue, config: ObjectValue, privateState?: PrivateState) {
  const input = { prior, proposed: proposedFrom(prior, config), config, ...(privateState ? { private: privateState } : {}) };
  return planResourceChange(imageBlock, input, new Diagnostics(), planImage);
}

const attrs = (paths: ReadonlyArray<ReadonlyArray<{ attribute?: string } | object>>) => paths.map((p) => (p[0] as { attribute?: string } | undefined)?.attribute).sort();

describe('outscale_image: creation inputs', () => {
  it('vm_id → source_image_id replaces, and the new plan no longer claims vm_id', async () => {
    const prior = stored({ vm_id: 'i-1', no_reboot: true });
    const result = await plan(prior, configOf({ source_image_id: 'ami-src', source_region_name: 'eu-west-2' }));
    expect(attrs(result.requiresReplace)).toEqual(['source_image_id', 'source_region_name', 'vm_id']);
    expect(result.planned.vm_id).toBeNull();
  });

  it('snapshot mappings → vm_id replaces (vm_id was null in a state this provider created)', async () => {
    const result = await plan(stored({}), configOf({ vm_id: 'i-1' }));
    expect(attrs(result.requiresReplace)).toEqual(['vm_id']);
  });

  it('after an import (private flag), the config\'s creation inputs are adopted in place, once', async () => {
    const privateState = adoptFlag();
    const result = await plan(stored({ no_reboot: null }), configOf({ vm_id: 'i-1', no_reboot: true }), privateState);
    expect(result.requiresReplace).toEqual([]);
    expect(result.planned.vm_id).toBe('i-1');
    expect(privateState.get(ADOPT_CREATE_INPUTS)).toBeUndefined();
    expect(privateState.toBytes()).toBeUndefined();
  });

  it('the flag adopts only inputs the state lacks: a known vm_id changed still replaces', async () => {
    const result = await plan(stored({ vm_id: 'i-1' }), configOf({ vm_id: 'i-2' }), adoptFlag());
    expect(attrs(result.requiresReplace)).toEqual(['vm_id']);
  });

  it('leaving the creation input out of the config (generated config after import) plans nothing', async () => {
    const prior = stored({ vm_id: 'i-1' });
    const result = await plan(prior, configOf({}));
    expect(result.requiresReplace).toEqual([]);
    expect(result.planned.vm_id).toBe('i-1');
  });
});

describe('outscale_image: pre-signed manifest URLs', () => {
  const url = (path: string, query: string) => `https://oos.eu-west-2.outscale.com/bucket/${path}?${query}`;
  it('the same manifest with another query string keeps the state\'s URL: no change', async () => {
    const prior = stored({ file_location: url('a.xml', 'X-Amz-Signature=1') });
    const result = await plan(prior, configOf({ file_location: url('a.xml', 'X-Amz-Signature=2') }));
    expect(result.requiresReplace).toEqual([]);
    expect(result.planned.file_location).toBe(prior.file_location);
  });
  it('another manifest replaces', async () => {
    const result = await plan(stored({ file_location: url('a.xml', 's=1') }), configOf({ file_location: url('b.xml', 's=1') }));
    expect(attrs(result.requiresReplace)).toEqual(['file_location']);
  });
  it('compares scheme, host (case-insensitively) and path only', () => {
    expect(sameManifest('https://H.example/p/m.xml?a=1#x', 'https://h.example/p/m.xml?b=2')).toBe(true);
    expect(sameManifest('https://h.example/p/m.xml', 'http://h.example/p/m.xml')).toBe(false);
    expect(sameManifest('https://h.example/p/m.xml', 'https://h.example/p/M.xml')).toBe(false);
  });
});
