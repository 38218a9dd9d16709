// Type-directed value codec: msgpack and JSON encodings of Terraform values (protocol reference §4).

export { CodecError } from './errors.js';
export { decodeMsgpack } from './msgpack-decode.js';
export { encodeMsgpack, type EncodeOptions } from './msgpack-encode.js';
export { decodeJson, decodeJsonTree } from './json-decode.js';
export { parseJsonExact } from './json-parse.js';
export { encodeJson } from './json-encode.js';
export { decodeDynamicValue, encodeDynamicValue, type DynamicValueMessage } from './dynamic-value.js';
export { valueEquals, containsUnknown, canonicalKey } from './equality.js';
export { parseNumberText } from './numbers.js';
