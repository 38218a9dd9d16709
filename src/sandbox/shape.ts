// A small checker for request bodies: known keys only (the spec's request schemas forbid additional properties),
// JSON types, required keys. Shapes are written here from the API's documented request fields.
import { errors } from './errors.js';

export type Shape =
  | 'string'
  | 'boolean'
  | 'integer'
  | { array: Shape }
  | { object: Record<string, Shape>; required?: string[] }
  | { open: true }; // any JSON object (fields the sandbox accepts without interpreting)

export function checkShape(value: unknown, shape: Shape, path: string): void {
  if (shape === 'string') {
    if (typeof value !== 'string') throw errors.wrongType(`${path} must be a string.`);
    return;
  }
  if (shape === 'boolean') {
    if (typeof value !== 'boolean') throw errors.wrongType(`${path} must be a boolean.`);
    return;
  }
  if (shape === 'integer') {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw errors.wrongType(`${path} must be an integer.`);
    return;
  }
  if ('array' in shape) {
    if (!Array.isArray(value)) throw errors.wrongType(`${path} must be an array.`);
    value.forEach((item, i) => checkShape(item, shape.array, `${path}[${i}]`));
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw errors.wrongType(`${path || 'The request body'} must be an object.`);
  }
  if ('open' in shape) return;
  const record = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) {
    const sub = shape.object[key];
    const where = path ? `${path}.${key}` : key;
    if (!sub) throw errors.unknownParameter(`The parameter '${where}' is not valid for this call.`);
    if (v === null) throw errors.wrongType(`${where} must not be null.`);
    checkShape(v, sub, where);
  }
  for (const key of shape.required ?? []) {
    if (record[key] === undefined) throw errors.missingParameter(path ? `${path}.${key}` : key);
  }
}

export const strings: Shape = { array: 'string' };
export const integers: Shape = { array: 'integer' };

export const resourceTag = (required: string[]): Shape => ({ object: { Key: 'string', Value: 'string' }, required });

export const bsuToCreate: Shape = {
  object: { DeleteOnVmDeletion: 'boolean', Iops: 'integer', SnapshotId: 'string', VolumeSize: 'integer', VolumeType: 'string' },
};

export const blockDeviceMappingImage: Shape = {
  object: { Bsu: bsuToCreate, DeviceName: 'string', VirtualDeviceName: 'string' },
};

export const permissions: Shape = { object: { AccountIds: strings, GlobalPermission: 'boolean' } };

export const pagination = { NextPageToken: 'string', ResultsPerPage: 'integer' } as const;
