// What an outscale_image error summary calls the failure: the operation on the OMI, or, during an update, the part
// of the OMI that the failing API call was changing.

import type { FailedOperation, FailureNaming } from '../../framework/failure.js';
import { valueEquals } from '../../protocol/codec/index.js';
import type { ObjectValue } from '../../protocol/value.js';

const UPDATABLE = [
  { attribute: 'description', words: 'description', type: 'string' },
  { attribute: 'product_codes', words: 'product codes', type: { kind: 'list', element: 'string' } },
] as const;

function changedParts(prior: ObjectValue, planned: ObjectValue): string[] {
  return UPDATABLE.filter(
    ({ attribute, type }) => (planned[attribute] ?? null) !== null && !valueEquals(planned[attribute] ?? null, prior[attribute] ?? null, type),
  ).map((u) => u.words);
}

const actionOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { action?: unknown }).action === 'string'
    ? (error as { action: string }).action
    : undefined;

function summarizeUpdate({ id, error, prior, planned }: FailedOperation): string | undefined {
  const omi = `OMI ${id ?? ''}`.trim();
  switch (actionOf(error)) {
    case 'UpdateImage': {
      const parts = prior && planned ? changedParts(prior, planned) : [];
      return parts.length > 0 ? `Failed to update the ${parts.join(' and ')} of ${omi}` : undefined;
    }
    case 'CreateTags':
      return `Failed to tag ${omi}`;
    case 'DeleteTags':
      return `Failed to remove tags from ${omi}`;
    default:
      return undefined;
  }
}

export const imageFailureNames: FailureNaming = {
  noun: 'OMI',
  summarize: (failure) => (failure.operation === 'update' ? summarizeUpdate(failure) : undefined),
};
