// The accounts the sandbox knows: the caller's (one per configured key) and the public-image publisher.
import type { ActionHandler } from './context.js';

export const PUBLISHER_ACCOUNT_ID = '999999999999';
export const PUBLISHER_ACCOUNT_ALIAS = 'Outscale';

/** Only the publisher has an alias, as only provider-owned images carry one on the real API. */
export function aliasOf(accountId: string): string | undefined {
  return accountId === PUBLISHER_ACCOUNT_ID ? PUBLISHER_ACCOUNT_ALIAS : undefined;
}

/** ReadAccounts: the account that sent the request (the only one the spec's answer holds). */
export const readAccounts: ActionHandler = {
  mutates: false,
  shape: { object: { DryRun: 'boolean' } },
  run(_body, ctx) {
    return { Accounts: [{ AccountId: ctx.accountId }] };
  },
};
