// Minimal msgpack reader that reports each item's wire form (int vs float vs str vs bin vs ext), which a generic
// decoder hides and a type-directed cty decoder needs. Lengths are checked against the remaining bytes before use, so
// truncated or hostile input fails with a CodecError instead of allocating or reading past the end.

import { failAt, type PathStack } from './errors.js';

export type MsgpackHeader =
  | { kind: 'nil' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number | bigint }
  | { kind: 'float'; value: number }
  | { kind: 'str'; length: number }
  | { kind: 'bin'; length: number }
  | { kind: 'array'; length: number }
  | { kind: 'map'; length: number }
  | { kind: 'ext'; type: number; length: number };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_ASCII_FAST = 64;

export class MsgpackReader {
  private readonly view: DataView;
  pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** The decoder's current path, so reader errors say where they happened. */
    private readonly path: PathStack = [],
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number): void {
    if (this.remaining < n) failAt(this.path, 'unexpected end of msgpack data');
  }

  private u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  private u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  private u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  private sized(size: 1 | 2 | 4): number {
    return size === 1 ? this.u8() : size === 2 ? this.u16() : this.u32();
  }

  private fixed<T>(size: number, get: (view: DataView, at: number) => T): T {
    this.need(size);
    const v = get(this.view, this.pos);
    this.pos += size;
    return v;
  }

  readHeader(): MsgpackHeader {
    const code = this.u8();
    if (code <= 0x7f) return { kind: 'int', value: code };
    if (code >= 0xe0) return { kind: 'int', value: code - 0x100 };
    if ((code & 0xf0) === 0x80) return this.container('map', code & 0x0f);
    if ((code & 0xf0) === 0x90) return this.container('array', code & 0x0f);
    if ((code & 0xe0) === 0xa0) return this.blob('str', code & 0x1f);
    switch (code) {
      case 0xc0:
        return { kind: 'nil' };
      case 0xc2:
        return { kind: 'bool', value: false };
      case 0xc3:
        return { kind: 'bool', value: true };
      case 0xc4:
      case 0xc5:
      case 0xc6:
        return this.blob('bin', this.sized(code === 0xc4 ? 1 : code === 0xc5 ? 2 : 4));
      case 0xc7:
      case 0xc8:
      case 0xc9: {
        const length = this.sized(code === 0xc7 ? 1 : code === 0xc8 ? 2 : 4);
        return this.ext(length);
      }
      case 0xca:
        return { kind: 'float', value: this.fixed(4, (v, at) => v.getFloat32(at)) };
      case 0xcb:
        return { kind: 'float', value: this.fixed(8, (v, at) => v.getFloat64(at)) };
      case 0xcc:
        return { kind: 'int', value: this.u8() };
      case 0xcd:
        return { kind: 'int', value: this.u16() };
      case 0xce:
        return { kind: 'int', value: this.u32() };
      case 0xcf:
        return { kind: 'int', value: narrow(this.fixed(8, (v, at) => v.getBigUint64(at))) };
      case 0xd0:
        return { kind: 'int', value: this.fixed(1, (v, at) => v.getInt8(at)) };
      case 0xd1:
        return { kind: 'int', value: this.fixed(2, (v, at) => v.getInt16(at)) };
      case 0xd2:
        return { kind: 'int', value: this.fixed(4, (v, at) => v.getInt32(at)) };
      case 0xd3:
        return { kind: 'int', value: narrow(this.fixed(8, (v, at) => v.getBigInt64(at))) };
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        return this.ext(1 << (code - 0xd4));
      case 0xd9:
      case 0xda:
      case 0xdb:
        return this.blob('str', this.sized(code === 0xd9 ? 1 : code === 0xda ? 2 : 4));
      case 0xdc:
      case 0xdd:
        return this.container('array', code === 0xdc ? this.u16() : this.u32());
      case 0xde:
      case 0xdf:
        return this.container('map', code === 0xde ? this.u16() : this.u32());
      default: // 0xc1 is never used
        return failAt(this.path, `invalid msgpack byte 0x${code.toString(16)}`);
    }
  }

  /** Every element takes at least one byte (a map entry two): a longer count than bytes left is truncated data. */
  private container(kind: 'array' | 'map', length: number): MsgpackHeader {
    this.need(kind === 'map' ? length * 2 : length);
    return { kind, length };
  }

  private blob(kind: 'str' | 'bin', length: number): MsgpackHeader {
    this.need(length);
    return { kind, length };
  }

  private ext(length: number): MsgpackHeader {
    const type = this.fixed(1, (v, at) => v.getInt8(at));
    this.need(length);
    return { kind: 'ext', type, length };
  }

  /** The body of a str/bin/ext whose header was just read. */
  readBody(length: number): Uint8Array {
    this.need(length);
    const body = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return body;
  }

  /** The next byte, not consumed; -1 at the end. */
  peekByte(): number {
    return this.pos < this.bytes.length ? this.bytes[this.pos]! : -1;
  }

  /** Whether the next bytes are exactly `expected` (nothing is consumed). */
  startsWith(expected: Uint8Array): boolean {
    const bytes = this.bytes;
    const at = this.pos;
    if (bytes.length - at < expected.length) return false;
    for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
    return true;
  }

  readString(length: number): string {
    if (length <= MAX_ASCII_FAST) {
      const ascii = this.asciiString(length);
      if (ascii !== undefined) return ascii;
    }
    const body = this.readBody(length);
    let s: string;
    try {
      s = utf8.decode(body);
    } catch {
      return failAt(this.path, 'string is not valid UTF-8');
    }
    // cty holds strings in NFC; Terraform sends them so already, this keeps us equal to it for any other input.
    return /[^\x00-\x7f]/.test(s) ? s.normalize('NFC') : s;
  }

  /** Short ASCII text without TextDecoder (which costs more than the bytes for the short strings of a state). */
  private asciiString(length: number): string | undefined {
    this.need(length);
    const bytes = this.bytes;
    const start = this.pos;
    for (let i = start; i < start + length; i++) if (bytes[i]! > 0x7f) return undefined;
    this.pos += length;
    return String.fromCharCode.apply(null, bytes.subarray(start, start + length) as unknown as number[]);
  }

  /** Skips one complete item (iteratively, so deep nesting cannot exhaust the stack). */
  skip(): void {
    let pending = 1;
    while (pending > 0) {
      pending--;
      const h = this.readHeader();
      if (h.kind === 'array') pending += h.length;
      else if (h.kind === 'map') pending += h.length * 2;
      else if (h.kind === 'str' || h.kind === 'bin' || h.kind === 'ext') this.readBody(h.length);
    }
  }
}

function narrow(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}
