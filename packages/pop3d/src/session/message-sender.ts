import { Readable } from 'node:stream';
import type { ReplyWriter } from '@courier-ts/runtime';
import { DotStuffer } from '../protocol/dot-stuffer.js';
import { line, REPLY, retrReply } from '../protocol/replies.js';
import { unicodeWrapper, wrapperBoundary } from '../protocol/unicode-wrapper.js';
import type { MessageBody, RetrWholeBody } from './read-ahead.js';
import type { Pop3MaildropLike } from './types.js';

const FLUSH_AT = 64 * 1024;

export type SendResult =
  | { readonly kind: 'sent'; readonly consumed: number }
  | { readonly kind: 'gone' }
  /** The client went away (or was dropped) before the whole message was sent. */
  | { readonly kind: 'aborted' }
  | { readonly kind: 'io-error'; readonly error: Error };

export interface SendOptions {
  readonly index: number;
  /** TOP's line count; undefined for RETR. */
  readonly topLines?: number;
  /** Wrap raw-UTF-8-header messages (client did not send UTF8). */
  readonly wrapUnicode: boolean;
  readonly unicodeMessageType: string;
  readonly pid: number;
  readonly now: number;
}

/** RETR of a message read whole by the store: head, body and `.` line in one write. */
async function sendWhole(writer: ReplyWriter, crlfSize: number, w: RetrWholeBody): Promise<SendResult> {
  await writer.writeMany([Buffer.from(line(retrReply(crlfSize)), 'latin1'), ...w.parts]);
  return writer.writable ? { kind: 'sent', consumed: w.consumed } : { kind: 'aborted' };
}

/** A stream that is already in the POP3 multi-line form (maildir's native dot-stuffing). */
function stuffedBytes(stream: Readable): (() => number) | undefined {
  const s = stream as Readable & { readonly dotStuffed?: boolean; readonly rawBytes?: number };
  return s.dotStuffed === true && typeof s.rawBytes === 'number' ? () => s.rawBytes! : undefined;
}

/**
 * RETR/TOP: the reply head, then the message streamed from disk through the dot-stuffer (or
 * already dot-stuffed by the store, RETR), with backpressure (each batch waits for the socket to
 * drain). The head goes out with the first chunk.
 */
export async function sendMessage(
  maildrop: Pop3MaildropLike,
  writer: ReplyWriter,
  o: SendOptions,
  open: (index: number, dotStuff: boolean) => MessageBody = (i, dotStuff) =>
    dotStuff && maildrop.retrWhole ? maildrop.retrWhole(i) : maildrop.open(i, { dotStuff }),
): Promise<SendResult> {
  const msg = maildrop.messages[o.index]!;
  const wrap =
    o.wrapUnicode && msg.utf8Headers
      ? unicodeWrapper(wrapperBoundary(o.pid, o.now), o.unicodeMessageType)
      : undefined;
  // The store's POP3 form serves RETR of a message sent as it is (not TOP, no wrapper).
  const whole = o.topLines === undefined && !wrap;
  let stream: Readable;
  let it: AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    const body = open(o.index, whole);
    if (body instanceof Readable) stream = body;
    else {
      const w = await body;
      if (w) return await sendWhole(writer, msg.crlfSize, w);
      stream = maildrop.open(o.index, { dotStuff: true });
    }
    it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    first = await it.next();
  } catch {
    await writer.write(line(REPLY.messageGone));
    return { kind: 'gone' };
  }
  const stuffed = whole ? stuffedBytes(stream) : undefined;
  const size = msg.crlfSize + (wrap ? wrap.header.length + wrap.footer.length : 0);
  const head = Buffer.from(line(o.topLines === undefined ? retrReply(size) : REPLY.topHead), 'latin1');
  const stuffer = stuffed
    ? undefined
    : new DotStuffer(o.topLines === undefined ? {} : { topLines: o.topLines });
  // Output is batched up to FLUSH_AT bytes: a small message (head, body, dot) is a single write.
  let pending: Buffer[] = [head];
  let pendingLen = head.length;
  const flush = async (): Promise<void> => {
    const bufs = pending;
    pending = [];
    pendingLen = 0;
    await writer.writeMany(bufs);
  };
  const feed = async (chunk: Buffer): Promise<boolean> => {
    const out = stuffer ? stuffer.push(chunk) : chunk;
    if (out.length > 0) {
      pending.push(out);
      pendingLen += out.length;
    }
    if (pendingLen >= FLUSH_AT) await flush();
    return !stuffer?.done && writer.writable;
  };
  try {
    let more = wrap ? await feed(wrap.header) : true;
    for (let r = first; more && !r.done; ) {
      more = await feed(r.value);
      if (more) r = await it.next();
    }
    if (more && wrap) await feed(wrap.footer);
  } catch (err) {
    stream.destroy();
    return { kind: 'io-error', error: err as Error };
  }
  stream.destroy();
  if (!writer.writable) return { kind: 'aborted' };
  if (stuffer) {
    const tail = stuffer.finish();
    pending.push(tail);
    pendingLen += tail.length;
  }
  await flush();
  return { kind: 'sent', consumed: stuffed ? stuffed() : stuffer!.consumed };
}
