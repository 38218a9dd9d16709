// UpdateImage and DeleteImage: the caller's own images only.
import type { ActionContext, ActionHandler } from './context.js';
import { errors } from './errors.js';
import { permissions, strings } from './shape.js';
import { imageView } from './state.js';
import type { StoredImage } from './types.js';

const ACCOUNT_ID = /^\d{12}$/;

interface PermissionChange {
  AccountIds?: string[];
  GlobalPermission?: boolean;
}

interface UpdateImageRequest {
  ImageId: string;
  Description?: string;
  PermissionsToLaunch?: { Additions?: PermissionChange; Removals?: PermissionChange };
  ProductCodes?: string[];
}

/** Unknown ids and images of other accounts both answer 5023: the caller cannot change what it does not own. */
export function ownImage(ctx: ActionContext, imageId: string): StoredImage {
  const image = ctx.state.activeImage(imageId);
  if (!image || image.AccountId !== ctx.accountId) throw errors.noSuchImage(imageId);
  return image;
}

function checkAccountIds(ids: string[] | undefined): void {
  for (const id of ids ?? []) {
    if (!ACCOUNT_ID.test(id)) throw errors.invalidPermissionFormat(`'${id}' is not a 12-digit account ID.`);
  }
}

export const updateImage: ActionHandler = {
  mutates: true,
  shape: {
    object: {
      DryRun: 'boolean',
      ImageId: 'string',
      Description: 'string',
      PermissionsToLaunch: { object: { Additions: permissions, Removals: permissions } },
      ProductCodes: strings,
    },
    required: ['ImageId'],
  },
  run(body, ctx) {
    const req = body as unknown as UpdateImageRequest;
    const image = ownImage(ctx, req.ImageId);
    const change = req.PermissionsToLaunch;
    if (change) {
      if (change.Additions && change.Removals) {
        throw errors.invalidParameterSet('Specify either Additions or Removals in PermissionsToLaunch, not both.');
      }
      if (!change.Additions && !change.Removals) {
        throw errors.invalidParameterSet('PermissionsToLaunch needs Additions or Removals.');
      }
      checkAccountIds(change.Additions?.AccountIds ?? change.Removals?.AccountIds);
    }
    if (req.Description !== undefined) image.Description = req.Description;
    if (req.ProductCodes !== undefined) image.ProductCodes = [...new Set(req.ProductCodes)];
    const perms = image.PermissionsToLaunch;
    if (change?.Additions) {
      for (const id of change.Additions.AccountIds ?? []) if (!perms.AccountIds.includes(id)) perms.AccountIds.push(id);
      if (change.Additions.GlobalPermission === true) perms.GlobalPermission = true;
    }
    if (change?.Removals) {
      const removed = new Set(change.Removals.AccountIds ?? []);
      perms.AccountIds = perms.AccountIds.filter((id) => !removed.has(id));
      if (change.Removals.GlobalPermission === true) perms.GlobalPermission = false;
    }
    return { Image: imageView(image) };
  },
};

export const deleteImage: ActionHandler = {
  mutates: true,
  shape: { object: { DryRun: 'boolean', ImageId: 'string' }, required: ['ImageId'] },
  run(body, ctx) {
    const image = ownImage(ctx, body.ImageId as string);
    image.internal.deletedAtMs = ctx.nowMs;
    ctx.state.settle();
    return {};
  },
};
