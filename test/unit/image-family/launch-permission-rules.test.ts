// The rules of outscale_image_launch_permission, checked as properties over random ACLs and configurations:
// applying the planned calls makes the refreshed blocks equal the plan; each call carries Additions or Removals;
// destroy revokes only what the resource granted and never widens access.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PermissionsOnResource } from '../../../src/outscale/types.js';
import { objectValue, type Value } from '../../../src/protocol/value.js';
import {
  callsFor,
  contradictions,
  grantOf,
  refreshBlock,
  undoCalls,
  type Acl,
  type Grant,
} from '../../../src/resources/image-launch-permission/permissions.js';

const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];
const accounts = fc.uniqueArray(fc.constantFrom(...ACCOUNTS), { maxLength: 5 });
const acl: fc.Arbitrary<Acl> = fc.record({ accounts, global: fc.boolean() });
const grant: fc.Arbitrary<Grant> = fc.record({ accounts: fc.option(accounts, { nil: null }), global: fc.boolean() });

/** A consistent configuration: no account in both blocks, not "true" in both. */
const config = fc
  .tuple(grant, grant)
  .map(([add, remove]) => ({
    add,
    remove: {
      accounts: remove.accounts === null ? null : remove.accounts.filter((a) => !(add.accounts ?? []).includes(a)),
      global: remove.global && !add.global,
    },
  }));

function blockOf(g: Grant): Value[] {
  return [objectValue({ account_ids: g.accounts, global_permission: g.global ? 'true' : 'false' })];
}

/** What UpdateImage does to an ACL (as the API documents it). */
function applyCall(a: Acl, change: { Additions?: PermissionsOnResource; Removals?: PermissionsOnResource }): Acl {
  const out = { accounts: [...a.accounts], global: a.global };
  for (const id of change.Additions?.AccountIds ?? []) if (!out.accounts.includes(id)) out.accounts.push(id);
  if (change.Additions?.GlobalPermission) out.global = true;
  out.accounts = out.accounts.filter((id) => !(change.Removals?.AccountIds ?? []).includes(id));
  if (change.Removals?.GlobalPermission) out.global = false;
  return out;
}

function run(a: Acl, calls: ReturnType<typeof callsFor>): Acl {
  let out = a;
  if (calls.additions) out = applyCall(out, { Additions: calls.additions });
  if (calls.removals) out = applyCall(out, { Removals: calls.removals });
  return out;
}

const refreshed = (g: Grant, a: Acl, kind: 'additions' | 'removals') => grantOf(refreshBlock(blockOf(g), a, kind));

describe('launch permission rules', () => {
  it('after create or update, the refreshed blocks equal the plan (no drift right after apply)', () => {
    fc.assert(
      fc.property(acl, config, fc.option(config, { nil: undefined }), (start, planned, previous) => {
        // the prior state is what a refresh of the previous configuration shows on the current ACL
        const prior = previous
          ? { add: refreshed(previous.add, start, 'additions'), remove: refreshed(previous.remove, start, 'removals') }
          : { add: { accounts: null, global: false }, remove: { accounts: null, global: false } };
        const after = run(start, callsFor(prior, planned));
        expect(refreshed(planned.add, after, 'additions')).toEqual(planned.add);
        expect(refreshed(planned.remove, after, 'removals')).toEqual(planned.remove);
      }),
    );
  });

  it('never sends an empty change', () => {
    fc.assert(
      fc.property(config, config, (prior, planned) => {
        const calls = callsFor(prior, planned);
        for (const c of [calls.additions, calls.removals]) {
          if (c) expect((c.AccountIds?.length ?? 0) > 0 || c.GlobalPermission === true).toBe(true);
        }
      }),
    );
  });

  it('destroy revokes exactly the granted accounts and flag; everything else is untouched', () => {
    fc.assert(
      fc.property(acl, grant, (start, granted) => {
        const after = run(start, undoCalls({ add: granted }));
        const revoked = granted.accounts ?? [];
        expect(after.accounts).toEqual(start.accounts.filter((a) => !revoked.includes(a)));
        expect(after.global).toBe(granted.global ? false : start.global);
        // never widens access
        expect(after.accounts.every((a) => start.accounts.includes(a))).toBe(true);
      }),
    );
  });

  it('refresh narrows a block to what still holds', () => {
    const block = blockOf({ accounts: ['111111111111', '222222222222'], global: true });
    const now: Acl = { accounts: ['222222222222'], global: false };
    expect(grantOf(refreshBlock(block, now, 'additions'))).toEqual({ accounts: ['222222222222'], global: false });
    expect(grantOf(refreshBlock(block, now, 'removals'))).toEqual({ accounts: ['111111111111'], global: true });
    expect(refreshBlock([], now, 'additions')).toEqual([]);
  });

  it('finds contradictions between the blocks', () => {
    const cfg = objectValue({
      permission_additions: blockOf({ accounts: ['111111111111'], global: true }),
      permission_removals: blockOf({ accounts: ['111111111111'], global: true }),
    });
    expect(contradictions(cfg)).toEqual([
      'account 111111111111 is in both permission_additions and permission_removals',
      'global_permission is "true" in both permission_additions and permission_removals',
    ]);
    expect(contradictions(objectValue({ permission_additions: [], permission_removals: [] }))).toEqual([]);
  });
});
