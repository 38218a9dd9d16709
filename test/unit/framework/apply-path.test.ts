// The framework's apply path, by construction for every resource: after success the plan's known values with the
// API's unknowns; after a failure at any step, exactly the prior state plus the steps that succeeded — never the plan.
import { describe, expect, it } from 'vitest';
import { createProviderServer } from '../../../src/framework/provider-server.js';
import type { ProviderDefinition, ResourceDefinition } from '../../../src/framework/resource.js';
import { attribute, impliedType, type } from '../../../src/framework/schema.js';
import { decodeMsgpack, encodeMsgpack } from '../../../src/protocol/codec/index.js';
import { objectValue, UNKNOWN, type ObjectValue, type Value } from '../../../src/protocol/value.js';

const STEPS = ['a', 'b', 'c', 'd'] as const;
const block = {
  attributes: {
    id: attribute(type.string, { computed: true, useStateForUnknown: true }),
    ...Object.fromEntries(STEPS.map((s) => [s, attribute(type.string, { optional: true })])),
    revision: attribute(type.string, { computed: true }),
  },
};
const schema = { version: 0, block };
const objType = impliedType(block);

/** A resource whose update makes one remote call per changed attribute, in order; the call numbered failAt throws. */
function resourceFailingAt(failAt: number, how: 'throw' | 'diagnostic'): ResourceDefinition<object> {
  return {
    typeName: 'test_thing',
    schema,
    async create(req, result) {
      result.state = objectValue({ ...req.planned, id: 'thing-1', revision: 'r0' });
    },
    async read(req) {
      return req.state;
    },
    async update(req, result, ctx) {
      let current = req.prior;
      result.state = current;
      let call = 0;
      for (const step of STEPS) {
        if (req.planned[step] === req.prior[step]) continue;
        if (call++ === failAt) {
          if (how === 'throw') throw new Error(`remote call for ${step} failed`);
          ctx.diagnostics.error(`Failed to change ${step}`);
          return;
        }
        current = objectValue({ ...current, [step]: req.planned[step] ?? null });
        result.state = current;
      }
      result.state = objectValue({ ...current, revision: 'r1' });
    },
    async delete() {},
  };
}

function provider(resource: ResourceDefinition<object>): ProviderDefinition<object> {
  return {
    typeName: 'test',
    schema: { version: 0, block: { attributes: {} } },
    async configure() {
      return {};
    },
    resources: [resource],
  };
}

function call(service: Record<string, Function>, name: string, request: object): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => service[name]!({ request }, (err: Error | null, res: Record<string, any>) => (err ? reject(err) : resolve(res)))); // eslint-disable-line @typescript-eslint/no-explicit-any
}

const dv = (v: Value) => ({ msgpack: Buffer.from(encodeMsgpack(v, objType)) });

async function applyUpdate(failAt: number, how: 'throw' | 'diagnostic', changed: readonly string[]) {
  const { service } = createProviderServer(provider(resourceFailingAt(failAt, how)));
  await call(service, 'ConfigureProvider', { config: { msgpack: Buffer.from(encodeMsgpack(objectValue(), impliedType({ attributes: {} }))) } });
  const prior = objectValue({ id: 'thing-1', a: 'a0', b: 'b0', c: 'c0', d: 'd0', revision: 'r0' });
  const planned = objectValue({ ...prior, revision: UNKNOWN });
  for (const s of changed) planned[s] = `${s}1`;
  const config = objectValue({ ...planned, id: null, revision: null });
  const res = await call(service, 'ApplyResourceChange', {
    type_name: 'test_thing',
    prior_state: dv(prior),
    planned_state: dv(planned),
    config: dv(config),
  });
  return { prior, planned, res, state: decodeMsgpack(res.new_state.msgpack, objType) as ObjectValue };
}

describe('ApplyResourceChange: the state stored is what exists', () => {
  // every subset of changed attributes × every failure point (none included) × both ways of failing
  const subsets = Array.from({ length: 1 << STEPS.length }, (_, n) => STEPS.filter((_, i) => n & (1 << i)));
  const cases = subsets.flatMap((changed) =>
    Array.from({ length: changed.length + 1 }, (_, failAt) => (['throw', 'diagnostic'] as const).map((how) => ({ changed, failAt, how }))).flat(),
  );

  it(`${cases.length} cases: prior + the steps that succeeded, never the plan; the plan itself on success`, async () => {
    for (const { changed, failAt, how } of cases) {
      const { prior, planned, res, state } = await applyUpdate(failAt, how, changed);
      const failed = failAt < changed.length;
      const label = `changed ${changed.join(',') || '(none)'}, fail at ${failAt}, ${how}`;
      expect(res.diagnostics.some((d: { severity: number }) => d.severity === 1), label).toBe(failed);
      const expected = objectValue({ ...prior });
      for (const s of changed.slice(0, failed ? failAt : changed.length)) expected[s] = planned[s]!;
      expected.revision = failed ? 'r0' : 'r1';
      expect(state, label).toEqual(expected);
    }
  });
});
