/** Collects slices of incoming chunks without copying until `take()`; linear for any chunking. */
export class ByteAccumulator {
  #parts: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(slice: Buffer): void {
    if (slice.length === 0) return;
    this.#parts.push(slice);
    this.#length += slice.length;
  }

  /** Returns the collected bytes (a copy) and empties the accumulator. */
  take(): Buffer {
    const out =
      this.#parts.length === 1 ? Buffer.from(this.#parts[0]!) : Buffer.concat(this.#parts, this.#length);
    this.clear();
    return out;
  }

  /** Decodes the collected bytes as UTF-8 without copying them, and empties the accumulator. */
  takeText(): string {
    const out = this.#parts.length === 1 ? this.#parts[0]!.toString('utf8') : this.peek().toString('utf8');
    this.clear();
    return out;
  }

  /** The collected bytes so far, without emptying. */
  peek(): Buffer {
    return this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#length);
  }

  clear(): void {
    this.#parts = [];
    this.#length = 0;
  }
}
