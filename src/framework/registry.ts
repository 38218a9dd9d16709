// The one list of what a provider serves: resource and data-source types by name. GetMetadata, GetProviderSchema,
// validation, every typed RPC and `npm run docs` all read it, so registering a type in the ProviderDefinition is
// the whole wiring.

import type { DataSourceDefinition } from './data-source.js';
import type { ProviderDefinition, ResourceDefinition } from './resource.js';
import { schemaProblems, type BlockSchema, type ResourceSchema } from './schema.js';
import type { Schema } from '../protocol/messages.js';
import { schemaToProto } from './schema-proto.js';

export type TypeKind = 'resource' | 'data-source';

/** One registered type, as docs and schema listings see it. */
export interface RegisteredType {
  readonly kind: TypeKind;
  readonly typeName: string;
  readonly schema: ResourceSchema<BlockSchema>;
}

export class TypeRegistry<Client> {
  readonly resources: ReadonlyMap<string, ResourceDefinition<Client>>;
  readonly dataSources: ReadonlyMap<string, DataSourceDefinition<Client>>;

  constructor(readonly provider: ProviderDefinition<Client>) {
    this.resources = byName(provider.resources, 'resource');
    this.dataSources = byName(provider.dataSources ?? [], 'data source');
  }

  resource(typeName: unknown): ResourceDefinition<Client> {
    const r = this.resources.get(String(typeName));
    if (!r) throw new Error(`This provider has no resource type "${String(typeName)}".`);
    return r;
  }

  dataSource(typeName: unknown): DataSourceDefinition<Client> {
    const d = this.dataSources.get(String(typeName));
    if (!d) throw new Error(`This provider has no data source "${String(typeName)}".`);
    return d;
  }

  /** Every type, resources first, each kind sorted by name. */
  types(): RegisteredType[] {
    const list = (kind: TypeKind, defs: Iterable<{ typeName: string; schema: ResourceSchema<BlockSchema> }>) =>
      [...defs].map((d) => ({ kind, typeName: d.typeName, schema: d.schema })).sort((a, b) => a.typeName.localeCompare(b.typeName));
    return [...list('resource', this.resources.values()), ...list('data-source', this.dataSources.values())];
  }

  metadata(): { resources: { type_name: string }[]; data_sources: { type_name: string }[] } {
    return {
      resources: [...this.resources.keys()].map((type_name) => ({ type_name })),
      data_sources: [...this.dataSources.keys()].map((type_name) => ({ type_name })),
    };
  }

  protoSchemas(): { resource_schemas: Record<string, Schema>; data_source_schemas: Record<string, Schema> } {
    const protos = (m: ReadonlyMap<string, { schema: ResourceSchema }>) =>
      Object.fromEntries([...m].map(([n, d]) => [n, schemaToProto(d.schema)]));
    return { resource_schemas: protos(this.resources), data_source_schemas: protos(this.dataSources) };
  }

  /** Schema mistakes Terraform would reject, and type names outside the provider's prefix. */
  problems(): string[] {
    const out = schemaProblems(this.provider.schema.block, 'provider.');
    for (const t of this.types()) {
      if (!t.typeName.startsWith(`${this.provider.typeName}_`)) out.push(`${t.typeName}: must start with "${this.provider.typeName}_"`);
      out.push(...schemaProblems(t.schema.block, `${t.typeName}.`));
    }
    return out;
  }
}

function byName<T extends { typeName: string }>(defs: readonly T[], what: string): ReadonlyMap<string, T> {
  const m = new Map<string, T>();
  for (const d of defs) {
    if (m.has(d.typeName)) throw new Error(`${what} "${d.typeName}" is registered twice`);
    m.set(d.typeName, d);
  }
  return m;
}
