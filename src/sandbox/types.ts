// Public shapes of the sandbox (the contract in notes/sandbox-api.md) and the JSON shapes it stores and returns.

export interface SandboxKey {
  accessKey: string;
  secretKey: string;
  accountId?: string;
}

export interface SandboxOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Address to listen on, default 127.0.0.1. */
  host?: string;
  /** Serve HTTPS with this certificate (chain) and key, PEM; default plain HTTP. */
  tls?: { cert: string; key: string };
  region?: string;
  keys?: SandboxKey[];
  /** pending -> available delay, default 2000; 0 = available on the first read. */
  imagePendingMs?: number;
  /** Creation → final state (`completed`, or `failed` by the failExportTasks fault) of an image export task, default 3000. */
  exportTaskMs?: number;
  /** How long a deleted image stays listed (with the state it had), default 0. */
  deletePendingMs?: number;
  /** Persist state as JSON here (loaded at start if present, saved after each mutation). */
  statePath?: string;
  /** Default true: seeded VM, snapshots and public images of another account. */
  seed?: boolean;
  /** Clock in epoch milliseconds, for tests. Default Date.now. */
  now?: () => number;
}

export interface RecordedCall {
  action: string;
  requestId: string;
  status: number; // 0 when the connection was dropped without an answer
  at: number;
  request: unknown;
  response: unknown;
  fault?: string;
  executed: boolean;
  /** Why authentication failed (never contains a secret), when it did. */
  authError?: string;
  accountId?: string;
  /** The `Signature=` value of the Authorization header, when present (lets tests check it never leaks into logs). */
  signature?: string;
}

export interface FaultCounters {
  throttled: number;
  failed: number;
  dropped: number;
  slowed: number;
  held: number;
  failedImages: number;
  failedExportTasks: number;
}

/** Calls stopped by `hold` after they were received and before they run. */
export interface HeldCalls {
  /** Resolves when the first matched call arrived. */
  readonly reached: Promise<void>;
  /** Calls waiting now. */
  readonly waiting: number;
  /** Lets the held calls (and later matched ones) go on: they then run and are answered as usual. */
  release(): void;
}

export interface SandboxFaults {
  /** `skip` (every queued fault): let that many matched calls through first, to aim at the nth call of an action. */
  throttleNext(count: number, options?: { status?: 429 | 503; actions?: string[]; skip?: number }): void;
  /** `maxConsecutive`: never throttle one request (same action and body, i.e. a client's retries) more than that many times in a row. */
  throttleFraction(
    fraction: number,
    options?: { statuses?: Array<429 | 503>; actions?: string[]; seed?: number; maxConsecutive?: number },
  ): void;
  failNext(count: number, options?: { status?: number; actions?: string[]; afterExecute?: boolean; skip?: number }): void;
  dropConnection(count: number, options: { when: 'before' | 'after'; actions?: string[]; skip?: number }): void;
  slow(ms: number, options?: { actions?: string[]; count?: number }): void;
  /** Holds the next `count` (default 1) matched calls after they were received, before anything else happens, until released. */
  hold(options?: { actions?: string[]; count?: number; skip?: number }): HeldCalls;
  /** Releases every held call. */
  releaseHeld(): void;
  failImages(options: { nameMatches?: string; stateComment?: StateComment }): void;
  /** Export tasks created while this is set (to a bucket matching `bucketMatches`, if given) end `failed` with `comment`. */
  failExportTasks(options: { bucketMatches?: string; comment?: string }): void;
  down(mode: 'refuse' | 'unavailable' | false): void;
  clear(): void;
  counters: FaultCounters;
}

// ---- API objects (PascalCase, as on the wire) ----

export interface ResourceTag {
  Key: string;
  Value: string;
}

export interface StateComment {
  StateCode?: string;
  StateMessage?: string;
}

export interface BsuToCreate {
  DeleteOnVmDeletion?: boolean;
  Iops?: number;
  SnapshotId?: string;
  VolumeSize?: number;
  VolumeType?: string;
}

export interface BlockDeviceMappingImage {
  DeviceName?: string;
  VirtualDeviceName?: string;
  Bsu?: BsuToCreate;
}

export interface PermissionsOnResource {
  GlobalPermission: boolean;
  AccountIds: string[];
}

export interface ImageView {
  ImageId: string;
  ImageName: string;
  Description: string;
  AccountId: string;
  AccountAlias?: string;
  Architecture: string;
  BlockDeviceMappings: BlockDeviceMappingImage[];
  BootModes: string[];
  SecureBoot: boolean;
  TpmMandatory: boolean;
  CreationDate: string;
  FileLocation: string;
  ImageType: string;
  PermissionsToLaunch: PermissionsOnResource;
  ProductCodes: string[];
  RootDeviceName: string;
  RootDeviceType: string;
  State: string;
  StateComment: StateComment;
  Tags: ResourceTag[];
}

/** An image as stored: the API view plus bookkeeping the API never shows. */
export interface StoredImage extends ImageView {
  internal: {
    createdAtMs: number;
    /** When a pending image settles into `outcome`. */
    readyAtMs: number;
    outcome: 'available' | 'failed';
    failComment?: StateComment;
    /** Set by DeleteImage; the image stays listed until deletedAtMs + deletePendingMs. */
    deletedAtMs?: number;
  };
}

export interface VmVolume {
  DeviceName: string;
  VolumeId: string;
  VolumeSize: number;
  VolumeType: string;
  Iops?: number;
  DeleteOnVmDeletion: boolean;
}

export interface StoredVm {
  VmId: string;
  AccountId: string;
  ImageId: string;
  State: string;
  VmType: string;
  Architecture: string;
  BootMode: string;
  CreationDate: string;
  RootDeviceName: string;
  RootDeviceType: string;
  ProductCodes: string[];
  Tags: ResourceTag[];
  ClientToken?: string;
  ReservationId: string;
  PrivateIp: string;
  PrivateDnsName: string;
  Placement: { SubregionName: string; Tenancy: string };
  volumes: VmVolume[];
}

export interface StoredSnapshot {
  SnapshotId: string;
  AccountId: string;
  AccountAlias?: string;
  Description: string;
  CreationDate: string;
  PermissionsToCreateVolume: PermissionsOnResource;
  Progress: number;
  State: string;
  Tags: ResourceTag[];
  VolumeId?: string;
  VolumeSize: number;
  ClientToken?: string;
}

export interface OsuExportView {
  DiskImageFormat: string;
  OsuBucket: string;
  OsuPrefix?: string;
  OsuManifestUrl?: string;
}

export interface ImageExportTaskView {
  TaskId: string;
  ImageId: string;
  State: string;
  Progress: number;
  Comment: string;
  OsuExport: OsuExportView;
  Tags: ResourceTag[];
}

/** An export task as stored; State/Progress are derived from the clock at read time. */
export interface StoredExportTask extends ImageExportTaskView {
  AccountId: string;
  internal: {
    createdAtMs: number;
    /** When the task reaches its outcome. */
    doneAtMs: number;
    outcome: 'completed' | 'failed';
    failComment?: string;
    cancelledAtMs?: number;
  };
}
