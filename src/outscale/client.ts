// Typed OUTSCALE API client: POST {endpoint}/{Action} with a signed JSON body, retries per retry.ts, pagination for
// the Read* calls. Every call is bounded: each attempt by the attempt timeout, all attempts together by the caller's
// deadline or else by the call budget, so a silent API fails in a known time.
import { log as processLog, type Logger } from '../common/log.js';
import { PROVIDER_VERSION } from '../common/version.js';
import type { ResolvedConfig } from './config.js';
import { OscApiError } from './errors.js';
import { HttpTransport } from './http.js';
import { interpretResponse } from './response.js';
import {
  type RetryCounters,
  type RetrySettings,
  abortableSleep,
  isSafeToRepeat,
  newCounters,
  retrySettingsFromEnv,
  withRetries,
} from './retry.js';
import { type SignatureVariant, type SigningKeyCache, signRequest } from './signer.js';
import type {
  CreateImageExportTaskRequest,
  CreateImageExportTaskResponse,
  DeleteExportTaskRequest,
  DeleteExportTaskResponse,
  ReadImageExportTasksRequest,
  ReadImageExportTasksResponse,
} from './export-task-types.js';
import type {
  CreateImageRequest,
  CreateImageResponse,
  CreateTagsRequest,
  CreateTagsResponse,
  DeleteImageRequest,
  DeleteImageResponse,
  DeleteTagsRequest,
  DeleteTagsResponse,
  Image,
  OscAction,
  OscActions,
  ReadAccountsRequest,
  ReadAccountsResponse,
  ReadImagesRequest,
  ReadImagesResponse,
  ReadSnapshotsRequest,
  ReadSnapshotsResponse,
  ReadVmsRequest,
  ReadVmsResponse,
  ResponseContext,
  UpdateImageRequest,
  UpdateImageResponse,
} from './types.js';

export const USER_AGENT = `terraform-provider-outscale/${PROVIDER_VERSION} (node ${process.versions.node}; ${process.platform})`;

/** Per-attempt timeout: an answer normally takes well under a second; a silent endpoint costs this per attempt. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** All attempts of one call together, when the caller gives no earlier deadline (3 silent attempts, then give up). */
export const DEFAULT_CALL_BUDGET_MS = 90_000;
const MAX_PAGES = 10_000;
const PAGE_SIZE = 1000;

export interface OscClientOptions {
  /** Full API URL, e.g. https://api.eu-west-2.outscale.com/api/v1 (no trailing Action). */
  endpoint: string;
  region: string;
  accessKey: string;
  secretKey: string;
  /** PEM text of the client certificate / key for mutual TLS. */
  x509Cert?: string | Buffer;
  x509Key?: string | Buffer;
  insecure?: boolean;
  signatureVariant?: SignatureVariant;
  /** Per-attempt timeout, default 30 s. */
  timeoutMs?: number;
  /** Bound of all attempts of one call when the caller sets no earlier deadline, default 90 s. */
  callBudgetMs?: number;
  /** Overrides of the retry settings (defaults, then OSC_RETRY_* env testing knobs, then these). */
  retry?: Partial<RetrySettings>;
  userAgent?: string;
  /** Test hooks. */
  now?: () => Date;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal | undefined, action: string) => Promise<void>;
  env?: NodeJS.ProcessEnv;
  /** Where calls are logged: the session's logger (warm mode serves several launches in one process). */
  log?: Logger;
}

export interface CallOptions {
  /** Cancels the call; see completeOnceSent. */
  signal?: AbortSignal;
  /** Absolute epoch ms: no retry starts after it and attempts are cut short to it. Default: now + call budget. */
  deadline?: number;
  timeoutMs?: number;
  /**
   * The signal cancels waits and attempts not yet sent, but an attempt whose request was sent runs to its answer, so
   * that the caller knows what the API did (CreateImage returns the id of what it made; an UpdateImage or CreateTags
   * abandoned mid-flight would still happen, unknown to state). Default: true for every call that changes something
   * (all but Read*), false for reads.
   */
  completeOnceSent?: boolean;
}

/** Every call but a read changes something in the account. */
function changesSomething(action: string): boolean {
  return !action.startsWith('Read');
}

export interface ClientCounters extends RetryCounters {
  /** Logical calls (one per client method invocation reaching the wire, pages counted separately). */
  calls: number;
}

export class OscClient {
  readonly endpoint: string;
  readonly region: string;
  private readonly accessKey: string;
  private readonly secretKey: string;
  private readonly variant: SignatureVariant;
  private readonly signingKey: SigningKeyCache = {};
  /** The session's logger, also for the resources that use this client. */
  readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly callBudgetMs: number;
  private readonly settings: RetrySettings;
  private readonly userAgent: string;
  private readonly transport: HttpTransport;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal | undefined, action: string) => Promise<void>;
  private readonly stats: ClientCounters = { ...newCounters(), calls: 0 };

  constructor(options: OscClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.region = options.region;
    this.accessKey = options.accessKey;
    this.secretKey = options.secretKey;
    this.variant = options.signatureVariant ?? 'osc4';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.callBudgetMs = options.callBudgetMs ?? DEFAULT_CALL_BUDGET_MS;
    this.settings = retrySettingsFromEnv(options.env ?? process.env, options.retry);
    this.userAgent = options.userAgent ?? USER_AGENT;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? abortableSleep;
    this.log = options.log ?? processLog;
    this.transport = new HttpTransport({ x509Cert: options.x509Cert, x509Key: options.x509Key, insecure: options.insecure, env: options.env, log: this.log });
  }

  static fromConfig(config: ResolvedConfig, extra: Partial<OscClientOptions> = {}): OscClient {
    return new OscClient({
      endpoint: config.endpoint,
      region: config.region,
      accessKey: config.accessKey,
      secretKey: config.secretKey,
      x509Cert: config.x509Cert,
      x509Key: config.x509Key,
      insecure: config.insecure,
      ...extra,
    });
  }

  /** Snapshot of the observability counters. */
  get counters(): Readonly<ClientCounters> {
    return { ...this.stats };
  }

  get retrySettings(): Readonly<RetrySettings> {
    return this.settings;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.transport.close();
  }

  // ---- typed calls ------------------------------------------------------------------------------------------------

  /** One CreateImage, retried only when it cannot have executed (throttling, connection refused). */
  createImage(request: CreateImageRequest, opts: CallOptions = {}): Promise<CreateImageResponse> {
    return this.call('CreateImage', request, opts);
  }

  updateImage(request: UpdateImageRequest, opts: CallOptions = {}): Promise<UpdateImageResponse> {
    return this.call('UpdateImage', request, opts);
  }

  deleteImage(request: DeleteImageRequest, opts: CallOptions = {}): Promise<DeleteImageResponse> {
    return this.call('DeleteImage', request, opts);
  }

  createTags(request: CreateTagsRequest, opts: CallOptions = {}): Promise<CreateTagsResponse> {
    return this.call('CreateTags', request, opts);
  }

  deleteTags(request: DeleteTagsRequest, opts: CallOptions = {}): Promise<DeleteTagsResponse> {
    return this.call('DeleteTags', request, opts);
  }

  /** Not repeated after an ambiguous failure: a second call would start a second export. */
  createImageExportTask(request: CreateImageExportTaskRequest, opts: CallOptions = {}): Promise<CreateImageExportTaskResponse> {
    return this.call('CreateImageExportTask', request, opts);
  }

  deleteExportTask(request: DeleteExportTaskRequest, opts: CallOptions = {}): Promise<DeleteExportTaskResponse> {
    return this.call('DeleteExportTask', request, opts);
  }

  async readImageExportTasks(request: ReadImageExportTasksRequest = {}, opts: CallOptions = {}): Promise<ReadImageExportTasksResponse> {
    const { items, context } = await this.readAllPages('ReadImageExportTasks', request, (r) => r.ImageExportTasks, opts);
    return { ImageExportTasks: items, ResponseContext: context };
  }

  /** All pages (ResultsPerPage 1000 unless set), concatenated. */
  async readImages(request: ReadImagesRequest = {}, opts: CallOptions = {}): Promise<ReadImagesResponse> {
    const { items, context } = await this.readAllPages('ReadImages', request, (r) => r.Images, opts);
    return { Images: items, ResponseContext: context };
  }

  async readVms(request: ReadVmsRequest = {}, opts: CallOptions = {}): Promise<ReadVmsResponse> {
    const { items, context } = await this.readAllPages('ReadVms', request, (r) => r.Vms, opts);
    return { Vms: items, ResponseContext: context };
  }

  async readSnapshots(request: ReadSnapshotsRequest = {}, opts: CallOptions = {}): Promise<ReadSnapshotsResponse> {
    const { items, context } = await this.readAllPages('ReadSnapshots', request, (r) => r.Snapshots, opts);
    return { Snapshots: items, ResponseContext: context };
  }

  /** The account that sent the request (the spec's ReadAccounts answers exactly that one). */
  readAccounts(request: ReadAccountsRequest = {}, opts: CallOptions = {}): Promise<ReadAccountsResponse> {
    return this.call('ReadAccounts', request, opts);
  }

  /** The image with this ID, or undefined when the API does not list it (deleted or never existed). */
  async readImage(imageId: string, opts: CallOptions = {}): Promise<Image | undefined> {
    const res = await this.readImages({ Filters: { ImageIds: [imageId] } }, opts);
    return res.Images?.find((i) => i.ImageId === imageId);
  }

  // ---- generic machinery -------------------------------------------------------------------------------------------

  /** One logical call with retries. */
  async call<A extends OscAction>(
    action: A,
    request: OscActions[A]['request'] | undefined,
    opts: CallOptions = {},
  ): Promise<OscActions[A]['response']> {
    this.stats.calls++;
    const body = JSON.stringify(request ?? {});
    const url = new URL(`${this.endpoint}/${action}`);
    const budgetEnd = this.now().getTime() + this.callBudgetMs;
    const deadline = opts.deadline === undefined ? budgetEnd : Math.min(opts.deadline, budgetEnd);
    return withRetries(
      {
        action,
        settings: this.settings,
        safeToRepeat: isSafeToRepeat(action),
        signal: opts.signal,
        deadline,
        counters: this.stats,
        random: this.random,
        now: () => this.now().getTime(),
        sleep: this.sleep,
        log: this.log,
      },
      async (attemptNumber) => {
        const started = Date.now();
        // Signed per attempt: a fresh date keeps long retry sequences inside the 5-minute validity window.
        const signed = signRequest({
          method: 'POST',
          url,
          headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': this.userAgent, Accept: 'application/json' },
          body,
          accessKey: this.accessKey,
          secretKey: this.secretKey,
          region: this.region,
          date: this.now(),
          variant: this.variant,
          keyCache: this.signingKey,
        });
        const res = await this.transport.send({
          action,
          url,
          headers: signed.headers,
          body,
          timeoutMs: this.attemptTimeout(opts.timeoutMs, deadline),
          signal: opts.signal,
          abortOnlyBeforeSent: opts.completeOnceSent ?? changesSomething(action),
        });
        const parsed = interpretResponseLogged(action, attemptNumber, started, res, (t) => this.redact(t), this.log);
        return parsed as OscActions[A]['response'];
      },
    );
  }

  private attemptTimeout(timeoutMs: number | undefined, deadline: number): number {
    return Math.min(timeoutMs ?? this.timeoutMs, Math.max(1000, deadline - this.now().getTime()));
  }

  private redact(text: string): string {
    return this.secretKey.length >= 8 ? text.split(this.secretKey).join('***') : text;
  }

  private async readAllPages<A extends 'ReadImages' | 'ReadVms' | 'ReadSnapshots' | 'ReadImageExportTasks', T>(
    action: A,
    request: OscActions[A]['request'],
    pick: (res: OscActions[A]['response']) => T[] | undefined,
    opts: CallOptions,
  ): Promise<{ items: T[]; context: ResponseContext | undefined }> {
    const items: T[] = [];
    const seen = new Set<string>();
    let token = request.NextPageToken;
    let context: ResponseContext | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const pageRequest = { ...request, ResultsPerPage: request.ResultsPerPage ?? PAGE_SIZE } as OscActions[A]['request'];
      if (token !== undefined) pageRequest.NextPageToken = token;
      else delete pageRequest.NextPageToken;
      const res = await this.call(action, pageRequest, opts);
      items.push(...(pick(res) ?? []));
      context = res.ResponseContext;
      token = res.NextPageToken;
      if (token === undefined || token === '') return { items, context };
      if (seen.has(token)) throw new Error(`${action}: the API returned the same NextPageToken twice`);
      seen.add(token);
    }
    throw new Error(`${action}: more than ${MAX_PAGES} pages`);
  }
}

function interpretResponseLogged(
  action: string,
  attempt: number,
  started: number,
  res: { status: number; headers: import('node:http').IncomingHttpHeaders; body: string },
  redact: (t: string) => string,
  log: Logger,
): unknown {
  try {
    const parsed = interpretResponse(action, res.status, res.headers, res.body, redact);
    log.debug('OUTSCALE API call', {
      action,
      attempt,
      status: res.status,
      duration_ms: Date.now() - started,
      request_id: (parsed as { ResponseContext?: ResponseContext }).ResponseContext?.RequestId,
    });
    return parsed;
  } catch (err) {
    if (err instanceof OscApiError) {
      log.debug('OUTSCALE API call failed', {
        action,
        attempt,
        status: err.httpStatus,
        code: err.code,
        type: err.type,
        duration_ms: Date.now() - started,
        request_id: err.requestId,
      });
    }
    throw err;
  }
}
