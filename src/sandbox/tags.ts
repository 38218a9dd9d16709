// CreateTags / DeleteTags on images, VMs and snapshots of the caller's account.
import type { ActionContext, ActionHandler } from './context.js';
import { errors } from './errors.js';
import { resourceTag, strings } from './shape.js';
import type { ResourceTag } from './types.js';

export const MAX_TAGS_PER_RESOURCE = 50;

function tagsOf(ctx: ActionContext, id: string): ResourceTag[] {
  if (id.startsWith('image-export-')) {
    const task = ctx.state.exportTasks.get(id);
    if (!task || task.AccountId !== ctx.accountId) throw errors.noSuchExportTask(id);
    return task.Tags;
  }
  const prefix = id.slice(0, id.indexOf('-') + 1);
  switch (prefix) {
    case 'ami-': {
      const image = ctx.state.activeImage(id);
      if (!image || image.AccountId !== ctx.accountId) throw errors.noSuchImage(id);
      return image.Tags;
    }
    case 'i-': {
      const vm = ctx.state.vms.get(id);
      if (!vm || vm.AccountId !== ctx.accountId) throw errors.noSuchVm(id);
      return vm.Tags;
    }
    case 'snap-': {
      const snapshot = ctx.state.snapshots.get(id);
      if (!snapshot || snapshot.AccountId !== ctx.accountId) throw errors.noSuchSnapshot(id);
      return snapshot.Tags;
    }
    default:
      throw errors.invalidIdPrefix(`The sandbox cannot tag '${id}' (taggable: ami-, i-, snap-, image-export-).`);
  }
}

interface TagsRequest {
  ResourceIds: string[];
  Tags: Array<{ Key: string; Value?: string }>;
}

function checkNonEmpty(req: TagsRequest): void {
  if (req.ResourceIds.length === 0) throw errors.missingParameter('ResourceIds');
  if (req.Tags.length === 0) throw errors.missingParameter('Tags');
}

export const createTags: ActionHandler = {
  mutates: true,
  shape: {
    object: { DryRun: 'boolean', ResourceIds: strings, Tags: { array: resourceTag(['Key', 'Value']) } },
    required: ['ResourceIds', 'Tags'],
  },
  run(body, ctx) {
    const req = body as unknown as TagsRequest;
    checkNonEmpty(req);
    for (const tag of req.Tags) {
      if (tag.Key.length < 1 || tag.Key.length > 255) throw errors.invalidTagKey('A tag key must be 1 to 255 characters.');
      if (tag.Value!.length > 255) throw errors.invalidTagValueLength('A tag value must be at most 255 characters.');
    }
    // Validate every resource before changing any, so a failing call changes nothing.
    const targets = req.ResourceIds.map((id) => ({ id, tags: tagsOf(ctx, id) }));
    for (const { id, tags } of targets) {
      const keys = new Set(tags.map((t) => t.Key));
      for (const t of req.Tags) keys.add(t.Key);
      if (keys.size > MAX_TAGS_PER_RESOURCE) {
        throw errors.tooManyTags(`'${id}' would carry ${keys.size} tags; the limit is ${MAX_TAGS_PER_RESOURCE}.`);
      }
    }
    for (const { tags } of targets) {
      for (const t of req.Tags) {
        const existing = tags.find((x) => x.Key === t.Key);
        if (existing) existing.Value = t.Value!;
        else tags.push({ Key: t.Key, Value: t.Value! });
      }
    }
    return {};
  },
};

export const deleteTags: ActionHandler = {
  mutates: true,
  shape: {
    object: { DryRun: 'boolean', ResourceIds: strings, Tags: { array: resourceTag(['Key']) } },
    required: ['ResourceIds', 'Tags'],
  },
  run(body, ctx) {
    const req = body as unknown as TagsRequest;
    checkNonEmpty(req);
    const targets = req.ResourceIds.map((id) => tagsOf(ctx, id));
    for (const tags of targets) {
      const kept = tags.filter((t) => !req.Tags.some((d) => d.Key === t.Key && (d.Value === undefined || d.Value === t.Value)));
      tags.splice(0, tags.length, ...kept);
    }
    return {};
  },
};
