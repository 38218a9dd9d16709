// Key order for encoded objects and maps: Go sorts strings bytewise, i.e. by UTF-8 bytes, which equals code point
// order (and differs from JS's default UTF-16 order only for characters outside the BMP).

export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done ? (cb.done ? 0 : -1) : 1;
    const d = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort(compareCodePoints);
}
