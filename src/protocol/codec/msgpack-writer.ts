// Minimal msgpack writer producing the same compact encodings as Terraform's encoder: smallest int form (uint family
// for non-negative values), float64 for floats, str8 from 32 bytes, fixext for 1/2/4/8/16-byte extension payloads.

const utf8 = new TextEncoder();

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

  private typed(code: number, size: 1 | 2 | 4 | 8, put: (view: DataView, at: number) => void): void {
    this.ensure(1 + size);
    this.buf[this.pos] = code;
    put(this.view, this.pos + 1);
    this.pos += 1 + size;
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
      if (n >= 0n) return this.typed(0xcf, 8, (v, at) => v.setBigUint64(at, n));
      return this.typed(0xd3, 8, (v, at) => v.setBigInt64(at, n));
    }
    if (n >= 0) {
      if (n < 0x80) return this.u8(n);
      if (n <= 0xff) return this.typed(0xcc, 1, (v, at) => v.setUint8(at, n));
      if (n <= 0xffff) return this.typed(0xcd, 2, (v, at) => v.setUint16(at, n));
      if (n <= 0xffffffff) return this.typed(0xce, 4, (v, at) => v.setUint32(at, n));
      return this.typed(0xcf, 8, (v, at) => v.setBigUint64(at, BigInt(n)));
    }
    if (n >= -32) return this.u8(n & 0xff);
    if (n >= -0x80) return this.typed(0xd0, 1, (v, at) => v.setInt8(at, n));
    if (n >= -0x8000) return this.typed(0xd1, 2, (v, at) => v.setInt16(at, n));
    if (n >= -0x80000000) return this.typed(0xd2, 4, (v, at) => v.setInt32(at, n));
    return this.typed(0xd3, 8, (v, at) => v.setBigInt64(at, BigInt(n)));
  }

  float64(n: number): void {
    this.typed(0xcb, 8, (v, at) => v.setFloat64(at, n));
  }

  str(s: string): void {
    const bytes = utf8.encode(s);
    const n = bytes.length;
    if (n < 32) this.u8(0xa0 | n);
    else if (n <= 0xff) this.typed(0xd9, 1, (v, at) => v.setUint8(at, n));
    else if (n <= 0xffff) this.typed(0xda, 2, (v, at) => v.setUint16(at, n));
    else this.typed(0xdb, 4, (v, at) => v.setUint32(at, n));
    this.raw(bytes);
  }

  bin(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n <= 0xff) this.typed(0xc4, 1, (v, at) => v.setUint8(at, n));
    else if (n <= 0xffff) this.typed(0xc5, 2, (v, at) => v.setUint16(at, n));
    else this.typed(0xc6, 4, (v, at) => v.setUint32(at, n));
    this.raw(bytes);
  }

  arrayHeader(n: number): void {
    if (n < 16) this.u8(0x90 | n);
    else if (n <= 0xffff) this.typed(0xdc, 2, (v, at) => v.setUint16(at, n));
    else this.typed(0xdd, 4, (v, at) => v.setUint32(at, n));
  }

  mapHeader(n: number): void {
    if (n < 16) this.u8(0x80 | n);
    else if (n <= 0xffff) this.typed(0xde, 2, (v, at) => v.setUint16(at, n));
    else this.typed(0xdf, 4, (v, at) => v.setUint32(at, n));
  }

  ext(type: number, payload: Uint8Array): void {
    const n = payload.length;
    const fixed: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };
    const fixCode = fixed[n];
    if (fixCode !== undefined) this.u8(fixCode);
    else if (n <= 0xff) this.typed(0xc7, 1, (v, at) => v.setUint8(at, n));
    else if (n <= 0xffff) this.typed(0xc8, 2, (v, at) => v.setUint16(at, n));
    else this.typed(0xc9, 4, (v, at) => v.setUint32(at, n));
    this.u8(type & 0xff);
    this.raw(payload);
  }
}
