// Private state: bytes Terraform stores beside a resource instance and hands back on every call, never shown to the
// user. Here a JSON object of flags. Keys written by others (the Go provider's SDKv2 keeps its timeouts there) are
// kept as they are, and the bytes go back untouched unless a resource changed something: Terraform compares
// private state too when it decides whether a refresh changed anything.

export class PrivateState {
  private readonly values: Record<string, unknown>;
  private changed = false;

  private constructor(
    private readonly original: Buffer | undefined,
    values: Record<string, unknown>,
  ) {
    this.values = values;
  }

  static fromBytes(bytes: unknown): PrivateState {
    const original = Buffer.isBuffer(bytes) && bytes.length > 0 ? bytes : undefined;
    let values: Record<string, unknown> = {};
    if (original) {
      try {
        const parsed: unknown = JSON.parse(original.toString('utf8'));
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) values = parsed as Record<string, unknown>;
      } catch {
        // not ours and not JSON: kept as bytes, read as empty
      }
    }
    return new PrivateState(original, values);
  }

  get(key: string): unknown {
    return Object.hasOwn(this.values, key) ? this.values[key] : undefined;
  }

  set(key: string, value: unknown): void {
    if (this.get(key) === value) return;
    this.values[key] = value;
    this.changed = true;
  }

  delete(key: string): void {
    if (!Object.hasOwn(this.values, key)) return;
    delete this.values[key];
    this.changed = true;
  }

  /** The bytes to send back: the original ones when nothing changed, none when empty. */
  toBytes(): Buffer | undefined {
    if (!this.changed) return this.original;
    return Object.keys(this.values).length > 0 ? Buffer.from(JSON.stringify(this.values), 'utf8') : undefined;
  }
}
