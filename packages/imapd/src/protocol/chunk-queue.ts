/** FIFO of input chunks with O(1) amortised shift, however many tiny chunks pile up. */
export class ChunkQueue {
  #items: Buffer[] = [];
  #head = 0;

  get empty(): boolean {
    return this.#head >= this.#items.length;
  }

  push(chunk: Buffer): void {
    this.#items.push(chunk);
  }

  shift(): Buffer | undefined {
    const c = this.#items[this.#head];
    if (c === undefined) {
      this.#items = [];
      this.#head = 0;
      return undefined;
    }
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return c;
  }
}
