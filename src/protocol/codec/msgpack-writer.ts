// Minimal msgpack writer producing the same compact encodings as Terraform's encoder: smallest int form (uint family
// for non-negative values), float64 for floats, str8 from 32 bytes, fixext for 1/2/4/8/16-byte extension payloads.

const utf8 = new TextEncoder();
const FIXEXT_CODES: Readonly<Record<number, number>> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };

/** The msgpack bytes of one string (an attribute name, prepared once by the compiled codecs). */
export function msgpackString(s: string): Uint8Array {
  const w = new MsgpackWriter();
  w.str(s);
  return w.bytes();
}

export class MsgpackWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private u8(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Writes a one-byte code, reserves `size` bytes after it (the caller fills them) and returns the view. */
  private head(code: number, size: 1 | 2 | 4): DataView {
    this.ensure(1 + size);
    this.buf[this.pos] = code;
    this.pos += 1 + size;
    return this.view;
  }

  private sizedHead(code8: number, n: number): void {
    if (n <= 0xff) this.head(code8, 1).setUint8(this.pos - 1, n);
    else if (n <= 0xffff) this.head(code8 + 1, 2).setUint16(this.pos - 2, n);
    else this.head(code8 + 2, 4).setUint32(this.pos - 4, n);
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  nil(): void {
    this.u8(0xc0);
  }

  bool(b: boolean): void {
    this.u8(b ? 0xc3 : 0xc2);
  }

  /** Any integer in [-2^63, 2^64-1], as a safe JS integer or a bigint. */
  int(n: number | bigint): void {
    if (typeof n === 'bigint') {
      if (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) return this.int(Number(n));
      return this.int64(n);
    }
    if (n >= 0) {
      if (n < 0x80) return this.u8(n);
      if (n <= 0xff) return this.head(0xcc, 1).setUint8(this.pos - 1, n);
      if (n <= 0xffff) return this.head(0xcd, 2).setUint16(this.pos - 2, n);
      if (n <= 0xffffffff) return this.head(0xce, 4).setUint32(this.pos - 4, n);
      return this.int64(BigInt(n));
    }
    if (n >= -32) return this.u8(n & 0xff);
    if (n >= -0x80) return this.head(0xd0, 1).setInt8(this.pos - 1, n);
    if (n >= -0x8000) return this.head(0xd1, 2).setInt16(this.pos - 2, n);
    if (n >= -0x80000000) return this.head(0xd2, 4).setInt32(this.pos - 4, n);
    return this.int64(BigInt(n));
  }

  /** uint64 for non-negative values, int64 for negative ones. */
  private int64(n: bigint): void {
    this.ensure(9);
    this.buf[this.pos] = n >= 0n ? 0xcf : 0xd3;
    if (n >= 0n) this.view.setBigUint64(this.pos + 1, n);
    else this.view.setBigInt64(this.pos + 1, n);
    this.pos += 9;
  }

  float64(n: number): void {
    this.ensure(9);
    this.buf[this.pos] = 0xcb;
    this.view.setFloat64(this.pos + 1, n);
    this.pos += 9;
  }

  str(s: string): void {
    if (this.ascii(s)) return;
    const bytes = utf8.encode(s);
    const n = bytes.length;
    if (n < 32) this.u8(0xa0 | n);
    else this.sizedHead(0xd9, n);
    this.raw(bytes);
  }

  /**
   * An ASCII string of up to 255 characters, byte by byte (TextEncoder costs more than the copy for the short
   * strings of a state). False, with nothing written, for a longer string or any other character: `str` then
   * encodes it the general way.
   */
  ascii(s: string): boolean {
    const n = s.length;
    if (n > 0xff) return false;
    const headerSize = n < 32 ? 1 : 2;
    this.ensure(headerSize + n);
    const buf = this.buf;
    const at = this.pos + headerSize;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return false;
      buf[at + i] = c;
    }
    if (headerSize === 1) buf[this.pos] = 0xa0 | n;
    else {
      buf[this.pos] = 0xd9;
      buf[this.pos + 1] = n;
    }
    this.pos = at + n;
    return true;
  }

  bin(bytes: Uint8Array): void {
    this.sizedHead(0xc4, bytes.length);
    this.raw(bytes);
  }

  arrayHeader(n: number): void {
    if (n < 16) this.u8(0x90 | n);
    else if (n <= 0xffff) this.head(0xdc, 2).setUint16(this.pos - 2, n);
    else this.head(0xdd, 4).setUint32(this.pos - 4, n);
  }

  mapHeader(n: number): void {
    if (n < 16) this.u8(0x80 | n);
    else if (n <= 0xffff) this.head(0xde, 2).setUint16(this.pos - 2, n);
    else this.head(0xdf, 4).setUint32(this.pos - 4, n);
  }

  ext(type: number, payload: Uint8Array): void {
    const n = payload.length;
    const fixCode = FIXEXT_CODES[n];
    if (fixCode !== undefined) this.u8(fixCode);
    else this.sizedHead(0xc7, n);
    this.u8(type & 0xff);
    this.raw(payload);
  }
}
