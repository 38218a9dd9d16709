import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { Failure, failingAs, failureSummary, withFailureNames, type FailureNaming } from '../../../src/framework/failure.js';
import type { ApplyResult, CallContext, ResourceDefinition } from '../../../src/framework/resource.js';
import { PrivateState } from '../../../src/framework/private-state.js';
import { objectValue } from '../../../src/protocol/value.js';

const boom = new Error('CreateThing failed: 4000 InvalidParameterValue (HTTP 400, request id r-1)');
const ctx: CallContext<undefined> = {
  client: undefined,
  signal: new AbortController().signal,
  diagnostics: new Diagnostics(),
  private: PrivateState.fromBytes(undefined),
};
const thing = objectValue({ id: 'th-1' });

/** A resource whose every operation throws `error` (create after recording `createdId`, when given). */
function failing(error: unknown, createdId?: string): ResourceDefinition<undefined> {
  return {
    typeName: 'x_thing',
    schema: { version: 0, block: { attributes: {} } },
    async create(_req, result) {
      if (createdId) result.state = objectValue({ id: createdId });
      throw error;
    },
    read: async () => Promise.reject(error),
    update: async () => Promise.reject(error),
    delete: async () => Promise.reject(error),
    importState: () => {
      throw error;
    },
  };
}

/** The diagnostic the framework shows for what `run` throws, with its generic context. */
async function shown(run: () => Promise<unknown>): Promise<{ summary: string; detail: string }> {
  const diags = new Diagnostics();
  await run().then(
    () => expect.unreachable('the operation should throw'),
    (e: unknown) => diags.fromError(e, 'Failed to update'),
  );
  return { summary: diags.items[0]!.summary, detail: diags.items[0]!.detail };
}

describe('failure summaries', () => {
  const naming: FailureNaming = { noun: 'thing' };

  it.each([
    ['create', undefined, 'Failed to create the thing'],
    ['create', 'th-9', 'Failed to finish creating thing th-9'],
    ['read', 'th-1', 'Failed to read thing th-1'],
    ['update', 'th-1', 'Failed to update thing th-1'],
    ['delete', 'th-1', 'Failed to delete thing th-1'],
    ['import', undefined, 'Failed to import the thing'],
  ] as const)('%s of %s: %s', (operation, id, summary) => expect(failureSummary('thing', operation, id)).toBe(summary));

  it('every operation of a wrapped resource fails under its own name, the cause as detail', async () => {
    const r = withFailureNames(failing(boom), naming);
    const result: ApplyResult = { state: null };
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => r.create({ planned: thing, config: thing }, result, ctx), 'Failed to create the thing'],
      [() => r.read({ state: thing }, ctx), 'Failed to read thing th-1'],
      [() => r.update({ prior: thing, planned: thing, config: thing }, result, ctx), 'Failed to update thing th-1'],
      [() => r.delete({ prior: thing }, ctx), 'Failed to delete thing th-1'],
      [async () => r.importState!('th-2', ctx), 'Failed to import thing th-2'],
    ];
    for (const [run, summary] of cases) expect(await shown(run)).toEqual({ summary, detail: boom.message });
  });

  it('a create that failed after the object existed names it', async () => {
    const r = withFailureNames(failing(boom, 'th-7'), naming);
    const result: ApplyResult = { state: null };
    expect((await shown(() => r.create({ planned: thing, config: thing }, result, ctx))).summary).toBe('Failed to finish creating thing th-7');
    expect(result.state).toEqual(objectValue({ id: 'th-7' }));
  });

  it('summarize refines the summary; a Failure thrown inside keeps its own', async () => {
    const refined = withFailureNames(failing(boom), { noun: 'thing', summarize: (f) => (f.operation === 'update' ? `Failed to rename thing ${f.id}` : undefined) });
    expect((await shown(() => refined.update({ prior: thing, planned: thing, config: thing }, { state: thing }, ctx))).summary).toBe('Failed to rename thing th-1');
    expect((await shown(() => refined.delete({ prior: thing }, ctx))).summary).toBe('Failed to delete thing th-1');
    const inner = withFailureNames(failing(new Failure('Failed to paint thing th-1', boom)), naming);
    expect(await shown(() => inner.read({ state: thing }, ctx))).toEqual({ summary: 'Failed to paint thing th-1', detail: boom.message });
  });

  it('failingAs names a throw, keeps a Failure, passes results through', async () => {
    expect(await failingAs('Failed to x', async () => 42)).toBe(42);
    expect((await shown(() => failingAs('Failed to x', () => Promise.reject(boom)))).summary).toBe('Failed to x');
    const innermost = new Failure('Failed to y', boom);
    await expect(failingAs('Failed to x', () => Promise.reject(innermost))).rejects.toBe(innermost);
  });

  it('fromError keeps the Failure path and the generic context for anything else', () => {
    const diags = new Diagnostics().fromError(new Failure('Failed to tag thing th-1', boom, [{ attribute: 'tags' }]), 'Failed to update');
    diags.fromError(boom, 'Failed to update');
    expect(diags.items).toEqual([
      { severity: 'error', summary: 'Failed to tag thing th-1', detail: boom.message, path: [{ attribute: 'tags' }] },
      { severity: 'error', summary: 'Failed to update', detail: boom.message },
    ]);
  });
});
