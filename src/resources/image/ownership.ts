// Whose OMI is it? The caller's account id comes from ReadAccounts, asked at most once per provider process and only
// when an answer depends on it (deleting an OMI the API refuses to delete, importing an OMI).

import type { CallOptions, OscClient } from '../../outscale/client.js';
import type { Image } from '../../outscale/types.js';

const callerAccounts = new WeakMap<OscClient, Promise<string | undefined>>();

/** The account id of the credentials in use; undefined when the API does not say. */
export function callerAccountId(osc: OscClient, options: CallOptions = {}): Promise<string | undefined> {
  let known = callerAccounts.get(osc);
  if (!known) {
    known = osc.readAccounts({}, options).then((res) => res.Accounts?.[0]?.AccountId);
    callerAccounts.set(osc, known);
    // a failed look-up is not remembered: the next caller asks again
    known.catch(() => callerAccounts.delete(osc));
  }
  return known;
}

/** The owner of `image` when it is known to be another account than the caller's. */
export async function foreignOwner(osc: OscClient, image: Image, options: CallOptions = {}): Promise<string | undefined> {
  const owner = image.AccountId;
  if (owner === undefined || owner === '') return undefined;
  const caller = await callerAccountId(osc, options);
  return caller !== undefined && caller !== owner ? owner : undefined;
}
