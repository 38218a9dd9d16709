// The API actions the sandbox answers.
import { readAccounts } from './accounts.js';
import type { ActionHandler } from './context.js';
import { createImageExportTask, deleteExportTask, readImageExportTasks } from './export-tasks.js';
import { createImage } from './image-create.js';
import { readImages } from './image-read.js';
import { deleteImage, updateImage } from './image-update.js';
import { createSnapshot, readSnapshots } from './snapshots.js';
import { createTags, deleteTags } from './tags.js';
import { createVms, readVms } from './vms.js';

export const ACTIONS: Record<string, ActionHandler> = {
  CreateImage: createImage,
  ReadImages: readImages,
  UpdateImage: updateImage,
  DeleteImage: deleteImage,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  CreateVms: createVms,
  ReadVms: readVms,
  CreateSnapshot: createSnapshot,
  ReadSnapshots: readSnapshots,
  ReadAccounts: readAccounts,
  CreateImageExportTask: createImageExportTask,
  ReadImageExportTasks: readImageExportTasks,
  DeleteExportTask: deleteExportTask,
};
