// One OUTSCALE API call: outage check, signature, JSON, faults, execution, recording.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../common/log.js';
import { ACTIONS } from './actions.js';
import type { ActionContext } from './context.js';
import { ApiError, errors } from './errors.js';
import type { FaultController } from './faults.js';
import { readBody, sendJson, sleep } from './http-io.js';
import { checkShape } from './shape.js';
import { verifySignature } from './signature.js';
import type { SandboxState } from './state.js';
import type { RecordedCall } from './types.js';

const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface ApiEnvironment {
  state: SandboxState;
  faults: FaultController;
  calls: RecordedCall[];
  region: string;
  now: () => number;
  accountOf(accessKey: string): { secretKey: string; accountId: string } | undefined;
  persist(): void;
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export async function handleApiCall(env: ApiEnvironment, action: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const body = await readBody(req);
  const parsed = parseJson(body);
  const call: RecordedCall = {
    action,
    requestId,
    status: 0,
    at: env.now(),
    request: parsed.ok ? parsed.value : body.toString('utf8'),
    response: undefined,
    executed: false,
  };
  const signature = signatureOf(req.headers.authorization);
  if (signature !== undefined) call.signature = signature;
  env.calls.push(call);

  const answer = (status: number, payload: Record<string, unknown>) => {
    const response = { ...payload, ResponseContext: { RequestId: requestId } };
    call.status = status;
    call.response = response;
    sendJson(res, status, response);
  };
  const answerError = (error: ApiError) => answer(error.status, { Errors: [error.body()] });
  const drop = () => {
    call.status = 0;
    req.socket.destroy();
  };

  if (env.faults.isUnavailable) {
    env.faults.counters.throttled++;
    call.fault = 'down-unavailable';
    return answerError(errors.throttledPlatform());
  }
  if (req.method !== 'POST') return answerError(errors.invalidValue(`Use POST for API calls, not ${req.method}.`));

  let verified;
  try {
    verified = verifySignature(
      { method: req.method, url: req.url ?? '/', rawHeaders: req.rawHeaders, body },
      { region: env.region, nowMs: env.now(), maxSkewMs: MAX_CLOCK_SKEW_MS, secretFor: (ak) => env.accountOf(ak)?.secretKey },
    );
  } catch {
    verified = { ok: false as const, reason: 'malformed request line or headers' };
  }
  if (!verified.ok) {
    call.authError = verified.reason;
    return answerError(errors.authFailed(verified.reason));
  }
  const accountId = env.accountOf(verified.accessKey)!.accountId;
  call.accountId = accountId;

  const handler = ACTIONS[action];
  if (!handler) return answerError(errors.unknownAction(action));
  if (!parsed.ok) return answerError(errors.malformedJson(parsed.error));

  const plan = env.faults.plan(action, body.toString('utf8'));
  if (plan.hold) await plan.hold;
  if (plan.slowMs) await sleep(plan.slowMs);
  if (plan.reject) {
    call.fault = plan.reject.fault;
    return answerError(plan.reject.error);
  }
  if (plan.drop === 'before') {
    call.fault = 'drop-before';
    return drop();
  }

  let result: Record<string, unknown>;
  try {
    checkShape(parsed.value, handler.shape, '');
    const request = parsed.value as Record<string, unknown>;
    const ctx: ActionContext = {
      state: env.state,
      accountId,
      region: env.region,
      nowMs: env.now(),
      imageFailure: (name) => {
        const comment = env.faults.failureForImage(name);
        if (comment) call.fault = 'fail-image';
        return comment;
      },
      exportFailure: (bucket) => {
        const comment = env.faults.failureForExport(bucket);
        if (comment) call.fault = 'fail-export-task';
        return comment;
      },
    };
    if (request.DryRun === true && handler.mutates) {
      result = {};
    } else {
      result = handler.run(request, ctx);
      call.executed = true;
      if (handler.mutates) env.persist();
    }
  } catch (e) {
    if (e instanceof ApiError) return answerError(e);
    log.error('sandbox action failed', { action, error: e });
    return answerError(errors.internal());
  }

  if (plan.failAfter) {
    call.fault = `fail-after-${plan.failAfter.status}`;
    return answerError(errors.internal(plan.failAfter.status));
  }
  if (plan.drop === 'after') {
    call.fault = 'drop-after';
    return drop();
  }
  if (plan.slowMs && !call.fault) call.fault = `slow-${plan.slowMs}`;
  if (plan.hold && !call.fault) call.fault = 'held';
  return answer(200, result);
}

/** The hex `Signature=` value of an Authorization header, if it has one. */
function signatureOf(authorization: string | undefined): string | undefined {
  return authorization ? /Signature=([0-9A-Za-z]+)/.exec(authorization)?.[1] : undefined;
}

export function apiNotFound(res: ServerResponse): void {
  sendJson(res, 404, {
    Errors: [{ Code: '5011', Type: 'InvalidResource', Details: 'Unknown path: API calls are POST /api/v1/{Action}.' }],
    ResponseContext: { RequestId: randomUUID() },
  });
}
