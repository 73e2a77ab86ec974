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

  /** The collected bytes so far, without emptying. */
  peek(): Buffer {
    return this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#length);
  }

  clear(): void {
    this.#parts = [];
    this.#length = 0;
  }
}
