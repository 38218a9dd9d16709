// After each step of a scenario: what the API holds (read from the sandbox directly) against the model, and whether
// the OMI was replaced exactly when a create-only input changed. Returns the problems found (empty: all good).
import { SEEDED, type Sandbox, type StoredImage } from '../../../src/sandbox/index.js';
import { ownImages } from '../reliability/helpers.js';
import { MODES, type ModelConfig } from './model.js';

export interface Observed {
  id: string;
  image: StoredImage;
}

const FILE_LOCATION = /file_location = "([^"]+)"/.exec(MODES.file)![1]!;

export function apiProblems(sandbox: Sandbox, config: ModelConfig, previous: Observed | undefined, replaced: boolean, stateId: string | undefined): string[] {
  const problems: string[] = [];
  const images = ownImages(sandbox);
  if (images.length !== 1) problems.push(`the API has ${images.length} OMIs of the account (${images.map((i) => `${i.ImageId} "${i.ImageName}"`).join(', ')}), expected 1`);
  const image = stateId === undefined ? undefined : sandbox.state.activeImage(stateId);
  if (!image) return [...problems, `the OMI of state (${stateId ?? 'none'}) does not exist for the API`];
  if (previous) {
    const same = previous.id === image.ImageId;
    if (replaced && same) problems.push(`a create-only input changed but the OMI ${image.ImageId} was not replaced`);
    if (!replaced && !same) problems.push(`only updatable inputs changed but the OMI was replaced (${previous.id} → ${image.ImageId})`);
  }
  const kept = previous && !replaced ? previous.image : undefined;
  if (image.State !== 'available') problems.push(`the OMI is ${image.State}`);
  if (image.ImageName !== config.imageName) problems.push(`API image name ${JSON.stringify(image.ImageName)}, config ${JSON.stringify(config.imageName)}`);
  const expectedDescription = config.description?.value ?? kept?.Description;
  if (expectedDescription !== undefined && image.Description !== expectedDescription)
    problems.push(`API description ${JSON.stringify(image.Description)}, expected ${JSON.stringify(expectedDescription)}`);
  const expectedCodes = config.productCodes ?? kept?.ProductCodes;
  if (expectedCodes !== undefined && JSON.stringify(image.ProductCodes) !== JSON.stringify(expectedCodes))
    problems.push(`API product codes ${JSON.stringify(image.ProductCodes)}, expected ${JSON.stringify(expectedCodes)}`);
  const tags = (list: Array<[string, string]>) => JSON.stringify(Object.fromEntries([...list].sort(([a], [b]) => (a < b ? -1 : 1))));
  const apiTags = image.Tags.map((t): [string, string] => [t.Key, t.Value]);
  const wanted = config.tags.map((t): [string, string] => [t.key.value, t.value.value]);
  if (apiTags.length !== wanted.length || tags(apiTags) !== tags(wanted)) problems.push(`API tags ${JSON.stringify(image.Tags)}, config ${tags(wanted)}`);
  if (config.mode === 'file' && image.FileLocation !== FILE_LOCATION) problems.push(`API file location ${image.FileLocation}`);
  if (config.mode.startsWith('snapshot')) {
    const snapshot = config.mode === 'snapshot-minimal' ? SEEDED.snapshotIds[0] : SEEDED.snapshotIds[1];
    if (image.BlockDeviceMappings[0]?.Bsu?.SnapshotId !== snapshot) problems.push(`API mappings ${JSON.stringify(image.BlockDeviceMappings)}`);
  }
  return problems;
}
