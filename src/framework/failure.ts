// Errors named in the user's words ("Failed to read OMI ami-1"), not after the RPC that carried them. A resource's
// operations throw what the API client threw; withFailureNames turns each throw into a Failure whose summary says
// which operation on which object failed, and Diagnostics.fromError shows that summary with the cause as detail.

import type { ObjectValue } from '../protocol/value.js';
import type { AttributePath } from '../protocol/path.js';
import type { ResourceDefinition } from './resource.js';

export class Failure extends Error {
  override readonly name = 'Failure';

  constructor(
    readonly summary: string,
    override readonly cause: unknown,
    readonly path?: AttributePath,
  ) {
    super(`${summary}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Runs `action`; a throw becomes a Failure named `summary`, unless it is one already (the inner name is closer). */
export async function failingAs<T>(summary: string, action: () => Promise<T>, path?: AttributePath): Promise<T> {
  try {
    return await action();
  } catch (e) {
    throw e instanceof Failure ? e : new Failure(summary, e, path);
  }
}

export type Operation = 'create' | 'read' | 'update' | 'delete' | 'import';

export interface FailedOperation {
  readonly operation: Operation;
  /** The object's id when it exists (for a create, once the API gave one). */
  readonly id: string | undefined;
  readonly error: unknown;
  readonly prior: ObjectValue | null;
  readonly planned: ObjectValue | null;
}

export interface FailureNaming {
  /** What users call one object of the type, e.g. "OMI". */
  readonly noun: string;
  /** A closer summary for one failure (e.g. from the API call that failed); undefined for the generic one. */
  summarize?(failure: FailedOperation): string | undefined;
}

/** "Failed to create the OMI", "Failed to read OMI ami-1", "Failed to delete OMI ami-1"… */
export function failureSummary(noun: string, operation: Operation, id: string | undefined): string {
  if (operation === 'create') return id === undefined ? `Failed to create the ${noun}` : `Failed to finish creating ${noun} ${id}`;
  return id === undefined ? `Failed to ${operation} the ${noun}` : `Failed to ${operation} ${noun} ${id}`;
}

const idOf = (state: ObjectValue | null | undefined): string | undefined =>
  typeof state?.id === 'string' && state.id !== '' ? state.id : undefined;

/** The same resource, each operation's throw named after the operation and the object. */
export function withFailureNames<Client, R extends ResourceDefinition<Client>>(def: R, naming: FailureNaming): R {
  const named = async <T>(failed: Omit<FailedOperation, 'error'>, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      if (error instanceof Failure) throw error;
      const summary = naming.summarize?.({ ...failed, error }) ?? failureSummary(naming.noun, failed.operation, failed.id);
      throw new Failure(summary, error);
    }
  };
  const importState = def.importState;
  return {
    ...def,
    create: (req, result, ctx) =>
      named({ operation: 'create', get id() { return idOf(result.state); }, prior: null, planned: req.planned }, () => def.create(req, result, ctx)),
    read: (req, ctx) => named({ operation: 'read', id: idOf(req.state), prior: req.state, planned: null }, () => def.read(req, ctx)),
    update: (req, result, ctx) =>
      named({ operation: 'update', id: idOf(req.prior), prior: req.prior, planned: req.planned }, () => def.update(req, result, ctx)),
    delete: (req, ctx) => named({ operation: 'delete', id: idOf(req.prior), prior: req.prior, planned: null }, () => def.delete(req, ctx)),
    ...(importState
      ? { importState: (id: string, ctx: Parameters<typeof importState>[1]) => named({ operation: 'import', id, prior: null, planned: null }, async () => importState(id, ctx)) }
      : {}),
  };
}
