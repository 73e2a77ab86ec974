/**
 * One message as FETCH reads it, in the CRLF form clients see: small messages are read once into
 * memory; large ones give their header block and stream byte ranges from disk.
 */
import { join } from 'node:path';
import type { Folder, MessageInfo } from '@courier-ts/maildir';
import { MaildirError } from '@courier-ts/maildir';
import { readHeadBlock, readSmallFile } from './file-read.js';
import { toCrlf } from './header-fields.js';

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

async function collect(it: AsyncIterable<Buffer | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(parts);
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

function memorySource(buf: Buffer): MessageSource {
  return {
    raw: undefined,
    size: buf.length,
    whole: buf,
    header: async () => buf.subarray(0, headerEnd(buf)),
    async *range(start, end) {
      yield buf.subarray(start, end);
    },
  };
}

function isGone(err: unknown): boolean {
  return (
    (err instanceof MaildirError && err.code === 'MESSAGE_GONE') ||
    (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
  );
}

export async function openSource(
  folder: Folder,
  message: MessageInfo,
  needBody: boolean,
): Promise<MessageSource> {
  try {
    let msg = message;
    if (needBody) {
      // Small files: one read of the stored bytes serves every section and the MIME scan.
      const raw = await readSmallFile(join(folder.path, 'cur', msg.filename), SMALL_MESSAGE).catch(
        () => undefined,
      );
      if (raw) return { ...memorySource(toCrlf(raw)), raw };
      if (Number.isNaN(msg.crlfSize)) msg = (await folder.measure([msg]))[0] ?? msg;
      if (msg.crlfSize <= SMALL_MESSAGE) return memorySource(await collect(folder.openMessage(msg)));
    }
    let header: Buffer | undefined;
    return {
      size: msg.crlfSize,
      raw: undefined,
      whole: undefined,
      header: async () => {
        header ??= toCrlf(
          await readHeadBlock(join(folder.path, 'cur', msg.filename), MAX_HEADER).catch((err: unknown) => {
            if (!isGone(err)) throw err;
            return folder.readHeaders(msg, MAX_HEADER);
          }),
        );
        return header;
      },
      range: (start, end) => folder.openMessage(msg, { start, end }),
    };
  } catch (err) {
    if (!isGone(err)) throw err;
    return memorySource(UNAVAILABLE);
  }
}

export { collect, isGone, memorySource, UNAVAILABLE };
