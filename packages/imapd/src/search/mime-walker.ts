/**
 * One streaming pass over a message for SEARCH, as Courier searches: every header block (the
 * message's, each MIME part's, each attached message/rfc822's) and the decoded text of every text/*
 * part (transfer encoding undone, charset converted). Preambles, epilogues and non-text parts are
 * not text. Memory is bounded: one line (capped) and one header block (capped) at a time.
 */
import { type BodyDecoder, bodyDecoder } from './charset.js';
import { contentInfo, type HeaderField, parseHeaderBlock } from './header-fields.js';
import { MAX_LINE, type TransferDecoder, transferDecoder } from './transfer-decoder.js';

export interface MimeSink {
  /** A header block: the message's own is depth 0. */
  headers(fields: readonly HeaderField[], depth: number): void;
  /** Decoded body text (text/* parts only). */
  text(chunk: string): void;
}

const MAX_HEADER_BLOCK = 256 * 1024;
const MAX_DEPTH = 32;

interface Boundary {
  readonly marker: string;
  /** Parts inside default to message/rfc822 (multipart/digest). */
  readonly digest: boolean;
}

interface Leaf {
  readonly transfer: TransferDecoder;
  readonly charset: BodyDecoder;
  /** Decoded bytes not yet converted to text (converted in batches of BATCH bytes). */
  pending: Buffer[];
  pendingSize: number;
}

/** Decoded body bytes are converted and handed to the sink in batches of this size. */
const BATCH = 64 * 1024;
const NL = Buffer.from('\n');
const NL_DASH = Buffer.from('\n-');

export class MimeWalker {
  readonly #sink: MimeSink;
  #mode: 'header' | 'body' = 'header';
  #header: Buffer[] = [];
  #headerSize = 0;
  #depth = 0;
  #defaultType = 'text/plain';
  readonly #boundaries: Boundary[] = [];
  #leaf: Leaf | undefined;
  #line: Buffer[] = [];
  #lineLen = 0;
  /** The pending line has already been partly given to the leaf (over-long). */
  #lineSpilled = false;
  /** Body mode: the bytes so far end inside a line that #bodyRun already passed on. */
  #midLine = false;

  /** Text parts are decoded for the sink (false: header blocks only, bodies skipped). */
  readonly #wantText: boolean;

  constructor(sink: MimeSink, options: { readonly text?: boolean } = {}) {
    this.#sink = sink;
    this.#wantText = options.text ?? true;
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      if (this.#mode === 'body' && this.#lineLen === 0 && !this.#lineSpilled) {
        start = this.#bodyRun(chunk, start);
        if (start >= chunk.length) return;
      }
      const nl = chunk.indexOf(10, start);
      const end = nl < 0 ? chunk.length : nl;
      this.#addToLine(chunk.subarray(start, end));
      if (nl < 0) return;
      this.#endLine();
      start = nl + 1;
    }
  }

  /** Nothing more can reach the sink: past the last part, or in a part that is not collected. */
  get done(): boolean {
    return this.#mode === 'body' && this.#boundaries.length === 0 && this.#leaf === undefined;
  }

  /**
   * Body bytes from `pos` up to the next line that starts with `-` (a boundary candidate, left to the
   * line-by-line path) in one piece: lines that cannot be boundaries need no splitting. Returns where
   * it stopped.
   */
  #bodyRun(chunk: Buffer, pos: number): number {
    if (!this.#midLine && chunk[pos] === 45) return pos;
    const stop = chunk.indexOf(NL_DASH, pos);
    const cut = stop < 0 ? chunk.length : stop + 1;
    if (this.#leaf) this.#feedBytes(this.#leaf, chunk.subarray(pos, cut));
    this.#midLine = chunk[cut - 1] !== 10;
    return cut;
  }

  end(): void {
    if (this.#lineLen > 0 || this.#lineSpilled) this.#endLine();
    if (this.#mode === 'header') this.#finishHeader();
    this.#closeLeaf();
  }

  #addToLine(piece: Buffer): void {
    if (piece.length === 0) return;
    this.#line.push(piece);
    this.#lineLen += piece.length;
    if (this.#lineLen > MAX_LINE) {
      const whole = Buffer.concat(this.#line);
      this.#line = [];
      this.#lineLen = 0;
      if (this.#mode === 'body' && this.#leaf) {
        this.#feed(whole, false);
        this.#lineSpilled = true;
      } else if (this.#mode === 'header') {
        this.#addHeader(whole, false);
      }
    }
  }

  #endLine(): void {
    let line = this.#line.length === 1 ? this.#line[0]! : Buffer.concat(this.#line);
    this.#line = [];
    this.#lineLen = 0;
    const spilled = this.#lineSpilled;
    this.#lineSpilled = false;
    this.#midLine = false;
    if (line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, -1);
    if (this.#mode === 'header') {
      if (line.length === 0) this.#finishHeader();
      else this.#addHeader(line, true);
      return;
    }
    if (!spilled && line.length >= 2 && line[0] === 45 && line[1] === 45 && this.#boundaryLine(line)) return;
    if (this.#leaf) this.#feed(line, true);
  }

  #addHeader(line: Buffer, complete: boolean): void {
    if (this.#headerSize >= MAX_HEADER_BLOCK) return;
    this.#header.push(line);
    if (complete) this.#header.push(NL);
    this.#headerSize += line.length + 1;
  }

  #finishHeader(): void {
    const fields = parseHeaderBlock(Buffer.concat(this.#header));
    this.#header = [];
    this.#headerSize = 0;
    this.#sink.headers(fields, this.#depth);
    const info = contentInfo(fields, this.#defaultType);
    this.#defaultType = 'text/plain';
    this.#mode = 'body';
    if (info.type.startsWith('multipart/') && info.boundary && this.#boundaries.length < MAX_DEPTH) {
      this.#boundaries.push({ marker: `--${info.boundary}`, digest: info.type === 'multipart/digest' });
      return;
    }
    if ((info.type === 'message/rfc822' || info.type === 'message/global') && this.#depth < MAX_DEPTH) {
      this.#depth++;
      this.#mode = 'header';
      return;
    }
    if (this.#wantText && info.type.startsWith('text/')) {
      this.#leaf = {
        transfer: transferDecoder(info.encoding),
        charset: bodyDecoder(info.charset),
        pending: [],
        pendingSize: 0,
      };
    }
  }

  /** `--boundary` or `--boundary--` of an open multipart (innermost first): true when it was one. */
  #boundaryLine(line: Buffer): boolean {
    const text = line.toString('latin1').trimEnd();
    for (let i = this.#boundaries.length - 1; i >= 0; i--) {
      const b = this.#boundaries[i]!;
      if (!text.startsWith(b.marker)) continue;
      const rest = text.slice(b.marker.length);
      if (rest !== '' && rest !== '--') continue;
      this.#closeLeaf();
      this.#boundaries.length = i + 1;
      if (rest === '--') {
        this.#boundaries.pop();
        this.#mode = 'body';
      } else {
        this.#mode = 'header';
        this.#defaultType = b.digest ? 'message/rfc822' : 'text/plain';
      }
      return true;
    }
    return false;
  }

  #feed(bytes: Buffer, complete: boolean): void {
    const leaf = this.#leaf!;
    this.#feedBytes(leaf, bytes);
    if (complete) this.#feedBytes(leaf, NL);
  }

  #feedBytes(leaf: Leaf, bytes: Buffer): void {
    this.#queue(leaf, leaf.transfer.write(bytes));
  }

  /** Decoded bytes (possibly a view of the caller's chunk) -> pending, or the sink in pieces <= BATCH. */
  #queue(leaf: Leaf, bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (leaf.pendingSize + bytes.length < BATCH) {
      leaf.pending.push(Buffer.from(bytes));
      leaf.pendingSize += bytes.length;
      return;
    }
    this.#flush(leaf);
    for (let i = 0; i < bytes.length; i += BATCH) {
      const s = leaf.charset.write(bytes.subarray(i, i + BATCH));
      if (s.length > 0) this.#sink.text(s);
    }
  }

  #flush(leaf: Leaf): void {
    if (leaf.pendingSize === 0) return;
    const all = leaf.pending.length === 1 ? leaf.pending[0]! : Buffer.concat(leaf.pending, leaf.pendingSize);
    leaf.pending = [];
    leaf.pendingSize = 0;
    const s = leaf.charset.write(all);
    if (s.length > 0) this.#sink.text(s);
  }

  #closeLeaf(): void {
    const leaf = this.#leaf;
    if (!leaf) return;
    this.#leaf = undefined;
    this.#queue(leaf, leaf.transfer.end());
    this.#flush(leaf);
    const s = leaf.charset.end();
    if (s.length > 0) this.#sink.text(s);
    this.#sink.text('\n');
  }
}
