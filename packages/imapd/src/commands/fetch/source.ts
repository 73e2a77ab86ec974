/**
 * One message as FETCH reads it, in the CRLF form clients see: small messages are read once into
 * memory; large ones give their header block and stream byte ranges from disk. A message expunged
 * by another session (still in this session's view) is served as Courier's stand-in, whatever the
 * item: the source switches to it as soon as the file is found gone, before any of it is served.
 */
import { join } from 'node:path';
import type { Folder, MessageInfo } from '@courier-ts/maildir';
import { MaildirError, readServedFile } from '@courier-ts/maildir';
import { readHeadBlock } from './file-read.js';
import { fromCrlf } from './header-fields.js';

/** Messages up to this CRLF size are read whole when a body section is fetched. */
export const SMALL_MESSAGE = 256 * 1024;
const MAX_HEADER = 1024 * 1024;

/** Courier's stand-in for a message expunged by another session (courier-behaviour.md §4.6). */
const UNAVAILABLE = Buffer.from(
  'From: System Administrator <root@localhost>\r\nSubject: message unavailable\r\n\r\nThis message is no longer available on the server.\r\n',
);

export interface MessageSource {
  readonly size: number;
  /** The whole message in memory (small messages and stand-ins). */
  readonly whole: Buffer | undefined;
  /** The stored (LF) bytes when they were read whole: the MIME scan uses them as they are. */
  readonly raw: Buffer | undefined;
  /** The served header block up to and including the first empty line, else all (RFC822.HEADER). */
  header(): Promise<Buffer>;
  /** CRLF bytes [start, end). */
  range(start: number, end: number): AsyncIterable<Buffer>;
}

function isGone(err: unknown): boolean {
  return (
    (err instanceof MaildirError && err.code === 'MESSAGE_GONE') ||
    (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
  );
}

/**
 * The stored bytes of a small file and their served form (each LF sent as CRLF, other CRs as they
 * are): one thread-pool job with maildir's native helper, else a few fs calls. `{ size }` when
 * the file holds more than `max` bytes (streamed instead).
 */
async function readSmall(
  path: string,
  max: number,
  wantRaw: boolean,
  pooled: boolean,
): Promise<{ readonly served: Buffer; readonly raw: Buffer | undefined } | { readonly size: number }> {
  const r = await readServedFile(path, max, { wantRaw, pooled });
  return r.served ? { served: r.served, raw: r.raw } : { size: r.rawSize };
}

/** The served form of stored bytes (the header block read on its own). */
function servedForm(raw: Buffer): Buffer {
  if (raw.indexOf(0x0a) === -1) return raw;
  return Buffer.from(raw.toString('latin1').replaceAll('\n', '\r\n'), 'latin1');
}

/**
 * End of the header block as Courier's RFC822.HEADER reads it: through the first stored empty line
 * (served as a lone CRLF; a stored CR-only line is not empty), else the whole message.
 */
function headerEnd(buf: Buffer): number {
  let lineStart = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) {
    if (i === lineStart + 1 && buf[lineStart] === 0x0d) return i + 1;
    lineStart = i + 1;
  }
  return buf.length;
}

/** A message held in memory: `served` in CRLF form, `raw` as stored when known. */
function memorySource(served: Buffer, raw?: Buffer): MessageSource {
  return {
    raw,
    size: served.length,
    whole: served,
    header: async () => served.subarray(0, headerEnd(served)),
    async *range(start, end) {
      yield served.subarray(start, end);
    },
  };
}

/** The stand-in (no stored form: the MIME scan reads the served one, and caches nothing real). */
const standIn = (): MessageSource => memorySource(UNAVAILABLE);

/**
 * A message not read whole: its header block on demand, ranges streamed by the store (which
 * follows renames by other sessions). Finding the file gone before anything of it was served turns
 * the source into the stand-in: at its header block always; at a range only when the file was not
 * seen a moment ago (`confirmed`: a literal's size may already be out, so a vanished file is an error).
 */
class DiskSource implements MessageSource {
  private gone: MessageSource | undefined;
  private head: Buffer | undefined;
  private served = false;

  constructor(
    private readonly folder: Folder,
    private readonly msg: MessageInfo,
    private readonly crlfSize: number,
    private readonly confirmed: boolean,
  ) {}

  get size(): number {
    return this.gone ? this.gone.size : this.crlfSize;
  }
  get whole(): Buffer | undefined {
    return this.gone?.whole;
  }
  get raw(): Buffer | undefined {
    return this.gone?.raw;
  }

  async header(): Promise<Buffer> {
    if (this.gone) return this.gone.header();
    if (this.head) return this.head;
    const path = join(this.folder.path, 'cur', this.msg.filename);
    try {
      let stored: Buffer;
      try {
        stored = await readHeadBlock(path, MAX_HEADER);
      } catch (err) {
        if (!isGone(err)) throw err;
        stored = await this.folder.readHeaders(this.msg, MAX_HEADER); // renamed meanwhile?
      }
      this.head = servedForm(stored);
    } catch (err) {
      if (!isGone(err) || this.served) throw err;
      this.gone = standIn();
      return this.gone.header();
    }
    this.served = true;
    return this.head;
  }

  async *range(start: number, end: number): AsyncGenerator<Buffer> {
    if (this.gone) {
      yield* this.gone.range(start, end);
      return;
    }
    const it = (this.folder.openMessage(this.msg, { start, end }) as AsyncIterable<Buffer>)[
      Symbol.asyncIterator
    ]();
    let r: IteratorResult<Buffer>;
    try {
      r = await it.next();
    } catch (err) {
      if (!isGone(err) || this.served || this.confirmed) throw err;
      this.gone = standIn();
      yield* this.gone.range(start, end);
      return;
    }
    this.served = true;
    for (; !r.done; r = await it.next()) yield r.value;
  }
}

/** Stream the served form through the store (renamed file); the bytes when they fit in `max`. */
async function servedUpTo(
  folder: Folder,
  msg: MessageInfo,
  max: number,
): Promise<{ readonly data: Buffer } | { readonly size: number }> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of folder.openMessage(msg) as AsyncIterable<Buffer>) {
    n += c.length;
    if (n <= max) parts.push(c);
    else parts.length = 0;
  }
  return n <= max ? { data: Buffer.concat(parts, n) } : { size: n };
}

async function bodySource(
  folder: Folder,
  msg: MessageInfo,
  wantRaw: boolean,
  pooled: boolean,
): Promise<MessageSource> {
  let read: Awaited<ReturnType<typeof readSmall>> | undefined;
  try {
    read = await readSmall(join(folder.path, 'cur', msg.filename), SMALL_MESSAGE, wantRaw, pooled);
  } catch (err) {
    if (!isGone(err)) throw err;
  }
  // Small files: one read of the stored bytes serves every section and the MIME scan.
  if (read && 'served' in read) return memorySource(read.served, read.raw);
  if (read === undefined) {
    // Not under its name: renamed by another session's flag change (the store finds it), or
    // expunged (MessageGoneError: the stand-in).
    const r = await servedUpTo(folder, msg, SMALL_MESSAGE);
    if ('data' in r) return memorySource(r.data, fromCrlf(r.data));
    return new DiskSource(folder, msg, r.size, true);
  }
  let m = msg;
  if (Number.isNaN(m.crlfSize)) m = (await folder.measure([m]))[0] ?? m;
  if (Number.isNaN(m.crlfSize)) throw new MaildirError('MESSAGE_GONE', `message ${m.uid} vanished`);
  return new DiskSource(folder, m, m.crlfSize, true);
}

/** How openSource reads a small message whole. */
export interface WholeRead {
  /** Keep its stored bytes too (for the MIME scan and sections; not needed to serve the whole message). */
  readonly wantRaw: boolean;
  /**
   * Its served bytes may come in one of maildir's reused buffers, given back once the socket took
   * them: only when they are written once, whole, and used for nothing else (see fetch run.ts).
   */
  readonly pooled: boolean;
}

/** The message as the items need it: `needBody` reads a small message whole, as `whole` says. */
export async function openSource(
  folder: Folder,
  message: MessageInfo,
  needBody: boolean,
  whole: WholeRead = { wantRaw: true, pooled: false },
): Promise<MessageSource> {
  try {
    if (needBody) return await bodySource(folder, message, whole.wantRaw, whole.pooled);
  } catch (err) {
    if (!isGone(err)) throw err;
    return standIn();
  }
  return new DiskSource(folder, message, message.crlfSize, false);
}

export { isGone, memorySource, UNAVAILABLE };
