// What a data source implements: a schema, optional cross-attribute checks and one read. The framework decodes the
// config, runs the schema's validators, calls `read` only with a wholly known config (Terraform defers the read to
// apply otherwise) and makes the answer a conforming state (see data-source-read.ts).

import type { ObjectValue } from '../protocol/value.js';
import type { Diagnostics } from './diagnostics.js';
import type { CallContext } from './resource.js';
import type { BlockSchema, ResourceSchema } from './schema.js';

export interface DataSourceDefinition<Client, S extends BlockSchema = BlockSchema> {
  readonly typeName: string;
  readonly schema: ResourceSchema<S>;
  /** Cross-attribute checks beyond the per-attribute validators; run offline (no client) by `terraform validate`. */
  validate?(config: ObjectValue, diagnostics: Diagnostics): void;
  /**
   * The state for a wholly known config: every computed attribute set (null only where the API has nothing). The
   * framework copies the arguments from the config, so `read` may leave them out. Errors go to ctx.diagnostics.
   */
  read(req: { config: ObjectValue }, ctx: CallContext<Client>): Promise<ObjectValue>;
}
