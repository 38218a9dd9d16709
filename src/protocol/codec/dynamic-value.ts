// tfplugin6 DynamicValue messages: { msgpack, json } bytes, one of which carries the value.

import type { CtyType } from '../cty-type.js';
import type { Value } from '../value.js';
import { decodeJson } from './json-decode.js';
import { decodeMsgpack } from './msgpack-decode.js';
import { encodeMsgpack, type EncodeOptions } from './msgpack-encode.js';

export interface DynamicValueMessage {
  msgpack?: Uint8Array | null;
  json?: Uint8Array | null;
}

/** msgpack when non-empty (what Terraform always sends), else json when non-empty, else null (unset message). */
export function decodeDynamicValue(dv: DynamicValueMessage | null | undefined, type: CtyType): Value {
  if (dv?.msgpack && dv.msgpack.length > 0) return decodeMsgpack(dv.msgpack, type);
  if (dv?.json && dv.json.length > 0) return decodeJson(dv.json, type);
  return null;
}

/** Always msgpack (JSON cannot carry unknowns); `json` is left empty. */
export function encodeDynamicValue(value: Value, type: CtyType, options: EncodeOptions = {}): { msgpack: Buffer; json: Buffer } {
  const bytes = encodeMsgpack(value, type, options);
  return { msgpack: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), json: Buffer.alloc(0) };
}
