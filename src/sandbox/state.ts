// In-memory resources of every account, with the lazily computed image life cycle and JSON (de)serialisation.
import { randomBytes } from 'node:crypto';
import type { ImageView, StoredExportTask, StoredImage, StoredSnapshot, StoredVm } from './types.js';

export interface StateTiming {
  imagePendingMs: number;
  deletePendingMs: number;
  /** Creation → final state of an image export task. */
  exportTaskMs: number;
}

export interface SerializedState {
  version: 1;
  images: StoredImage[];
  vms: StoredVm[];
  snapshots: StoredSnapshot[];
  /** Absent in files written before export tasks existed. */
  exportTasks?: StoredExportTask[];
}

export class SandboxState {
  readonly images = new Map<string, StoredImage>();
  readonly vms = new Map<string, StoredVm>();
  readonly snapshots = new Map<string, StoredSnapshot>();
  readonly exportTasks = new Map<string, StoredExportTask>();

  constructor(
    readonly region: string,
    readonly timing: StateTiming,
    readonly now: () => number,
  ) {}

  /** A fresh `prefix-xxxxxxxx` id (8 hex digits) not used by any resource. */
  newId(prefix: 'ami' | 'i' | 'snap' | 'vol' | 'r' | 'image-export'): string {
    for (;;) {
      const id = `${prefix}-${randomBytes(4).toString('hex')}`;
      if (!this.images.has(id) && !this.vms.has(id) && !this.snapshots.has(id) && !this.exportTasks.has(id) && !this.volumeExists(id))
        return id;
    }
  }

  volumeExists(volumeId: string): boolean {
    for (const vm of this.vms.values()) if (vm.volumes.some((v) => v.VolumeId === volumeId)) return true;
    return false;
  }

  /** Moves pending images whose delay has elapsed to their outcome and forgets images deleted long enough ago. */
  settle(): void {
    const now = this.now();
    for (const [id, image] of this.images) {
      const deletedAt = image.internal.deletedAtMs;
      if (deletedAt !== undefined && now >= deletedAt + this.timing.deletePendingMs) {
        this.images.delete(id);
        continue;
      }
      if (image.State === 'pending' && now >= image.internal.readyAtMs) {
        image.State = image.internal.outcome;
        image.StateComment = image.internal.outcome === 'failed' ? { ...(image.internal.failComment ?? {}) } : {};
      }
    }
  }

  /** Images that exist for the API (deleted ones in their grace period included). */
  liveImages(): StoredImage[] {
    this.settle();
    return [...this.images.values()];
  }

  /** An image that has not been deleted. */
  activeImage(id: string): StoredImage | undefined {
    this.settle();
    const image = this.images.get(id);
    return image && image.internal.deletedAtMs === undefined ? image : undefined;
  }

  serialize(): SerializedState {
    this.settle();
    return {
      version: 1,
      images: [...this.images.values()],
      vms: [...this.vms.values()],
      snapshots: [...this.snapshots.values()],
      exportTasks: [...this.exportTasks.values()],
    };
  }

  load(data: SerializedState): void {
    if (data.version !== 1) throw new Error(`unsupported sandbox state version ${String(data.version)}`);
    this.images.clear();
    this.vms.clear();
    this.snapshots.clear();
    this.exportTasks.clear();
    for (const image of data.images) this.images.set(image.ImageId, image);
    for (const vm of data.vms) this.vms.set(vm.VmId, vm);
    for (const snapshot of data.snapshots) this.snapshots.set(snapshot.SnapshotId, snapshot);
    for (const task of data.exportTasks ?? []) this.exportTasks.set(task.TaskId, task);
  }
}

/** The API view of a stored image (a deep copy without bookkeeping, optional alias only when set). */
export function imageView(image: StoredImage): ImageView {
  const { internal: _internal, ...view } = image;
  return structuredClone(view);
}

export function canSeeImage(image: ImageView, accountId: string): boolean {
  return (
    image.AccountId === accountId ||
    image.PermissionsToLaunch.GlobalPermission ||
    image.PermissionsToLaunch.AccountIds.includes(accountId)
  );
}

export function canUseSnapshot(snapshot: StoredSnapshot, accountId: string): boolean {
  return (
    snapshot.AccountId === accountId ||
    snapshot.PermissionsToCreateVolume.GlobalPermission ||
    snapshot.PermissionsToCreateVolume.AccountIds.includes(accountId)
  );
}

/** Ascending creation date, then id: the order of the real API's paginated reads. */
export function byCreationThenId<T extends { CreationDate: string }>(idOf: (x: T) => string) {
  return (a: T, b: T) =>
    a.CreationDate < b.CreationDate ? -1 : a.CreationDate > b.CreationDate ? 1 : idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0;
}
