// Terraform (cty) types, as used in schemas and to direct value encoding.
// Wire form (Schema.Attribute.type): "string" | "number" | "bool" | "dynamic" | ["list",T] | ["set",T] | ["map",T]
// | ["object",{name:T}] | ["object",{name:T},[optional names]] | ["tuple",[T...]].

export type PrimitiveType = 'string' | 'number' | 'bool';

export type CtyType =
  | PrimitiveType
  | 'dynamic'
  | { readonly kind: 'list' | 'set' | 'map'; readonly element: CtyType }
  | { readonly kind: 'object'; readonly attributes: Readonly<Record<string, CtyType>>; readonly optional?: readonly string[] }
  | { readonly kind: 'tuple'; readonly elements: readonly CtyType[] };

export type CollectionType = Extract<CtyType, { kind: 'list' | 'set' | 'map' }>;
export type ObjectType = Extract<CtyType, { kind: 'object' }>;
export type TupleType = Extract<CtyType, { kind: 'tuple' }>;

export const types = {
  string: 'string' as const,
  number: 'number' as const,
  bool: 'bool' as const,
  dynamic: 'dynamic' as const,
  list: (element: CtyType): CtyType => ({ kind: 'list', element }),
  set: (element: CtyType): CtyType => ({ kind: 'set', element }),
  map: (element: CtyType): CtyType => ({ kind: 'map', element }),
  object: (attributes: Record<string, CtyType>, optional?: string[]): ObjectType =>
    optional && optional.length > 0 ? { kind: 'object', attributes, optional } : { kind: 'object', attributes },
  tuple: (elements: CtyType[]): CtyType => ({ kind: 'tuple', elements }),
};

export function typeToJSON(t: CtyType): unknown {
  if (typeof t === 'string') return t;
  switch (t.kind) {
    case 'list':
    case 'set':
    case 'map':
      return [t.kind, typeToJSON(t.element)];
    case 'object': {
      const attrs: Record<string, unknown> = {};
      for (const name of Object.keys(t.attributes).sort()) attrs[name] = typeToJSON(t.attributes[name]!);
      return t.optional && t.optional.length > 0 ? ['object', attrs, [...t.optional].sort()] : ['object', attrs];
    }
    case 'tuple':
      return ['tuple', t.elements.map(typeToJSON)];
  }
}

/** Parses cty type JSON (already JSON.parse'd). Throws on anything malformed. */
export function typeFromJSON(j: unknown): CtyType {
  if (j === 'string' || j === 'number' || j === 'bool' || j === 'dynamic') return j;
  if (!Array.isArray(j) || typeof j[0] !== 'string') throw new TypeError(`invalid type ${JSON.stringify(j)}`);
  const [kind, arg, opt] = j as [string, unknown, unknown];
  switch (kind) {
    case 'list':
    case 'set':
    case 'map':
      if (j.length !== 2) break;
      return { kind, element: typeFromJSON(arg) };
    case 'object': {
      if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || j.length > 3) break;
      const attributes: Record<string, CtyType> = Object.create(null);
      for (const [name, at] of Object.entries(arg)) attributes[name] = typeFromJSON(at);
      if (opt !== undefined && !(Array.isArray(opt) && opt.every((o) => typeof o === 'string'))) break;
      return types.object(attributes, opt as string[] | undefined);
    }
    case 'tuple':
      if (!Array.isArray(arg) || j.length !== 2) break;
      return { kind: 'tuple', elements: arg.map(typeFromJSON) };
  }
  throw new TypeError(`invalid type ${JSON.stringify(j)}`);
}

export function typeEquals(a: CtyType, b: CtyType): boolean {
  return JSON.stringify(typeToJSON(a)) === JSON.stringify(typeToJSON(b));
}

export function typeName(t: CtyType): string {
  if (typeof t === 'string') return t;
  switch (t.kind) {
    case 'list':
    case 'set':
    case 'map':
      return `${t.kind} of ${typeName(t.element)}`;
    case 'object':
      return 'object';
    case 'tuple':
      return 'tuple';
  }
}
