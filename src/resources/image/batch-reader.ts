// Reads of single OMIs made at about the same time — Terraform refreshes up to 10 resources at once, and waits for
// many new OMIs in parallel — go to the API as one ReadImages call with every id. Fewer calls: less throttling on
// large configurations, and less per-resource overhead.

import type { CallOptions, OscClient } from '../../outscale/client.js';
import type { Image } from '../../outscale/types.js';

interface Waiting {
  id: string;
  resolve: (image: Image | undefined) => void;
  reject: (e: unknown) => void;
}

const WINDOW_MS = 10;
const MAX_IDS = 500;

class ImageBatchReader {
  private pending: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private options: CallOptions = {};

  constructor(private readonly client: OscClient) {}

  read(id: string, options: CallOptions): Promise<Image | undefined> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) this.options = options;
      this.pending.push({ id, resolve, reject });
      if (this.pending.length >= MAX_IDS) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), WINDOW_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    const options = this.options;
    this.pending = [];
    const ids = [...new Set(batch.map((w) => w.id))];
    this.client.readImages({ Filters: { ImageIds: ids } }, options).then(
      (res) => {
        const byId = new Map((res.Images ?? []).map((i) => [i.ImageId, i]));
        for (const w of batch) w.resolve(byId.get(w.id));
      },
      (e: unknown) => batch.forEach((w) => w.reject(e)),
    );
  }
}

const readers = new WeakMap<OscClient, ImageBatchReader>();

/** The OMI with this id, or undefined when the API does not list it; batched with concurrent reads. */
export function readImageBatched(client: OscClient, id: string, options: CallOptions = {}): Promise<Image | undefined> {
  let reader = readers.get(client);
  if (!reader) readers.set(client, (reader = new ImageBatchReader(client)));
  return reader.read(id, options);
}
