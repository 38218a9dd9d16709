// Typed OUTSCALE API client: POST {endpoint}/{Action} with a signed JSON body, retries per retry.ts, pagination for
// the Read* calls and a CreateImage that is never blindly repeated after it may have executed.
import packageJson from '../../package.json' with { type: 'json' };
import { log } from '../common/log.js';
import type { ResolvedConfig } from './config.js';
import { OscApiError, OscOutcomeUnknownError, isAbortError } from './errors.js';
import { HttpTransport } from './http.js';
import { interpretResponse } from './response.js';
import {
  type RetryCounters,
  type RetrySettings,
  abortableSleep,
  backoffDelay,
  classifyFailure,
  isSafeToRepeat,
  newCounters,
  retrySettingsFromEnv,
  withRetries,
} from './retry.js';
import { type SignatureVariant, signRequest } from './signer.js';
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

export const USER_AGENT = `terraform-provider-outscale/${packageJson.version} (node ${process.versions.node}; ${process.platform})`;

export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_PAGES = 10_000;
const PAGE_SIZE = 1000;
/** Signed requests are only accepted within 5 minutes of the server clock, so client/server skew is below that. */
const CLOCK_SKEW_MS = 5 * 60_000;

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
  /** Per-attempt timeout, default 60 s. */
  timeoutMs?: number;
  /** Overrides of the retry settings (defaults, then OSC_RETRY_* env testing knobs, then these). */
  retry?: Partial<RetrySettings>;
  userAgent?: string;
  /** Test hooks. */
  now?: () => Date;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal | undefined, action: string) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Absolute epoch ms: no retry starts after it and attempts are cut short to it. */
  deadline?: number;
  timeoutMs?: number;
}

export interface CreateImageSafelyOptions extends CallOptions {
  /** CreateImage sends after an ambiguous failure (each followed by a lookup), default 3. */
  maxCreateAttempts?: number;
}

export interface CreateImageResult {
  image: Image;
  /** true when the image was found by name after an ambiguous failure instead of returned by CreateImage. */
  recovered: boolean;
  requestId?: string;
}

export interface ClientCounters extends RetryCounters {
  /** Logical calls (one per client method invocation reaching the wire, pages counted separately). */
  calls: number;
  /** CreateImage outcomes recovered by lookup after an ambiguous failure. */
  recoveredCreates: number;
}

export class OscClient {
  readonly endpoint: string;
  readonly region: string;
  private readonly accessKey: string;
  private readonly secretKey: string;
  private readonly variant: SignatureVariant;
  private readonly timeoutMs: number;
  private readonly settings: RetrySettings;
  private readonly userAgent: string;
  private readonly transport: HttpTransport;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal | undefined, action: string) => Promise<void>;
  private readonly stats: ClientCounters = { ...newCounters(), calls: 0, recoveredCreates: 0 };

  constructor(options: OscClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.region = options.region;
    this.accessKey = options.accessKey;
    this.secretKey = options.secretKey;
    this.variant = options.signatureVariant ?? 'osc4';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.settings = retrySettingsFromEnv(options.env ?? process.env, options.retry);
    this.userAgent = options.userAgent ?? USER_AGENT;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? abortableSleep;
    this.transport = new HttpTransport({ x509Cert: options.x509Cert, x509Key: options.x509Key, insecure: options.insecure });
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

  /** The image with this ID, or undefined when the API does not list it (deleted or never existed). */
  async readImage(imageId: string, opts: CallOptions = {}): Promise<Image | undefined> {
    const res = await this.readImages({ Filters: { ImageIds: [imageId] } }, opts);
    return res.Images?.find((i) => i.ImageId === imageId);
  }

  /**
   * CreateImage without duplicates. CreateImage has no ClientToken, so after an ambiguous failure (a 5xx that is not
   * throttling, or a network failure after the request was sent) the image may or may not exist. Image names are
   * unique per account, so the name serves as the idempotency key: look for an image with that exact name created
   * since this call started (allowing for clock skew); if one exists, it is ours. Otherwise send CreateImage again — if
   * the first one did execute after all but was not yet visible, the repeat fails with a name conflict (409 / 9000),
   * which triggers another lookup instead of a second image. Without ImageName there is no key: the error is rethrown
   * saying the outcome is unknown.
   */
  async createImageSafely(request: CreateImageRequest, opts: CreateImageSafelyOptions = {}): Promise<CreateImageResult> {
    const maxAttempts = Math.max(1, opts.maxCreateAttempts ?? 3);
    const windowStart = this.now().getTime() - CLOCK_SKEW_MS;
    let ambiguity: unknown;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.call('CreateImage', request, opts);
        if (!res.Image) throw new Error('CreateImage succeeded but its response carries no Image');
        return { image: res.Image, recovered: false, requestId: res.ResponseContext?.RequestId };
      } catch (err) {
        if (isAbortError(err)) throw err;
        const conflictAfterAmbiguity =
          ambiguity !== undefined && err instanceof OscApiError && (err.httpStatus === 409 || err.hasCode(9000));
        if (!conflictAfterAmbiguity && classifyFailure(err) !== 'ambiguous') throw err;
        const name = request.ImageName;
        if (name === undefined || name === '') {
          throw new OscOutcomeUnknownError(
            'CreateImage',
            `CreateImage outcome unknown: ${errorMessage(err)}. The image may or may not have been created and, ` +
              'without an ImageName, it cannot be looked up safely; check ReadImages before trying again.',
            err,
          );
        }
        ambiguity = err;
        const found = await this.findCreatedImage(request, name, windowStart, conflictAfterAmbiguity ? 3 : 1, err, opts);
        if (found) {
          this.stats.recoveredCreates++;
          log.warn('CreateImage outcome recovered by name lookup', {
            action: 'CreateImage',
            attempt,
            image_id: found.ImageId,
          });
          return { image: found, recovered: true };
        }
        if (conflictAfterAmbiguity) throw err;
        if (attempt >= maxAttempts) {
          throw new OscOutcomeUnknownError(
            'CreateImage',
            `CreateImage failed ${attempt} times with an uncertain outcome (last: ${errorMessage(err)}); ` +
              `no image named ${JSON.stringify(name)} was found afterwards.`,
            err,
          );
        }
        const delay = backoffDelay(attempt - 1, this.settings, this.random);
        if (opts.deadline !== undefined && this.now().getTime() + delay > opts.deadline) throw err;
        log.warn('CreateImage outcome uncertain and no image found, creating again', {
          action: 'CreateImage',
          attempt,
          delay_ms: Math.round(delay),
        });
        await this.sleep(delay, opts.signal, 'CreateImage');
      }
    }
  }

  private async findCreatedImage(
    request: CreateImageRequest,
    name: string,
    windowStart: number,
    tries: number,
    original: unknown,
    opts: CallOptions,
  ): Promise<Image | undefined> {
    for (let i = 0; i < tries; i++) {
      if (i > 0) await this.sleep(backoffDelay(i - 1, this.settings, this.random), opts.signal, 'ReadImages');
      let images: Image[];
      try {
        images = (await this.readImages({ Filters: { ImageNames: [name] } }, opts)).Images ?? [];
      } catch (lookupErr) {
        if (isAbortError(lookupErr)) throw lookupErr;
        throw new OscOutcomeUnknownError(
          'CreateImage',
          `CreateImage outcome unknown: ${errorMessage(original)}; looking the image up by name failed: ` +
            errorMessage(lookupErr),
          original,
        );
      }
      const candidates = images.filter((img) => isCandidate(img, request, name, windowStart));
      if (candidates.length === 1) return candidates[0];
      if (candidates.length > 1) {
        throw new OscOutcomeUnknownError(
          'CreateImage',
          `CreateImage outcome unknown: ${errorMessage(original)}; ${candidates.length} recent images are named ` +
            `${JSON.stringify(name)} (${candidates.map((c) => c.ImageId).join(', ')}).`,
          original,
        );
      }
    }
    return undefined;
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
    return withRetries(
      {
        action,
        settings: this.settings,
        safeToRepeat: isSafeToRepeat(action),
        signal: opts.signal,
        deadline: opts.deadline,
        counters: this.stats,
        random: this.random,
        now: () => this.now().getTime(),
        sleep: this.sleep,
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
        });
        const res = await this.transport.send({
          action,
          url,
          headers: signed.headers,
          body,
          timeoutMs: this.attemptTimeout(opts),
          signal: opts.signal,
        });
        const parsed = interpretResponseLogged(action, attemptNumber, started, res, (t) => this.redact(t));
        return parsed as OscActions[A]['response'];
      },
    );
  }

  private attemptTimeout(opts: CallOptions): number {
    const base = opts.timeoutMs ?? this.timeoutMs;
    if (opts.deadline === undefined) return base;
    return Math.min(base, Math.max(1000, opts.deadline - this.now().getTime()));
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

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isCandidate(img: Image, request: CreateImageRequest, name: string, windowStart: number): boolean {
  if (img.ImageName !== name) return false;
  const created = img.CreationDate === undefined ? NaN : Date.parse(img.CreationDate);
  if (Number.isNaN(created) || created < windowStart) return false;
  if (request.Description !== undefined && (img.Description ?? '') !== request.Description) return false;
  return true;
}
