import { describe, expect, it } from 'vitest';
import type { FailedOperation } from '../../../src/framework/failure.js';
import { OscApiError } from '../../../src/outscale/errors.js';
import { objectValue, type Value } from '../../../src/protocol/value.js';
import { imageFailureNames } from '../../../src/resources/image/failure-names.js';
import { nameConflictDetail } from '../../../src/resources/image/name-conflict.js';

const apiError = (action: string) => new OscApiError({ action, httpStatus: 400, errors: [{ Code: '4000', Type: 'InvalidParameterValue' }], requestId: 'r-1' });
const omi = (o: Record<string, Value>) => objectValue({ id: 'ami-1', description: 'a', product_codes: ['0001'], ...o });

function summary(failure: Partial<FailedOperation> & { error: unknown }): string | undefined {
  return imageFailureNames.summarize!({ operation: 'update', id: 'ami-1', prior: omi({}), planned: omi({}), ...failure });
}

describe('outscale_image failure names', () => {
  it.each([
    ['description', { description: 'b' }, 'Failed to update the description of OMI ami-1'],
    ['product codes', { product_codes: ['0002'] }, 'Failed to update the product codes of OMI ami-1'],
    ['both', { description: 'b', product_codes: ['0002'] }, 'Failed to update the description and product codes of OMI ami-1'],
  ])('UpdateImage changing the %s', (_name, planned, expected) => {
    expect(summary({ error: apiError('UpdateImage'), planned: omi(planned) })).toBe(expected);
  });

  it('tag calls name the tags; other errors and operations keep the generic summary', () => {
    expect(summary({ error: apiError('CreateTags') })).toBe('Failed to tag OMI ami-1');
    expect(summary({ error: apiError('DeleteTags') })).toBe('Failed to remove tags from OMI ami-1');
    expect(summary({ error: new Error('boom') })).toBeUndefined();
    expect(summary({ error: apiError('UpdateImage') })).toBeUndefined(); // nothing UpdateImage changes differs
    expect(summary({ operation: 'delete', error: apiError('DeleteTags') })).toBeUndefined();
    expect(imageFailureNames.noun).toBe('OMI');
  });
});

describe('OMI name conflict', () => {
  it('explains a create_before_destroy replacement and a lost OMI, with the API message', () => {
    const detail = nameConflictDetail('web', 'ami-9', 'CreateImage failed: 9000 ResourceConflict (HTTP 409, request id r-2)');
    expect(detail).toContain('An OMI named "web" already exists: ami-9.');
    expect(detail).toContain('create_before_destroy: the OMI being replaced, ami-9, still holds the name');
    expect(detail).toContain('another image_name');
    expect(detail).toContain('terraform import outscale_image.<name> ami-9');
    expect(detail).toContain('request id r-2');
  });

  it('still explains both cases when the holder could not be found', () => {
    const detail = nameConflictDetail('web', undefined, 'CreateImage failed');
    expect(detail).toContain('An OMI named "web" already exists.');
    expect(detail).toContain('create_before_destroy');
    expect(detail).toContain('terraform import');
    expect(detail).not.toContain('undefined');
  });
});
