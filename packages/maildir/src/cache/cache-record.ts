/**
 * Format of the per-message cache files (`courier-ts.structure`): a magic line, then frames
 * `[0xC8][payload length u32][crc32 of the payload u32][payload]`, little endian, each written
 * with one write() call; a payload is records `[key length u16][value length u32][size u48][key]
 * [value]`. One CRC per frame (an append batch) keeps the check off the per-record path. A frame
 * that does not check out ends the readable part of the file (the rest is ignored until the file
 * is rewritten).
 */
import { crc32 } from 'node:zlib';

export const CACHE_MAGIC = Buffer.from('courier-ts-message-cache 2\n', 'latin1');
const FRAME_MARK = 0xc8;
export const FRAME_HEAD = 9;
const RECORD_HEAD = 12;
export const MAX_KEY_BYTES = 0xffff;
/** Largest frame read (a damaged length must not make the reader allocate gigabytes). */
export const MAX_FRAME = 16 * 1024 * 1024;
const MAX_SIZE = 2 ** 48 - 1;

export interface CacheRecord {
  /** The message's unique key (the maildir name without `:2,...`). */
  readonly key: string;
  /** Size of the message file in bytes when the value was made. */
  readonly size: number;
  readonly value: Buffer;
}

/** The encoded record (frame payload part), or undefined when it cannot be stored. */
export function encodeRecord(r: CacheRecord): Buffer | undefined {
  const key = Buffer.from(r.key, 'utf8');
  if (key.length === 0 || key.length > MAX_KEY_BYTES) return undefined;
  if (!Number.isSafeInteger(r.size) || r.size < 0 || r.size > MAX_SIZE) return undefined;
  if (r.value.length > 0xffffffff) return undefined;
  const out = Buffer.allocUnsafe(RECORD_HEAD + key.length + r.value.length);
  out.writeUInt16LE(key.length, 0);
  out.writeUInt32LE(r.value.length, 2);
  out.writeUIntLE(r.size, 6, 6);
  key.copy(out, RECORD_HEAD);
  r.value.copy(out, RECORD_HEAD + key.length);
  return out;
}

/** One frame holding these encoded records. */
export function encodeFrame(records: readonly Buffer[]): Buffer {
  const n = records.reduce((s, r) => s + r.length, 0);
  const out = Buffer.allocUnsafe(FRAME_HEAD + n);
  out[0] = FRAME_MARK;
  out.writeUInt32LE(n, 1);
  let at = FRAME_HEAD;
  for (const r of records) at += r.copy(out, at);
  out.writeUInt32LE(crc32(out.subarray(FRAME_HEAD)), 5);
  return out;
}

export type ParsedFrame =
  | { readonly kind: 'frame'; readonly payload: Buffer; readonly length: number }
  /** More bytes are needed (`need` in all, from `at`). */
  | { readonly kind: 'short'; readonly need: number }
  | { readonly kind: 'bad' };

/** The frame at `buf[at...]`, its CRC checked. The payload is a view into `buf`. */
export function parseFrame(buf: Buffer, at: number): ParsedFrame {
  const avail = buf.length - at;
  if (avail < FRAME_HEAD) return { kind: 'short', need: FRAME_HEAD };
  if (buf[at] !== FRAME_MARK) return { kind: 'bad' };
  const length = FRAME_HEAD + buf.readUInt32LE(at + 1);
  if (length > MAX_FRAME) return { kind: 'bad' };
  if (avail < length) return { kind: 'short', need: length };
  const payload = buf.subarray(at + FRAME_HEAD, at + length);
  if (crc32(payload) !== buf.readUInt32LE(at + 5)) return { kind: 'bad' };
  return { kind: 'frame', payload, length };
}

/** The record at `payload[at...]` (value a view), or undefined when it does not fit the payload. */
export function parseRecord(
  payload: Buffer,
  at: number,
): { record: CacheRecord; length: number } | undefined {
  if (payload.length - at < RECORD_HEAD) return undefined;
  const keyLength = payload.readUInt16LE(at);
  const valueLength = payload.readUInt32LE(at + 2);
  const length = RECORD_HEAD + keyLength + valueLength;
  if (keyLength === 0 || payload.length - at < length) return undefined;
  const k = at + RECORD_HEAD;
  return {
    length,
    record: {
      key: payload.toString('utf8', k, k + keyLength),
      size: payload.readUIntLE(at + 6, 6),
      value: payload.subarray(k + keyLength, k + keyLength + valueLength),
    },
  };
}
