// outscale_image: create (four modes), wait, tag, read, in-place updates, delete, import, and states written by the
// official Go provider. An OMI that was created is always recorded in state: the id goes into the result as soon as
// CreateImage answers, so a failed wait, a failed tagging or Ctrl-C returns it with the error (Terraform taints it).

import type { OscClient } from '../../outscale/client.js';
import { OscApiError, isAbortError, isNotFoundError } from '../../outscale/errors.js';
import type { Image, ResourceTag } from '../../outscale/types.js';
import { valueEquals } from '../../protocol/codec/index.js';
import { isObjectValue, objectValue, type ObjectValue, type Value } from '../../protocol/value.js';
import { parseDuration } from '../../framework/duration.js';
import type { ApplyResult, CallContext, ResourceDefinition } from '../../framework/resource.js';
import { readImageBatched } from './batch-reader.js';
import { createImageRequest, tagsFromValue, tagsToValue } from './convert.js';
import { nameConflictDetail } from './name-conflict.js';
import { ADOPT_CREATE_INPUTS, planImage } from './plan.js';
import { DEFAULT_TIMEOUTS_MS, imageBlock, imageSchema, UNREADABLE_INPUTS } from './schema.js';
import { knownOrNull, stateFromImage } from './state.js';
import { upgradeImageState } from './upgrade.js';
import { validateImageConfig } from './validate.js';
import { createImageRecovering } from './create.js';
import { foreignOwner, warnIfForeign } from './ownership.js';
import { ImageStateError, pollUntil, waitForImage, WaitTimeoutError } from './wait.js';

type Ctx = CallContext<OscClient>;
type Operation = keyof typeof DEFAULT_TIMEOUTS_MS;

const IMAGE_ID = /^ami-[0-9a-zA-Z]+$/;
/** How long an own OMI the API calls nonexistent may stay listed (eventual consistency after a delete). */
const NOT_OURS_GRACE_MS = 15_000;

function timeoutMs(state: ObjectValue, op: Operation): number {
  const t = state.timeouts;
  const text = isObjectValue(t) && typeof t[op] === 'string' ? (t[op] as string) : undefined;
  return (text !== undefined ? parseDuration(text) : undefined) ?? DEFAULT_TIMEOUTS_MS[op];
}

function client(ctx: Ctx): OscClient {
  if (!ctx.client) throw new Error('The provider is not configured.');
  return ctx.client;
}

function describeStateComment(image: Image): string {
  const c = image.StateComment;
  const parts = [c?.StateCode, c?.StateMessage].filter((p) => p !== undefined && p !== '');
  return parts.length > 0 ? parts.join(': ') : 'no state comment given';
}

function waitAvailable(id: string, timeout: number, ctx: Ctx): Promise<Image> {
  const osc = client(ctx);
  return waitForImage({ id, timeoutMs: timeout, signal: ctx.signal, read: (options) => readImageBatched(osc, id, options) });
}

async function create(req: { planned: ObjectValue; config: ObjectValue }, result: ApplyResult, ctx: Ctx): Promise<void> {
  const osc = client(ctx);
  const request = createImageRequest(req.config);
  const deadline = Date.now() + timeoutMs(req.config, 'create');
  let created;
  try {
    created = await createImageRecovering(osc, request, { signal: ctx.signal, deadline });
  } catch (e) {
    if (e instanceof OscApiError && (e.httpStatus === 409 || e.hasCode(9000)) && request.ImageName) {
      await explainNameConflict(request.ImageName, e, ctx);
      return;
    }
    throw e;
  }
  const id = created.image.ImageId;
  if (!id) throw new Error('CreateImage answered without an image id.');
  const carried = objectValue({ ...req.planned, request_id: created.requestId ?? '' });
  result.state = stateFromImage(created.image, carried);

  const describe = `The OMI ${id} was created and is recorded in state; Terraform marks it tainted, so the next apply replaces it.`;
  let image: Image;
  try {
    image = await waitAvailable(id, Math.max(0, deadline - Date.now()), ctx);
  } catch (e) {
    if (isAbortError(e) || ctx.signal.aborted) ctx.diagnostics.error('Interrupted while waiting for the OMI', describe);
    else if (e instanceof WaitTimeoutError) ctx.diagnostics.error('Timed out waiting for the OMI', `${e.message}. ${describe}`);
    else if (e instanceof ImageStateError) ctx.diagnostics.error('The OMI did not become available', `${e.message}. ${describe}`);
    else ctx.diagnostics.fromError(e, `Failed while waiting for OMI ${id} to become available`);
    return;
  }
  result.state = stateFromImage(image, carried);
  if (image.State === 'failed') {
    ctx.diagnostics.error(`The OMI ${id} failed`, `State comment: ${describeStateComment(image)}. ${describe}`);
    return;
  }
  const tags = tagsFromValue(req.config.tags ?? null);
  if (tags.length === 0) return;
  try {
    await osc.createTags({ ResourceIds: [id], Tags: tags }, { signal: ctx.signal, deadline });
  } catch (e) {
    ctx.diagnostics.fromError(e, `Failed to tag OMI ${id}`);
    return;
  }
  result.state = stateFromImage({ ...image, Tags: [...(image.Tags ?? []), ...tags] }, carried);
  // the tags are on the OMI: a failed re-read leaves the state above, which says what exists
  const fresh = await readImageBatched(osc, id, { signal: ctx.signal, deadline }).catch(() => undefined);
  if (fresh) result.state = stateFromImage(fresh, carried);
}

async function explainNameConflict(name: string, e: OscApiError, ctx: Ctx): Promise<void> {
  const existing = (await client(ctx).readImages({ Filters: { ImageNames: [name] } }, { signal: ctx.signal })).Images ?? [];
  const match = existing.find((i) => i.ImageName === name);
  ctx.diagnostics.error('OMI name already in use', nameConflictDetail(name, match?.ImageId, e.message), [{ attribute: 'image_name' }]);
}

async function read(req: { state: ObjectValue }, ctx: Ctx): Promise<ObjectValue | null> {
  const id = req.state.id;
  if (typeof id !== 'string' || id === '') return null;
  const image = await readImageBatched(client(ctx), id, { signal: ctx.signal, deadline: Date.now() + timeoutMs(req.state, 'read') });
  if (!image) return null; // deleted outside Terraform: the next plan creates it again
  return stateFromImage(image, req.state);
}

async function update(
  req: { prior: ObjectValue; planned: ObjectValue; config: ObjectValue },
  result: ApplyResult,
  ctx: Ctx,
): Promise<void> {
  const osc = client(ctx);
  const { prior, planned } = req;
  const id = String(prior.id);
  const options = { signal: ctx.signal, deadline: Date.now() + timeoutMs(req.config, 'update') };
  // What exists, step by step: a failure part-way leaves exactly the changes the API made.
  let current = prior;
  const record = (changes: Record<string, Value>) => {
    current = objectValue({ ...current, ...changes });
    result.state = current;
  };
  result.state = current;
  // create-only inputs adopted after an import, no_reboot and timeouts: stored as planned, no API call
  record(pickInputs(planned));

  const changed = (name: string, type: Parameters<typeof valueEquals>[2]) =>
    planned[name] !== null && !valueEquals(planned[name] ?? null, prior[name] ?? null, type);
  const updateRequest: { ImageId: string; Description?: string; ProductCodes?: string[] } = { ImageId: id };
  if (changed('description', 'string') && typeof planned.description === 'string') updateRequest.Description = planned.description;
  if (changed('product_codes', { kind: 'list', element: 'string' }) && Array.isArray(planned.product_codes))
    updateRequest.ProductCodes = planned.product_codes.filter((c): c is string => typeof c === 'string');
  if (updateRequest.Description !== undefined || updateRequest.ProductCodes !== undefined) {
    await osc.updateImage(updateRequest, options);
    record({
      ...(updateRequest.Description !== undefined ? { description: updateRequest.Description } : {}),
      ...(updateRequest.ProductCodes !== undefined ? { product_codes: [...updateRequest.ProductCodes] } : {}),
    });
  }

  const before = tagsFromValue(prior.tags ?? null);
  const after = tagsFromValue(req.config.tags ?? null);
  const { remove, add } = diffTags(before, after);
  let tags = before;
  if (remove.length > 0) {
    await osc.deleteTags({ ResourceIds: [id], Tags: remove }, options);
    tags = tags.filter((t) => !remove.some((r) => r.Key === t.Key));
    record({ tags: tagsToValue(tags) });
  }
  if (add.length > 0) {
    await osc.createTags({ ResourceIds: [id], Tags: add }, options);
    tags = [...tags, ...add];
    record({ tags: tagsToValue(tags) });
  }

  const image = await readImageBatched(osc, id, options);
  if (!image) {
    ctx.diagnostics.error('OMI disappeared', `${id} was not found after it was updated.`);
    return;
  }
  result.state = stateFromImage(image, current);
}

function pickInputs(planned: ObjectValue): Record<string, Value> {
  const o: Record<string, Value> = {};
  for (const name of UNREADABLE_INPUTS) o[name] = knownOrNull(planned[name]);
  o.timeouts = knownOrNull(planned.timeouts);
  return o;
}

/** Removed or changed keys are deleted (with their old value), then added or changed ones are created. */
export function diffTags(before: ResourceTag[], after: ResourceTag[]): { remove: ResourceTag[]; add: ResourceTag[] } {
  const want = new Map(after.map((t) => [t.Key, t.Value]));
  const have = new Map(before.map((t) => [t.Key, t.Value]));
  return {
    remove: before.filter((t) => want.get(t.Key) !== t.Value),
    add: after.filter((t) => have.get(t.Key) !== t.Value),
  };
}

async function remove(req: { prior: ObjectValue }, ctx: Ctx): Promise<void> {
  const osc = client(ctx);
  const id = String(req.prior.id);
  const deadline = Date.now() + timeoutMs(req.prior, 'delete');
  try {
    await osc.deleteImage({ ImageId: id }, { signal: ctx.signal, deadline });
  } catch (e) {
    if (!isNotFoundError(e)) throw e;
    // "no such image": gone already (e.g. a repeated DeleteImage), which is what delete wants — unless it is listed
    // and another account's (an imported public OMI): that one can never be deleted from here, say so at once.
    const listed = await readImageBatched(osc, id, { signal: ctx.signal, deadline });
    if (listed === undefined) return;
    const owner = await foreignOwner(osc, listed, { signal: ctx.signal, deadline });
    if (owner !== undefined) throw new ForeignImageError(id, owner, e as Error);
    // ours and still listed: eventual consistency after a delete; wait a short grace for it to go
    try {
      await pollUntil(async () => ((await readImageBatched(osc, id, { signal: ctx.signal })) ? undefined : true), {
        timeoutMs: Math.min(NOT_OURS_GRACE_MS, Math.max(0, deadline - Date.now())),
        signal: ctx.signal,
        describe: () => `waiting for ${id} to disappear`,
      });
      return;
    } catch (waitError) {
      if (!(waitError instanceof WaitTimeoutError)) throw waitError;
      throw new Error(`${id} is still listed but DeleteImage says it does not exist: ${(e as Error).message}`);
    }
  }
  await pollUntil(async () => ((await readImageBatched(osc, id, { signal: ctx.signal })) === undefined ? true : undefined), {
    timeoutMs: Math.max(0, deadline - Date.now()),
    signal: ctx.signal,
    describe: () => `waiting for ${id} to be deleted`,
  });
}

class ForeignImageError extends Error {
  constructor(
    readonly id: string,
    readonly owner: string,
    readonly apiError: Error,
  ) {
    super(`${id} belongs to account ${owner}`);
  }
  diagnosticSummary(): string {
    return `Cannot delete ${this.id}: it belongs to another account`;
  }
  diagnosticDetail(): string {
    return (
      `${this.id} is owned by account ${this.owner}, not by the account of these credentials, so it cannot be deleted ` +
      `from here. To stop managing it without deleting it, run:\n  terraform state rm <address of this outscale_image>\n` +
      `(${this.apiError.message})`
    );
  }
}

async function importState(id: string, ctx: Ctx): Promise<ObjectValue> {
  const state = objectValue();
  for (const name of Object.keys(imageBlock.attributes)) state[name] = null;
  state.tags = [];
  state.timeouts = null;
  if (!IMAGE_ID.test(id)) {
    ctx.diagnostics.error('Invalid import id', `Expected an OMI id such as "ami-12345678", got "${id}".`);
    return state;
  }
  state.id = id;
  state.image_id = id;
  state.request_id = ''; // the creating request is unknown for an imported OMI
  // how it was created is unknown: the next plan adopts the creation inputs the config gives, without replacement
  ctx.private.set(ADOPT_CREATE_INPUTS, true);
  if (ctx.client) await warnIfForeign(ctx.client, id, ctx.diagnostics, { signal: ctx.signal });
  return state;
}

export const imageResource: ResourceDefinition<OscClient, typeof imageBlock> = {
  typeName: 'outscale_image',
  schema: imageSchema,
  validate: validateImageConfig,
  modifyPlan: planImage,
  create,
  read,
  update,
  delete: remove,
  importState,
  upgradeState: upgradeImageState,
};
