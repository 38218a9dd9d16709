// Routes under /_sandbox/ for tests and demos driving a sandbox in another process. Unauthenticated: local only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultController } from './faults.js';
import { readBody, sendJson } from './http-io.js';
import type { SandboxState } from './state.js';
import type { RecordedCall } from './types.js';

export interface AdminEnvironment {
  state: SandboxState;
  faults: FaultController;
  calls: RecordedCall[];
  persist(): void;
}

type FaultRequest = { kind?: string } & Record<string, unknown>;

function applyFault(faults: FaultController, f: FaultRequest): string | undefined {
  const count = typeof f.count === 'number' ? f.count : 1;
  const actions = Array.isArray(f.actions) ? (f.actions as string[]) : undefined;
  const withActions = { ...(actions ? { actions } : {}), ...(typeof f.skip === 'number' ? { skip: f.skip } : {}) };
  switch (f.kind) {
    case 'throttleNext':
      faults.throttleNext(count, { ...withActions, ...(f.status === 503 ? { status: 503 as const } : {}) });
      return undefined;
    case 'throttleFraction':
      faults.throttleFraction(Number(f.fraction), {
        ...withActions,
        ...(Array.isArray(f.statuses) ? { statuses: f.statuses as Array<429 | 503> } : {}),
        ...(typeof f.seed === 'number' ? { seed: f.seed } : {}),
        ...(typeof f.maxConsecutive === 'number' ? { maxConsecutive: f.maxConsecutive } : {}),
      });
      return undefined;
    case 'failNext':
      faults.failNext(count, {
        ...withActions,
        ...(typeof f.status === 'number' ? { status: f.status } : {}),
        afterExecute: f.afterExecute === true,
      });
      return undefined;
    case 'dropConnection':
      if (f.when !== 'before' && f.when !== 'after') return "dropConnection needs when: 'before' | 'after'";
      faults.dropConnection(count, { when: f.when, ...withActions });
      return undefined;
    case 'slow':
      if (typeof f.ms !== 'number') return 'slow needs ms';
      faults.slow(f.ms, { ...withActions, ...(typeof f.count === 'number' ? { count: f.count } : {}) });
      return undefined;
    case 'hold':
      faults.hold({ ...withActions, count });
      return undefined;
    case 'failImages':
      faults.failImages({
        ...(typeof f.nameMatches === 'string' ? { nameMatches: f.nameMatches } : {}),
        ...(f.stateComment && typeof f.stateComment === 'object' ? { stateComment: f.stateComment as Record<string, string> } : {}),
      });
      return undefined;
    case 'failExportTasks':
      faults.failExportTasks({
        ...(typeof f.bucketMatches === 'string' ? { bucketMatches: f.bucketMatches } : {}),
        ...(typeof f.comment === 'string' ? { comment: f.comment } : {}),
      });
      return undefined;
    case 'down':
      if (f.mode !== 'refuse' && f.mode !== 'unavailable' && f.mode !== false) return "down needs mode: 'refuse' | 'unavailable' | false";
      faults.down(f.mode);
      return undefined;
    default:
      return `unknown fault kind ${String(f.kind)}`;
  }
}

export async function handleAdmin(env: AdminEnvironment, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/_sandbox/calls') return sendJson(res, 200, env.calls);
  if (method === 'GET' && path === '/_sandbox/state') return sendJson(res, 200, env.state.serialize());
  if (method === 'GET' && path === '/_sandbox/faults') return sendJson(res, 200, { counters: env.faults.counters });
  if (method === 'POST' && path === '/_sandbox/reset-faults') {
    env.faults.clear();
    return sendJson(res, 200, { ok: true });
  }
  if (method === 'POST' && path === '/_sandbox/release-held') {
    env.faults.releaseHeld();
    return sendJson(res, 200, { ok: true });
  }
  if (method === 'POST' && path === '/_sandbox/faults') {
    let body: FaultRequest;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as FaultRequest;
    } catch {
      return sendJson(res, 400, { error: 'body must be JSON' });
    }
    let problem: string | undefined;
    try {
      problem = applyFault(env.faults, body);
    } catch (e) {
      problem = (e as Error).message;
    }
    return problem ? sendJson(res, 400, { error: problem }) : sendJson(res, 200, { ok: true });
  }
  const imageMatch = /^\/_sandbox\/images\/([^/]+)$/.exec(path);
  if (method === 'DELETE' && imageMatch) {
    const id = decodeURIComponent(imageMatch[1]!);
    if (!env.state.images.delete(id)) return sendJson(res, 404, { error: `no image ${id}` });
    env.persist();
    return sendJson(res, 200, { deleted: id });
  }
  return sendJson(res, 404, { error: `no admin route ${method} ${path}` });
}
