// What an action handler gets besides its request body.
import type { SandboxState } from './state.js';
import type { StateComment } from './types.js';

export interface ActionContext {
  state: SandboxState;
  accountId: string;
  region: string;
  nowMs: number;
  /** The StateComment a new image with this name must fail with, if the failImages fault matches it. */
  imageFailure(imageName: string): StateComment | undefined;
  /** The Comment a new export task to this bucket must fail with, if the failExportTasks fault matches it. */
  exportFailure(bucket: string): string | undefined;
}

export interface ActionHandler {
  /** Shape of the request body. */
  shape: import('./shape.js').Shape;
  /** Whether a successful call changes state (and so must be persisted). */
  mutates: boolean;
  run(body: Record<string, unknown>, ctx: ActionContext): Record<string, unknown>;
}

export const isoDate = (ms: number) => new Date(ms).toISOString();
