// Whose OMI is it? The caller's account id comes from ReadAccounts, asked at most once per provider process and only
// when an answer depends on it (deleting an OMI the API refuses to delete, importing an OMI).

import type { Diagnostics } from '../../framework/diagnostics.js';
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

/**
 * The owner of `image` when it is known to be another account than the caller's; undefined when it is the caller's
 * or cannot be told (ReadAccounts refused, e.g. to a user without the right, or failed).
 */
export async function foreignOwner(osc: OscClient, image: Image, options: CallOptions = {}): Promise<string | undefined> {
  const owner = image.AccountId;
  if (owner === undefined || owner === '') return undefined;
  let caller: string | undefined;
  try {
    caller = await callerAccountId(osc, options);
  } catch (e) {
    osc.log.debug('ReadAccounts failed: the owner of an OMI cannot be compared', { error: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
  return caller !== undefined && caller !== owner ? owner : undefined;
}

/** Import: a warning when the OMI belongs to another account (Terraform could never delete it). Best effort. */
export async function warnIfForeign(osc: OscClient, id: string, diagnostics: Diagnostics, options: CallOptions = {}): Promise<void> {
  let image: Image | undefined;
  try {
    image = (await osc.readImages({ Filters: { ImageIds: [id] } }, options)).Images?.find((i) => i.ImageId === id);
  } catch {
    return; // the read that follows the import reports a real problem
  }
  const owner = image ? await foreignOwner(osc, image, options) : undefined;
  if (owner === undefined) return;
  diagnostics.warning(
    `${id} belongs to another account`,
    `${id} is owned by account ${owner}, not by the account of these credentials. Terraform can track it, but ` +
      'destroying it will fail: the API does not let this account delete it. To stop managing it later, use ' +
      '`terraform state rm` instead of destroy.',
  );
}
