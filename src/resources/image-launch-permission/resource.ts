// outscale_image_launch_permission: create and update send the Additions and the Removals they need as two separate
// UpdateImage calls; read narrows each block to what still holds (drift shows as an in-place change); delete revokes
// what this resource granted. A resource whose OMI is gone leaves the state; a public-only grant stays.
import type { OscClient } from '../../outscale/client.js';
import type { Image } from '../../outscale/types.js';
import { isNotFoundError } from '../../outscale/errors.js';
import { objectValue, UNKNOWN, type ObjectValue } from '../../protocol/value.js';
import type { Diagnostics } from '../../framework/diagnostics.js';
import type { PlanContext } from '../../framework/plan.js';
import { hasUnknown } from '../../framework/values.js';
import type { ApplyResult, ResourceDefinition } from '../../framework/resource.js';
import { knownOrNull, oscClient, timeoutMs, type OscContext } from '../shared/context.js';
import { goProviderUpgrade } from '../shared/go-provider.js';
import {
  aclOf,
  callsFor,
  contradictions,
  grantOf,
  NO_GRANT,
  permissionsToLaunchValue,
  refreshBlock,
  undoCalls,
  type Grant,
  type PermissionCalls,
} from './permissions.js';
import { LAUNCH_PERMISSION_TIMEOUTS_MS, launchPermissionBlock, launchPermissionSchema } from './schema.js';

const IMAGE_ID = /^ami-[0-9a-zA-Z]+$/;
type Op = keyof typeof LAUNCH_PERMISSION_TIMEOUTS_MS;

const deadline = (state: ObjectValue, op: Op) => Date.now() + timeoutMs(state, op, LAUNCH_PERMISSION_TIMEOUTS_MS);

/** The state as the OMI shows it: the blocks narrowed to what holds, the ACL, the description. */
function stateFromImage(image: Image, carried: ObjectValue): ObjectValue {
  const acl = aclOf(image.PermissionsToLaunch);
  return objectValue({
    id: image.ImageId ?? knownOrNull(carried.image_id),
    image_id: image.ImageId ?? knownOrNull(carried.image_id),
    description: image.Description ?? '',
    permissions_to_launch: permissionsToLaunchValue(acl),
    request_id: knownOrNull(carried.request_id),
    permission_additions: refreshBlock(carried.permission_additions, acl, 'additions'),
    permission_removals: refreshBlock(carried.permission_removals, acl, 'removals'),
    timeouts: knownOrNull(carried.timeouts),
  });
}

function grants(state: ObjectValue | null): { add: Grant; remove: Grant } {
  if (state === null) return { add: NO_GRANT, remove: NO_GRANT };
  return { add: grantOf(state.permission_additions), remove: grantOf(state.permission_removals) };
}

interface Sent {
  calls: number;
  image?: Image;
  requestId?: string;
}

/** Additions first, then Removals, each its own UpdateImage; `sent` tells how far it got if one fails. */
async function send(imageId: string, calls: PermissionCalls, ctx: OscContext, until: number, sent: Sent): Promise<void> {
  const osc = oscClient(ctx);
  for (const [key, change] of [['Additions', calls.additions], ['Removals', calls.removals]] as const) {
    if (!change) continue;
    const res = await osc.updateImage({ ImageId: imageId, PermissionsToLaunch: { [key]: change } }, { signal: ctx.signal, deadline: until });
    sent.calls++;
    if (res.Image) sent.image = res.Image;
    if (res.ResponseContext?.RequestId) sent.requestId = res.ResponseContext.RequestId;
  }
}

async function readImage(id: string, ctx: OscContext, until: number): Promise<Image | undefined> {
  return oscClient(ctx).readImage(id, { signal: ctx.signal, deadline: until });
}

/** Create and update: the calls from `prior` to `planned`, then the state the OMI shows. */
async function apply(prior: ObjectValue | null, planned: ObjectValue, result: ApplyResult, ctx: OscContext, op: Op): Promise<void> {
  const id = String(planned.image_id);
  const until = deadline(planned, op);
  const sent: Sent = { calls: 0 };
  try {
    await send(id, callsFor(grants(prior), grants(planned)), ctx, until, sent);
  } catch (e) {
    // what exists: after a first call that succeeded, the OMI shows part of the plan
    const carried = sent.calls > 0 ? planned : prior;
    const image = carried ? await readImage(id, ctx, until).catch(() => undefined) : undefined;
    if (image && carried) result.state = stateFromImage(image, objectValue({ ...carried, request_id: sent.requestId ?? knownOrNull(prior?.request_id) ?? '' }));
    if (!isNotFoundError(e)) throw e;
    ctx.diagnostics.fromError(e, `Cannot change the launch permissions of ${id} (it does not exist or is not yours)`, [{ attribute: 'image_id' }]);
    return;
  }
  const carried = objectValue({ ...planned, request_id: sent.requestId ?? knownOrNull(prior?.request_id) ?? '' });
  const image = await readImage(id, ctx, until);
  if (!image) {
    ctx.diagnostics.error('OMI not found', `${id} is not listed by the API.`, [{ attribute: 'image_id' }]);
    return;
  }
  result.state = stateFromImage(image, carried);
}

async function read(req: { state: ObjectValue }, ctx: OscContext): Promise<ObjectValue | null> {
  const id = req.state.image_id ?? req.state.id;
  if (typeof id !== 'string' || id === '') return null;
  const image = await readImage(id, ctx, deadline(req.state, 'read'));
  return image ? stateFromImage(image, req.state) : null;
}

async function remove(req: { prior: ObjectValue }, ctx: OscContext): Promise<void> {
  const id = String(req.prior.image_id ?? req.prior.id);
  try {
    await send(id, undoCalls(grants(req.prior)), ctx, deadline(req.prior, 'delete'), { calls: 0 });
  } catch (e) {
    if (!isNotFoundError(e)) throw e; // the OMI is gone: nothing left to revoke
  }
}

/** Adopts the OMI's current sharing as what this resource grants. */
async function importState(id: string, ctx: OscContext): Promise<ObjectValue> {
  const empty = objectValue({ id: null, image_id: null, description: null, permissions_to_launch: null, request_id: null, permission_additions: [], permission_removals: [], timeouts: null });
  if (!IMAGE_ID.test(id)) {
    ctx.diagnostics.error('Invalid import id', `Expected an OMI id such as "ami-12345678", got "${id}".`);
    return empty;
  }
  const image = await readImage(id, ctx, deadline(empty, 'read'));
  if (!image) {
    ctx.diagnostics.error('OMI not found', `${id} is not listed by the API (or not visible to this account).`);
    return empty;
  }
  const acl = aclOf(image.PermissionsToLaunch);
  const shared = acl.accounts.length > 0 || acl.global;
  const additions = shared ? [objectValue({ account_ids: acl.accounts.length > 0 ? acl.accounts : null, global_permission: acl.global ? 'true' : 'false' })] : [];
  return stateFromImage(image, objectValue({ ...empty, image_id: id, request_id: '', permission_additions: additions }));
}

function validate(config: ObjectValue, diagnostics: Diagnostics): void {
  for (const problem of contradictions(config)) {
    diagnostics.error('Contradictory launch permissions', `The configuration both grants and removes: ${problem}.`, [{ attribute: 'permission_removals' }]);
  }
}

/** The ACL and the request id change only when the sharing does. */
function modifyPlan(ctx: PlanContext): void {
  if (ctx.prior === null) return;
  const blocks = [ctx.planned.permission_additions ?? null, ctx.planned.permission_removals ?? null];
  const unchanged = !blocks.some(hasUnknown) && JSON.stringify(grants(ctx.prior)) === JSON.stringify(grants(ctx.planned));
  if (unchanged) ctx.planned.permissions_to_launch = ctx.prior.permissions_to_launch ?? null;
  else ctx.planned.request_id = UNKNOWN;
}

export const imageLaunchPermissionResource: ResourceDefinition<OscClient, typeof launchPermissionBlock> = {
  typeName: 'outscale_image_launch_permission',
  schema: launchPermissionSchema,
  validate,
  modifyPlan,
  create: (req, result, ctx) => apply(null, req.planned, result, ctx, 'create'),
  read,
  update: (req, result, ctx) => {
    result.state = req.prior;
    return apply(req.prior, req.planned, result, ctx, 'update');
  },
  delete: remove,
  importState,
  upgradeState: goProviderUpgrade('outscale_image_launch_permission', launchPermissionBlock, 'image_id'),
};
