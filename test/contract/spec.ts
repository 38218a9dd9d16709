// Loads the official OUTSCALE OpenAPI spec (../shared/outscale-api/outscale.yaml, never copied into the project) and
// compiles its component schemas with ajv, smoothing over the OpenAPI 3.0 dialect.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, it } from 'vitest';
import { parse } from 'yaml';
import { isCi } from '../e2e/harness/terraform-binary.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** CONTRACT_SPEC_PATH overrides the location (tests of the gate point it at a missing file). */
export const specPath = process.env.CONTRACT_SPEC_PATH || resolve(repoRoot, '../shared/outscale-api/outscale.yaml');
export const specAvailable = existsSync(specPath);
export const specMissingReason = `OpenAPI spec not found at ${specPath}`;

export type SpecGate = { mode: 'run' } | { mode: 'skip' | 'fail'; reason: string };

/** Run with the spec; without it skip on a developer machine, fail under CI (a skip there would hide the tier). */
export function specGate(available: boolean = specAvailable, env: NodeJS.ProcessEnv = process.env): SpecGate {
  if (available) return { mode: 'run' };
  return isCi(env)
    ? { mode: 'fail', reason: `CI=${env.CI}: the contract tests need the spec. ${specMissingReason}` }
    : { mode: 'skip', reason: `${specMissingReason}: spec contract tests skipped` };
}

/** `describe` gated by specGate(): under CI a missing spec is one failing test carrying the reason. */
export function describeWithSpec(name: string, body: () => void, gate: SpecGate = specGate()): void {
  if (gate.mode === 'fail') {
    describe(name, () => it('has the OpenAPI spec', () => { throw new Error(gate.reason); }));
    return;
  }
  if (gate.mode === 'skip') console.warn(`[contract] skipping "${name}": ${gate.reason}`);
  describe.skipIf(gate.mode === 'skip')(name, body);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface OpenApiDoc {
  paths: Record<string, { post?: { requestBody?: JsonObject; responses?: Record<string, JsonObject> } }>;
  components: { schemas: Record<string, Json> };
}

const SCHEMA_ID = 'osc';
const REF_PREFIX = '#/components/schemas/';

/** OpenAPI 3.0 schema → JSON Schema draft 7 as ajv understands it. */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'xml' || key === 'externalDocs' || key === 'deprecated') continue;
    if (key === 'nullable' || key === 'readOnly' || key === 'writeOnly' || key === 'discriminator') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) {
      out.$ref = `${SCHEMA_ID}#/definitions/${value.slice(REF_PREFIX.length)}`;
      continue;
    }
    if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
      continue;
    }
    out[key] = toJsonSchema(value);
  }
  if ((node as JsonObject).nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

let compiled: { doc: OpenApiDoc; ajv: Ajv } | undefined;

/** Parses and compiles the spec once (the helpers below call it lazily). */
export function loadSpec(): { doc: OpenApiDoc; ajv: Ajv } {
  if (compiled) return compiled;
  if (!specAvailable) throw new Error(specMissingReason);
  const doc = parse(readFileSync(specPath, 'utf8')) as OpenApiDoc;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  // ajv-formats is CommonJS: its default export is the plugin function, wrapped once more under NodeNext.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addSchema({ $id: SCHEMA_ID, definitions: toJsonSchema(doc.components.schemas as Json) } as object);
  compiled = { doc, ajv };
  return compiled;
}

const validators = new Map<string, ValidateFunction>();

export interface SpecValidation {
  valid: boolean;
  errors: string[];
}

/** Validates a value against a component schema of the spec, e.g. validateAgainstSpec('CreateImageRequest', body). */
export function validateAgainstSpec(schemaName: string, value: unknown): SpecValidation {
  const { doc, ajv } = loadSpec();
  if (!(schemaName in doc.components.schemas)) throw new Error(`no schema ${schemaName} in the spec`);
  let validate = validators.get(schemaName);
  if (!validate) {
    validate = ajv.getSchema(`${SCHEMA_ID}#/definitions/${schemaName}`);
    if (!validate) throw new Error(`ajv could not compile ${schemaName}`);
    validators.set(schemaName, validate);
  }
  const valid = validate(value) as boolean;
  return {
    valid,
    errors: valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`),
  };
}

function refName(schema: Json | undefined): string | undefined {
  if (schema && typeof schema === 'object' && !Array.isArray(schema) && typeof schema.$ref === 'string') {
    return schema.$ref.slice(REF_PREFIX.length);
  }
  return undefined;
}

/** The component schema name of an action's request body (e.g. CreateImage → CreateImageRequest). */
export function requestSchemaFor(action: string): string {
  const { doc } = loadSpec();
  const body = doc.paths[`/${action}`]?.post?.requestBody as { content?: Record<string, { schema?: Json }> } | undefined;
  const name = refName(body?.content?.['application/json']?.schema);
  if (!name) throw new Error(`no request schema for ${action}`);
  return name;
}

/** The component schema name of an action's response for an HTTP status: the typed body for 200, ErrorResponse otherwise. */
export function responseSchemaFor(action: string, status: number): string {
  const { doc } = loadSpec();
  const responses = doc.paths[`/${action}`]?.post?.responses;
  if (!responses) throw new Error(`no path /${action} in the spec`);
  const declared = responses[String(status)] as { content?: Record<string, { schema?: Json }> } | undefined;
  const name = refName(declared?.content?.['application/json']?.schema);
  if (name) return name;
  if (status === 200) throw new Error(`no 200 response schema for ${action}`);
  return 'ErrorResponse';
}

/** Whether the spec lists the status among the action's responses (the sandbox may answer more, e.g. 429/503). */
export function declaresStatus(action: string, status: number): boolean {
  const { doc } = loadSpec();
  return String(status) in (doc.paths[`/${action}`]?.post?.responses ?? {});
}
