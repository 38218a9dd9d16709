// The invariants of a cell, each returning the problems it found (empty: holds), in words a reader of the
// guarantees page understands: OMIs versus state, state versus the API, the API versus the configuration, secrets.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { RunResult, StateFile, TerraformWorkspace } from '../harness/index.js';
import type { Sandbox, StoredImage } from '../../../src/sandbox/index.js';
import { ownImages, stateInstances } from '../reliability/helpers.js';
import { IMAGE_NAME, type Desired } from './operations.js';

/**
 * At most one OMI per name; none that state does not know (but `unmanaged` ones); none in state the API lacks (unless
 * `goneTolerated`: a killed provider could not record that its last call deleted it).
 */
export function omiProblems(sandbox: Sandbox, state: StateFile | null, unmanaged: string[], goneTolerated = false): string[] {
  const images = ownImages(sandbox);
  const problems: string[] = [];
  const byName = new Map<string, string[]>();
  for (const image of images) byName.set(image.ImageName, [...(byName.get(image.ImageName) ?? []), image.ImageId]);
  for (const [name, ids] of byName) if (ids.length > 1) problems.push(`${ids.length} OMIs named "${name}" (${ids.join(', ')})`);
  const inState = new Set(stateInstances(state).map((i) => i.id));
  for (const image of images) {
    if (!inState.has(image.ImageId) && !unmanaged.includes(image.ImageId)) problems.push(`orphan ${image.ImageId}: the API has it, state does not`);
  }
  const live = new Set(images.map((i) => i.ImageId));
  for (const id of inState) if (id !== undefined && !live.has(id) && !goneTolerated) problems.push(`state holds ${id}, which the API does not have`);
  return problems;
}

/** OMIs the API has that state does not know (and that were not there, unmanaged, before the command). */
export function orphans(sandbox: Sandbox, state: StateFile | null, unmanaged: string[]): string[] {
  const inState = new Set(stateInstances(state).map((i) => i.id));
  return ownImages(sandbox)
    .map((i) => i.ImageId)
    .filter((id) => !inState.has(id) && !unmanaged.includes(id));
}

const tagRecord = (tags: Array<{ Key: string; Value: string }>) => Object.fromEntries(tags.map((t) => [t.Key, t.Value]).sort());
const stateTags = (tags: unknown) =>
  Object.fromEntries(((tags ?? []) as Array<{ key: string; value: string }>).map((t) => [t.key, t.value]).sort());

function differences(label: string, fromState: Record<string, unknown>, image: StoredImage): string[] {
  const pairs: Array<[string, unknown, unknown]> = [
    ['description', fromState.description, image.Description],
    ['product_codes', fromState.product_codes, image.ProductCodes],
    ['tags', stateTags(fromState.tags), tagRecord(image.Tags)],
    ['state', fromState.state, image.State],
  ];
  return pairs
    .filter(([, a, b]) => JSON.stringify(a) !== JSON.stringify(b))
    .map(([name, a, b]) => `${label} ${name}: state ${JSON.stringify(a)}, API ${JSON.stringify(b)}`);
}

/** Attribute by attribute, what state says of each OMI against what the API has (the diagnosis of a drift). */
export function stateVsApi(sandbox: Sandbox, state: StateFile | null): string[] {
  const out: string[] = [];
  for (const resource of state?.resources ?? []) {
    if (resource.type !== 'outscale_image') continue;
    for (const instance of resource.instances) {
      const image = sandbox.state.activeImage(String(instance.attributes.id));
      if (image) out.push(...differences(String(instance.attributes.id), instance.attributes, image));
    }
  }
  return out;
}

/** After convergence: the API holds exactly what the configuration asks (or no OMI when it asks none). */
export function apiVsDesired(sandbox: Sandbox, desired: Desired | null): string[] {
  const named = ownImages(sandbox).filter((i) => i.ImageName === IMAGE_NAME);
  if (desired === null) return named.length === 0 ? [] : [`the configuration has no OMI, the API has ${named.map((i) => i.ImageId).join(', ')}`];
  if (named.length !== 1) return [`the configuration has one OMI, the API has ${named.length}`];
  const image = named[0]!;
  const problems: string[] = [];
  if (image.State !== 'available') problems.push(`the OMI is ${image.State}`);
  if (desired.description !== undefined && image.Description !== desired.description)
    problems.push(`API description ${JSON.stringify(image.Description)}, config ${JSON.stringify(desired.description)}`);
  if (desired.productCodes !== undefined && JSON.stringify(image.ProductCodes) !== JSON.stringify(desired.productCodes))
    problems.push(`API product_codes ${JSON.stringify(image.ProductCodes)}, config ${JSON.stringify(desired.productCodes)}`);
  if (desired.tags !== undefined && JSON.stringify(tagRecord(image.Tags)) !== JSON.stringify(Object.fromEntries(Object.entries(desired.tags).sort())))
    problems.push(`API tags ${JSON.stringify(tagRecord(image.Tags))}, config ${JSON.stringify(desired.tags)}`);
  return problems;
}

const HEX_64 = /[0-9a-f]{64}/g;

/** The secret key or any request signature the sandbox received, anywhere in the outputs, the log or the state. */
export async function secretLeaks(tf: TerraformWorkspace, sandbox: Sandbox, secretKey: string, outputs: RunResult[]): Promise<string[]> {
  const signatures = new Set(sandbox.calls.map((c) => c.signature).filter((s): s is string => typeof s === 'string'));
  const texts: Array<[string, string]> = [['terraform.log', await tf.readLog()]];
  for (const file of ['terraform.tfstate', 'terraform.tfstate.backup']) {
    if (existsSync(tf.path(file))) texts.push([file, await readFile(tf.path(file), 'utf8')]);
  }
  for (const r of outputs) texts.push([`terraform ${r.args[0]} output`, r.stdout + r.stderr]);
  const leaks: string[] = [];
  for (const [where, text] of texts) {
    if (text.includes(secretKey)) leaks.push(`the secret key in ${where}`);
    const signature = (text.match(HEX_64) ?? []).find((hex) => signatures.has(hex));
    if (signature) leaks.push(`a request signature in ${where}`);
  }
  return leaks;
}
