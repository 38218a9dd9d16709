// Refresh reads: Terraform reads every OMI of the state once per plan, ten at a time. Batching those reads by id still
// costs a call per wave (N/4 calls for N OMIs); instead, the reads that arrive together with the command's first one
// go by id (one batched call), and every later one is answered from one listing of the account's OMIs (all pages),
// so a refresh costs at most two ReadImages calls whatever N. A plan of one OMI stays one call by id. An OMI missing
// from the listing (shared by another account, deleted, or created after it) is read by id.
//
// The listing belongs to one API client, i.e. to one provider session (one command's walk): nothing is reused
// across commands. Waits after create and delete never use it (they need the API's current answer).

import type { CallOptions, OscClient } from '../../outscale/client.js';
import type { Image } from '../../outscale/types.js';
import { readImageBatched, WINDOW_MS } from './batch-reader.js';

/** A listing answers the reads that come within this time after it was asked for. */
const FRESH_MS = 60_000;

interface Listing {
  accountId: string;
  askedAt: number;
  images: Promise<Map<string, Image> | undefined>;
}

class RefreshReader {
  private firstReadAt: number | undefined;
  private listing: Listing | undefined;

  constructor(private readonly client: OscClient) {}

  async read(id: string, accountId: string | undefined, options: CallOptions): Promise<Image | undefined> {
    const now = Date.now();
    this.firstReadAt ??= now;
    // with the first read, in the same batch
    if (now - this.firstReadAt < WINDOW_MS || accountId === undefined) return readImageBatched(this.client, id, options);
    const listed = await this.listed(accountId, options);
    return listed?.get(id) ?? readImageBatched(this.client, id, options);
  }

  private listed(accountId: string, options: CallOptions): Promise<Map<string, Image> | undefined> {
    const current = this.listing;
    if (current && current.accountId === accountId && Date.now() - current.askedAt < FRESH_MS) return current.images;
    const images = this.client.readImages({ Filters: { AccountIds: [accountId] } }, options).then(
      (res) => new Map((res.Images ?? []).map((image) => [image.ImageId ?? '', image])),
      // the reads go by id then (their own errors, their own deadlines)
      () => undefined,
    );
    this.listing = { accountId, askedAt: Date.now(), images };
    return images;
  }
}

const readers = new WeakMap<OscClient, RefreshReader>();

/**
 * The OMI with this id for a refresh (ReadResource), or undefined when the API does not list it. `accountId` is the
 * owner recorded in state: the listing is of that account's OMIs.
 */
export function readImageForRefresh(
  client: OscClient,
  id: string,
  accountId: string | undefined,
  options: CallOptions = {},
): Promise<Image | undefined> {
  let reader = readers.get(client);
  if (!reader) readers.set(client, (reader = new RefreshReader(client)));
  return reader.read(id, accountId, options);
}
