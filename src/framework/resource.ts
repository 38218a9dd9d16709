// What a resource implements. The framework turns tfplugin6 calls into these, with decoded values, collected
// diagnostics and a cancellation signal; a resource never sees protocol bytes.

import type { Session } from '../common/session.js';
import type { ObjectValue } from '../protocol/value.js';
import type { DataSourceDefinition } from './data-source.js';
import type { Diagnostics } from './diagnostics.js';
import type { PlanHook } from './plan.js';
import type { PrivateState } from './private-state.js';
import type { BlockSchema, ResourceSchema } from './schema.js';

export interface CallContext<Client> {
  /** What ConfigureProvider produced (undefined when the provider is not configured, e.g. in validate). */
  readonly client: Client | undefined;
  /** Aborted when Terraform asks the provider to stop (Ctrl-C). */
  readonly signal: AbortSignal;
  readonly diagnostics: Diagnostics;
  /**
   * The instance's private state (import, read, apply); what the resource changes is stored with the new state.
   * Empty (and not stored) for calls without an instance.
   */
  readonly private: PrivateState;
}

export interface ApplyResult {
  /**
   * What exists, kept accurate at every step: the prior state, then each change as soon as the API has made it.
   * On success the framework keeps every value known in the plan and takes only the unknown ones from here; after
   * an error it stores this as it is, never the plan. null: the object does not exist (nothing was created).
   */
  state: ObjectValue | null;
}

export interface ResourceDefinition<Client, S extends BlockSchema = BlockSchema> {
  readonly typeName: string;
  readonly schema: ResourceSchema<S>;
  /** Cross-attribute checks beyond the per-attribute validators. */
  validate?(config: ObjectValue, diagnostics: Diagnostics): void;
  /** Resource-specific plan rules, after the generic ones. */
  readonly modifyPlan?: PlanHook;
  /**
   * Create: `result.state` must be set as soon as the remote object exists, so that a later failure (or Ctrl-C)
   * still records it; errors go to ctx.diagnostics.
   */
  create(req: { planned: ObjectValue; config: ObjectValue }, result: ApplyResult, ctx: CallContext<Client>): Promise<void>;
  /** null = the object is gone. */
  read(req: { state: ObjectValue }, ctx: CallContext<Client>): Promise<ObjectValue | null>;
  update(
    req: { prior: ObjectValue; planned: ObjectValue; config: ObjectValue },
    result: ApplyResult,
    ctx: CallContext<Client>,
  ): Promise<void>;
  delete(req: { prior: ObjectValue }, ctx: CallContext<Client>): Promise<void>;
  /** A state holding what the id alone tells; ReadResource fills the rest. */
  importState?(id: string, ctx: CallContext<Client>): ObjectValue | Promise<ObjectValue>;
  /** Raw JSON state written with `version` (possibly by another provider) → a value of the current schema. */
  upgradeState?(version: number, raw: Record<string, unknown>, diagnostics: Diagnostics): ObjectValue | null;
}

export interface ProviderDefinition<Client, P extends BlockSchema = BlockSchema> {
  readonly typeName: string;
  readonly schema: ResourceSchema<P>;
  validate?(config: ObjectValue, diagnostics: Diagnostics): void;
  /** `session`: the launch being configured (its environment, directory and logs); undefined: the process's own. */
  configure(
    config: ObjectValue,
    ctx: { diagnostics: Diagnostics; terraformVersion: string; session: Session | undefined },
  ): Promise<Client | undefined>;
  /**
   * Frees what a configured client holds (open connections). Called when a session of a long-lived process ends;
   * a one-launch process just exits.
   */
  closeClient?(client: Client): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly resources: ReadonlyArray<ResourceDefinition<Client, any>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly dataSources?: ReadonlyArray<DataSourceDefinition<Client, any>>;
}
