// Values in and out of tfplugin6 messages, typed by a schema: DynamicValue → ObjectValue (or null) and back.

import { CodecError, decodeDynamicValue, encodeDynamicValue } from '../protocol/codec/index.js';
import type * as M from '../protocol/messages.js';
import { isObjectValue, type ObjectValue, type Value } from '../protocol/value.js';
import { impliedType, type ResourceSchema } from './schema.js';

export function decodeObject(dv: M.DynamicValue | null | undefined, schema: ResourceSchema): ObjectValue | null {
  const v: Value = decodeDynamicValue(dv, impliedType(schema.block));
  if (v === null) return null;
  if (!isObjectValue(v)) throw new CodecError([], 'an object is required');
  return v;
}

export function encodeObject(v: Value, schema: ResourceSchema): M.DynamicValueOut {
  return encodeDynamicValue(v, impliedType(schema.block), { numbersAsText: true });
}
