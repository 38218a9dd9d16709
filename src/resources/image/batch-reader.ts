// Reads of single OMIs made at about the same time — Terraform refreshes up to 10 resources at once, and waits for
// many new OMIs in parallel — go to the API as one ReadImages call with every id. Fewer calls: less throttling on
// large configurations, and less per-resource overhead. Each caller keeps its own cancellation: the shared call runs
// until the latest deadline of its callers, and is cancelled only when every one of them has given up (signal or
// deadline); a caller that gives up is answered alone, at once.

import type { CallOptions, OscClient } from '../../outscale/client.js';
import { OscAbortError, OscNetworkError, isAbortError } from '../../outscale/errors.js';
import { classifyFailure } from '../../outscale/retry.js';
import type { Image } from '../../outscale/types.js';

interface Waiting {
  id: string;
  options: CallOptions;
  settled: boolean;
  /** Called when this caller's signal aborts after its batch was sent. */
  onGiveUp?: () => void;
  resolve: (image: Image | undefined) => void;
  reject: (e: unknown) => void;
  detach: () => void;
}

const WINDOW_MS = 10;
const MAX_IDS = 500;

function settle(w: Waiting, outcome: { image: Image | undefined } | { error: unknown }): void {
  if (w.settled) return;
  w.settled = true;
  w.detach();
  if ('error' in outcome) w.reject(outcome.error);
  else w.resolve(outcome.image);
}

/** The latest deadline of the callers; none when one of them has none. */
function latestDeadline(batch: Waiting[]): number | undefined {
  let latest = -Infinity;
  for (const w of batch) {
    if (w.options.deadline === undefined) return undefined;
    latest = Math.max(latest, w.options.deadline);
  }
  return latest;
}

class ImageBatchReader {
  private pending: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: OscClient) {}

  read(id: string, options: CallOptions): Promise<Image | undefined> {
    return new Promise((resolve, reject) => {
      const signal = options.signal;
      if (signal?.aborted) return reject(new OscAbortError('ReadImages', signal.reason));
      const giveUp = (error: Error) => {
        this.pending = this.pending.filter((p) => p !== w);
        settle(w, { error });
        w.onGiveUp?.();
      };
      const onAbort = () => giveUp(new OscAbortError('ReadImages', signal?.reason));
      const deadline = options.deadline;
      const timer =
        deadline === undefined ? undefined : setTimeout(() => giveUp(this.deadlineError(deadline)), Math.max(0, deadline - Date.now()));
      const w: Waiting = {
        id,
        options,
        settled: false,
        resolve,
        reject,
        detach: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.push(w);
      if (this.pending.length >= MAX_IDS) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), WINDOW_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const controller = new AbortController();
    let staying = batch.length;
    for (const w of batch) {
      w.onGiveUp = () => {
        if (--staying === 0) controller.abort(new Error('every caller gave up'));
      };
    }
    const ids = [...new Set(batch.map((w) => w.id))];
    this.client.readImages({ Filters: { ImageIds: ids } }, { signal: controller.signal, deadline: latestDeadline(batch) }).then(
      (res) => {
        const byId = new Map((res.Images ?? []).map((i) => [i.ImageId, i]));
        for (const w of batch) settle(w, { image: byId.get(w.id) });
      },
      (e: unknown) => {
        // A request the API rejects (4xx) may be about one id only: each caller then gets the answer for its own id.
        if (ids.length > 1 && !isAbortError(e) && classifyFailure(e) === 'fatal') {
          for (const w of batch) if (!w.settled) this.readAlone(w);
          return;
        }
        for (const w of batch) settle(w, { error: e });
      },
    );
  }

  /** What a caller whose own deadline passed gets while the shared call goes on for others. */
  private deadlineError(deadline: number): Error {
    return new OscNetworkError({
      action: 'ReadImages',
      host: new URL(this.client.endpoint).host,
      kind: 'timeout',
      mayHaveExecuted: true,
      reason: `no answer before the deadline of this read (${new Date(deadline).toISOString()})`,
    });
  }

  private readAlone(w: Waiting): void {
    this.client.readImages({ Filters: { ImageIds: [w.id] } }, w.options).then(
      (res) => settle(w, { image: res.Images?.find((i) => i.ImageId === w.id) }),
      (e: unknown) => settle(w, { error: e }),
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
