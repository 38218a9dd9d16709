// The rules of outscale_image_launch_permission, free of I/O:
//  * what the resource manages: the accounts it lists in `permission_additions` (and the public flag when its
//    `global_permission` is "true"), and the accounts it lists in `permission_removals` (and privacy when "true");
//  * refresh: each block keeps only what still holds on the OMI, so a change made outside Terraform shows as a diff;
//  * apply: Additions and Removals are two separate UpdateImage calls (the API takes one or the other);
//  * destroy: revoke what it granted; never re-grant what it removed (destroying must not widen access).
import type { PermissionsOnResource } from '../../outscale/types.js';
import { isObjectValue, objectValue, type ObjectValue, type Value } from '../../protocol/value.js';

/** One `permission_additions` / `permission_removals` block (null `accounts`: the argument is not set). */
export interface Grant {
  accounts: string[] | null;
  global: boolean;
}

export interface Acl {
  accounts: string[];
  global: boolean;
}

export const NO_GRANT: Grant = { accounts: null, global: false };

export function aclOf(p: PermissionsOnResource | undefined): Acl {
  return { accounts: [...(p?.AccountIds ?? [])], global: p?.GlobalPermission === true };
}

/** The grant of a list block value (zero or one element). */
export function grantOf(blockValue: Value | undefined): Grant {
  const el = Array.isArray(blockValue) ? blockValue[0] : undefined;
  if (!isObjectValue(el)) return NO_GRANT;
  const ids = Array.isArray(el.account_ids) ? el.account_ids.filter((a): a is string => typeof a === 'string') : null;
  return { accounts: ids, global: el.global_permission === 'true' };
}

/**
 * The block as refreshed from the OMI's ACL: accounts that no longer hold are dropped, a public (or private) flag
 * that no longer holds reads "false". No block stays no block.
 */
export function refreshBlock(blockValue: Value | undefined, acl: Acl, kind: 'additions' | 'removals'): Value[] {
  const el = Array.isArray(blockValue) ? blockValue[0] : undefined;
  if (!isObjectValue(el)) return [];
  const holds = (id: string) => (kind === 'additions' ? acl.accounts.includes(id) : !acl.accounts.includes(id));
  const ids = Array.isArray(el.account_ids) ? el.account_ids.filter((a) => typeof a === 'string' && holds(a)) : null;
  const flagHolds = kind === 'additions' ? acl.global : !acl.global;
  return [objectValue({ account_ids: ids, global_permission: el.global_permission === 'true' && flagHolds ? 'true' : 'false' })];
}

/** The whole ACL in the Go provider's shape: one element, `global_permission` as a string. */
export function permissionsToLaunchValue(acl: Acl): Value[] {
  return [objectValue({ account_ids: [...acl.accounts], global_permission: acl.global ? 'true' : 'false' })];
}

const minus = (a: string[] | null, b: string[] | null) => (a ?? []).filter((x) => !(b ?? []).includes(x));
const unique = (xs: string[]) => [...new Set(xs)];

function request(accounts: string[], global: boolean): PermissionsOnResource | undefined {
  if (accounts.length === 0 && !global) return undefined;
  return { ...(accounts.length > 0 ? { AccountIds: unique(accounts) } : {}), ...(global ? { GlobalPermission: true } : {}) };
}

export interface PermissionCalls {
  additions?: PermissionsOnResource;
  removals?: PermissionsOnResource;
}

/**
 * From what holds now (the refreshed prior blocks; NO_GRANT on create) to what is planned. Accounts dropped from
 * `permission_additions` were granted by this resource and are revoked; dropping one from `permission_removals`
 * gives nothing back.
 */
export function callsFor(prior: { add: Grant; remove: Grant }, planned: { add: Grant; remove: Grant }): PermissionCalls {
  const grant = minus(planned.add.accounts, prior.add.accounts);
  const revoke = [...minus(prior.add.accounts, planned.add.accounts), ...minus(planned.remove.accounts, prior.remove.accounts)];
  const makePublic = planned.add.global && !prior.add.global;
  const makePrivate = (prior.add.global && !planned.add.global) || (planned.remove.global && !prior.remove.global);
  const additions = request(grant, makePublic);
  const removals = request(revoke.filter((a) => !grant.includes(a)), makePrivate && !makePublic);
  return { ...(additions ? { additions } : {}), ...(removals ? { removals } : {}) };
}

/** What destroy revokes: the accounts (and the public flag) this resource granted and that still hold. */
export function undoCalls(prior: { add: Grant }): PermissionCalls {
  const removals = request(prior.add.accounts ?? [], prior.add.global);
  return removals ? { removals } : {};
}

/** Accounts listed in both blocks, and "true" in both: contradictions caught at plan time. */
export function contradictions(config: ObjectValue): string[] {
  const add = grantOf(config.permission_additions);
  const remove = grantOf(config.permission_removals);
  const both = (add.accounts ?? []).filter((a) => (remove.accounts ?? []).includes(a));
  const problems = both.map((a) => `account ${a} is in both permission_additions and permission_removals`);
  if (add.global && remove.global) problems.push('global_permission is "true" in both permission_additions and permission_removals');
  return problems;
}
