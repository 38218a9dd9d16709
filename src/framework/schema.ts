// The declarative schema: one object per resource (or provider) drives the tfplugin6 Schema, the cty type used to
// decode values, config validation, the plan rules, the TS model types and the generated docs.

import { types as t, type CtyType } from '../protocol/cty-type.js';
import type { Value } from '../protocol/value.js';
import type { Validator } from './validators.js';

export interface AttributeSchema<TS = unknown> {
  readonly kind: 'attribute';
  readonly type: CtyType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly description?: string;
  readonly deprecated?: string;
  readonly validators?: readonly Validator[];
  /** A change of this attribute (from one known value to another) replaces the resource. */
  readonly requiresReplace?: boolean;
  /** Keep the prior state value when the plan would otherwise be unknown (values that never change after create). */
  readonly useStateForUnknown?: boolean;
  /** Planned when the config is null (the attribute must be computed). */
  readonly default?: Value;
  /** Phantom: the TS type of a known value. */
  readonly __ts?: TS;
}

export interface BlockSchema {
  readonly description?: string;
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
  readonly blocks?: Readonly<Record<string, NestedBlockSchema>>;
}

export interface NestedBlockSchema<B extends BlockSchema = BlockSchema> {
  readonly kind: 'block';
  readonly nesting: 'single' | 'list' | 'set';
  readonly block: B;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly description?: string;
}

export interface ResourceSchema<B extends BlockSchema = BlockSchema> {
  readonly version: number;
  readonly block: B;
}

// ---- builders ----------------------------------------------------------------------------------------------------

type Flags = Omit<AttributeSchema, 'kind' | 'type' | '__ts'>;

/** A cty type with the TS type of its known values attached (phantom). */
export interface TypeSpec<TS> {
  readonly cty: CtyType;
  readonly __ts?: TS;
}

export const type = {
  string: { cty: t.string } as TypeSpec<string>,
  number: { cty: t.number } as TypeSpec<number>,
  bool: { cty: t.bool } as TypeSpec<boolean>,
  list: <E>(e: TypeSpec<E>): TypeSpec<Array<E | null>> => ({ cty: t.list(e.cty) }),
  set: <E>(e: TypeSpec<E>): TypeSpec<Array<E | null>> => ({ cty: t.set(e.cty) }),
  map: <E>(e: TypeSpec<E>): TypeSpec<Record<string, E | null>> => ({ cty: t.map(e.cty) }),
  /** An object type whose attributes are all optional in `= {…}` syntax (the cty optional-attribute marker). */
  object: <F extends Record<string, TypeSpec<unknown>>>(
    fields: F,
  ): TypeSpec<Simplify<{ [K in keyof F]: (F[K] extends TypeSpec<infer X> ? X : never) | null }>> => {
    const attrs: Record<string, CtyType> = {};
    for (const [k, v] of Object.entries(fields)) attrs[k] = v.cty;
    return { cty: t.object(attrs, Object.keys(fields)) };
  },
};

export function attribute<TS>(spec: TypeSpec<TS>, flags: Flags): AttributeSchema<TS> {
  return { kind: 'attribute', type: spec.cty, ...flags };
}

export function block<N extends NestedBlockSchema['nesting'], B extends BlockSchema>(
  nesting: N,
  b: B,
  extra: { minItems?: number; maxItems?: number; description?: string } = {},
): NestedBlockSchema<B> & { readonly nesting: N } {
  return { kind: 'block', nesting, block: b, ...extra };
}

// ---- TS model types ------------------------------------------------------------------------------------------------

type AttrTs<A> = A extends AttributeSchema<infer TS> ? TS : never;
type BlockTs<N> =
  N extends NestedBlockSchema<infer B> ? (N['nesting'] extends 'single' ? Model<B> | null : Array<Model<B>>) : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type BlocksOf<B extends BlockSchema> = B extends { blocks: infer N } ? N : {};

/** A wholly known value of a block (state, apply-time config): every attribute present, null when unset. */
export type Model<B extends BlockSchema> = Simplify<
  { [K in keyof B['attributes']]: AttrTs<B['attributes'][K]> | null } & {
    [K in keyof BlocksOf<B>]: BlockTs<BlocksOf<B>[K]>;
  }
>;

// ---- derived forms ------------------------------------------------------------------------------------------------

const typeCache = new WeakMap<BlockSchema, CtyType>();

/** The object type Terraform implies for a block (attributes plus nested blocks). */
export function impliedType(b: BlockSchema): CtyType {
  const cached = typeCache.get(b);
  if (cached) return cached;
  const attrs: Record<string, CtyType> = {};
  for (const [name, a] of Object.entries(b.attributes)) attrs[name] = a.type;
  for (const [name, nb] of Object.entries(b.blocks ?? {})) {
    const inner = impliedType(nb.block);
    attrs[name] = nb.nesting === 'single' ? inner : nb.nesting === 'list' ? t.list(inner) : t.set(inner);
  }
  const result = t.object(attrs);
  typeCache.set(b, result);
  return result;
}

export function isComputedOnly(a: AttributeSchema): boolean {
  return !!a.computed && !a.optional && !a.required;
}

/** Schema mistakes that Terraform would reject (or that make no sense): reported at start-up in tests. */
export function schemaProblems(b: BlockSchema, where = ''): string[] {
  const problems: string[] = [];
  for (const [name, a] of Object.entries(b.attributes)) {
    const at = `${where}${name}`;
    if (!/^[a-z0-9_]+$/.test(name)) problems.push(`${at}: invalid name`);
    if (a.required && (a.optional || a.computed)) problems.push(`${at}: required cannot be optional or computed`);
    if (!a.required && !a.optional && !a.computed) problems.push(`${at}: must be required, optional or computed`);
    if (a.default !== undefined && !a.computed) problems.push(`${at}: a default needs computed`);
    if (a.requiresReplace && isComputedOnly(a)) problems.push(`${at}: computed-only cannot require replacement`);
    if (!a.description?.trim()) problems.push(`${at}: no description`);
  }
  for (const [name, nb] of Object.entries(b.blocks ?? {})) {
    if (name in b.attributes) problems.push(`${where}${name}: both attribute and block`);
    if (nb.nesting === 'single' && (nb.minItems ?? 0) > 1) problems.push(`${where}${name}: single block min>1`);
    if (!(nb.description ?? nb.block.description)?.trim()) problems.push(`${where}${name}: no description`);
    problems.push(...schemaProblems(nb.block, `${where}${name}.`));
  }
  return problems;
}
