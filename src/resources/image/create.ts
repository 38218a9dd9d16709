// Sending CreateImage so that one configured OMI gives at most one OMI, whatever happens to the call:
// - a CreateImage that was sent is never cancelled (Ctrl-C included): its answer carries the id to record in state;
// - after an ambiguous failure (a 5xx that is not throttling, a connection lost or silent after the request was
//   sent) the OMI may exist. CreateImage has no ClientToken, but OMI names are unique per account, so the name is
//   the idempotency key: an OMI with that exact name created since this call started (allowing for clock skew) is
//   ours. If none is listed, CreateImage is sent again; should the first one have executed after all but not be
//   visible yet, the repeat fails with a name conflict (409 / 9000), which leads to more look-ups, not a duplicate.
// - without a name there is no key: the error says what may exist and how to find it.

import type { CallOptions, OscClient } from '../../outscale/client.js';
import { OscApiError, OscOutcomeUnknownError, isAbortError } from '../../outscale/errors.js';
import { abortableSleep, backoffDelay, classifyFailure } from '../../outscale/retry.js';
import type { CreateImageRequest, Image } from '../../outscale/types.js';

/** Signed requests are only accepted within 5 minutes of the server clock, so client/server skew is below that. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface CreateImageResult {
  image: Image;
  /** true when the OMI was found by name after an ambiguous failure instead of returned by CreateImage. */
  recovered: boolean;
  requestId?: string;
}

export interface CreateImageOptions {
  /** Ctrl-C: stops retries and look-ups between calls, never a CreateImage that was sent. */
  signal?: AbortSignal;
  /** Absolute epoch ms (the create timeout). */
  deadline?: number;
  /** CreateImage sends after an ambiguous failure (each followed by a look-up), default 3. */
  maxCreateAttempts?: number;
  /** Test hooks. */
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal | undefined, action: string) => Promise<void>;
}

const isNameConflict = (e: unknown) => e instanceof OscApiError && (e.httpStatus === 409 || e.hasCode(9000));

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** CreateImage without duplicates and without orphans; see the comment at the top. */
export async function createImageRecovering(
  osc: OscClient,
  request: CreateImageRequest,
  options: CreateImageOptions = {},
): Promise<CreateImageResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const maxAttempts = Math.max(1, options.maxCreateAttempts ?? 3);
  const startedAt = now();
  const name = request.ImageName;
  const send: CallOptions = { signal: options.signal, deadline: options.deadline, completeOnceSent: true };
  // Look-ups must run after Ctrl-C too: they are how an OMI that may exist gets into state.
  const lookup: CallOptions = { deadline: options.deadline };
  let ambiguity: unknown;
  let delay = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      if (delay > 0) await sleep(delay, options.signal, 'CreateImage');
      const res = await osc.createImage(request, send);
      if (!res.Image?.ImageId) throw new Error('CreateImage succeeded but its answer carries no image id.');
      return { image: res.Image, recovered: false, requestId: res.ResponseContext?.RequestId };
    } catch (err) {
      // Cancelled before the request was sent (completeOnceSent), or in the pause before a repeat: that made nothing.
      if (isAbortError(err) && ambiguity === undefined) throw err;
      const conflictAfterAmbiguity = ambiguity !== undefined && isNameConflict(err);
      if (!isAbortError(err) && !conflictAfterAmbiguity && classifyFailure(err) !== 'ambiguous') throw err;
      const cause = isAbortError(err) ? ambiguity : err;
      if (name === undefined || name === '') throw unnamedOutcomeUnknown(cause, startedAt);
      ambiguity = cause;
      const found = await findCreated(osc, request, name, startedAt - CLOCK_SKEW_MS, conflictAfterAmbiguity ? 3 : 1, cause, lookup, options);
      if (found) {
        osc.log.warn('CreateImage outcome recovered by name look-up', { action: 'CreateImage', attempt, image_id: found.ImageId });
        return { image: found, recovered: true };
      }
      if (conflictAfterAmbiguity) throw err;
      if (options.signal?.aborted || attempt >= maxAttempts) throw namedOutcomeUnknown(cause, name, attempt, options.signal?.aborted === true);
      delay = backoffDelay(attempt - 1, osc.retrySettings, options.random);
      if (options.deadline !== undefined && now() + delay > options.deadline) throw namedOutcomeUnknown(cause, name, attempt, false);
      osc.log.warn('CreateImage outcome uncertain and no OMI found, creating again', { action: 'CreateImage', attempt, delay_ms: Math.round(delay) });
    }
  }
}

async function findCreated(
  osc: OscClient,
  request: CreateImageRequest,
  name: string,
  windowStart: number,
  tries: number,
  original: unknown,
  opts: CallOptions,
  options: CreateImageOptions,
): Promise<Image | undefined> {
  const sleep = options.sleep ?? abortableSleep;
  for (let i = 0; i < tries; i++) {
    if (i > 0) await sleep(backoffDelay(i - 1, osc.retrySettings, options.random), undefined, 'ReadImages');
    let images: Image[];
    try {
      images = (await osc.readImages({ Filters: { ImageNames: [name] } }, opts)).Images ?? [];
    } catch (lookupErr) {
      throw new OscOutcomeUnknownError(
        'CreateImage',
        `CreateImage outcome unknown: ${message(original)}. Looking the OMI up by its name ${JSON.stringify(name)} failed: ` +
          `${message(lookupErr)}. ${checkBeforeRetrying(name)}`,
        original,
      );
    }
    const candidates = images.filter((img) => isCandidate(img, request, name, windowStart));
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1) {
      throw new OscOutcomeUnknownError(
        'CreateImage',
        `CreateImage outcome unknown: ${message(original)}; ${candidates.length} recent OMIs are named ` +
          `${JSON.stringify(name)} (${candidates.map((c) => c.ImageId).join(', ')}).`,
        original,
      );
    }
  }
  return undefined;
}

function isCandidate(img: Image, request: CreateImageRequest, name: string, windowStart: number): boolean {
  if (img.ImageName !== name) return false;
  const created = img.CreationDate === undefined ? NaN : Date.parse(img.CreationDate);
  if (Number.isNaN(created) || created < windowStart) return false;
  if (request.Description !== undefined && (img.Description ?? '') !== request.Description) return false;
  return true;
}

function checkBeforeRetrying(name: string): string {
  return (
    `Before applying again, check whether it exists (ReadImages with the filter ImageNames = ["${name}"], or the ` +
    'console): if it does, import it with `terraform import outscale_image.<name> <ami-id>`; applying again without ' +
    'checking fails with a name conflict if it was created.'
  );
}

function namedOutcomeUnknown(cause: unknown, name: string, attempts: number, interrupted: boolean): OscOutcomeUnknownError {
  const why = interrupted ? 'the apply was interrupted before it appeared' : `CreateImage was sent ${attempts} time${attempts > 1 ? 's' : ''}`;
  return new OscOutcomeUnknownError(
    'CreateImage',
    `CreateImage outcome unknown (last: ${message(cause)}): no OMI named ${JSON.stringify(name)} was listed afterwards, ` +
      `but ${why}, and an OMI may still appear. ${checkBeforeRetrying(name)}`,
    cause,
  );
}

function unnamedOutcomeUnknown(cause: unknown, startedAt: number): OscOutcomeUnknownError {
  return new OscOutcomeUnknownError(
    'CreateImage',
    `CreateImage outcome unknown: ${message(cause)}. An OMI may have been created, and without image_name it cannot ` +
      `be found by name. Look for OMIs of your account created since ${new Date(startedAt - 60_000).toISOString()} ` +
      '(ReadImages with the filter AccountIds = [your account], sorted by CreationDate, or the console). If there is ' +
      'one, import it with `terraform import outscale_image.<name> <ami-id>` or delete it; do not simply apply again, ' +
      'which could create a second OMI. Setting image_name lets the provider recover from this by itself.',
    cause,
  );
}
