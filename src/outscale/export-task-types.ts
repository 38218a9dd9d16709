// Wire types of the image export calls (CreateImageExportTask, ReadImageExportTasks, DeleteExportTask).
import type { ResourceTag, ResponseContext } from './types.js';

export type DiskImageFormat = 'qcow2' | 'raw';

/** `pending/queued` → `pending` → `completed`; `failed` and `cancelled` are final too. */
export type ImageExportTaskState = 'pending/queued' | 'pending' | 'completed' | 'failed' | 'cancelled';

export interface OsuApiKey {
  ApiKeyId?: string;
  SecretKey?: string;
}

export interface OsuExportToCreate {
  DiskImageFormat: string;
  OsuBucket: string;
  OsuPrefix?: string;
  OsuManifestUrl?: string;
  OsuApiKey?: OsuApiKey;
}

export interface OsuExportImageExportTask {
  DiskImageFormat?: string;
  OsuBucket?: string;
  /** As the API reports it: the requested prefix followed by `/<image id>/`. */
  OsuPrefix?: string;
  OsuManifestUrl?: string;
}

export interface ImageExportTask {
  TaskId?: string;
  ImageId?: string;
  State?: string;
  Progress?: number;
  /** Why a task failed (also a plain description while it runs). */
  Comment?: string;
  OsuExport?: OsuExportImageExportTask;
  Tags?: ResourceTag[];
}

export interface CreateImageExportTaskRequest {
  ImageId: string;
  OsuExport: OsuExportToCreate;
  DryRun?: boolean;
}

export interface CreateImageExportTaskResponse {
  ImageExportTask?: ImageExportTask;
  ResponseContext?: ResponseContext;
}

export interface FiltersImageExportTask {
  ImageIds?: string[];
  TaskIds?: string[];
}

export interface ReadImageExportTasksRequest {
  DryRun?: boolean;
  Filters?: FiltersImageExportTask;
  NextPageToken?: string;
  ResultsPerPage?: number;
}

export interface ReadImageExportTasksResponse {
  ImageExportTasks?: ImageExportTask[];
  NextPageToken?: string;
  ResponseContext?: ResponseContext;
}

/** Cancels an export task; the API refuses once the task has left `pending/queued` / `pending`. */
export interface DeleteExportTaskRequest {
  ExportTaskId: string;
  DryRun?: boolean;
}

export interface DeleteExportTaskResponse {
  ResponseContext?: ResponseContext;
}

export interface ExportTaskActions {
  CreateImageExportTask: { request: CreateImageExportTaskRequest; response: CreateImageExportTaskResponse };
  ReadImageExportTasks: { request: ReadImageExportTasksRequest; response: ReadImageExportTasksResponse };
  DeleteExportTask: { request: DeleteExportTaskRequest; response: DeleteExportTaskResponse };
}
