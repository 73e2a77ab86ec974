/**
 * A small per-folder cache file of our own (Courier ignores it): opaque values supplied by a server
 * (imapd stores each message's ENVELOPE and BODYSTRUCTURE), keyed by the message's unique key and
 * file size. Appended to in checked frames, one O_APPEND write each (two processes may append at
 * once; the file is created by a no-replace link), rewritten through tmp/ + rename, which drops damaged
 * parts, duplicates and the entries of expunged messages. Never loaded whole: lookups read the
 * file forward once, in the order the values are asked for, holding a bounded lookahead.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type MessageCacheOptions, pathOf } from './cache-options.js';
import { CACHE_MAGIC, type CacheRecord, encodeFrame, encodeRecord, MAX_FRAME } from './cache-record.js';
import { RecordStream } from './record-stream.js';

export { type MessageCacheOptions, type MessageCacheStats, STRUCTURE_CACHE_FILE } from './cache-options.js';
export { MessageCacheReader } from './cache-reader.js';

const APPEND_BATCH = 256 * 1024;

function tmpPath(folderPath: string): string {
  return join(
    folderPath,
    'tmp',
    `${Math.floor(Date.now() / 1000)}.P${process.pid}R${randomBytes(6).toString('hex')}.cache`,
  );
}

/** true: the file starts with our magic line; false: it does not; undefined: there is no file. */
async function startsWithMagic(path: string): Promise<boolean | undefined> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(CACHE_MAGIC.length);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(CACHE_MAGIC);
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

/** Encoded records grouped into frames of about APPEND_BATCH bytes. */
function framed(encoded: readonly Buffer[]): Buffer[] {
  const frames: Buffer[] = [];
  for (let i = 0; i < encoded.length; ) {
    const batch: Buffer[] = [];
    let n = 0;
    while (i < encoded.length && (n === 0 || n + encoded[i]!.length <= APPEND_BATCH)) {
      n += encoded[i]!.length;
      batch.push(encoded[i++]!);
    }
    frames.push(encodeFrame(batch));
  }
  return frames;
}

/** The leading frames that fit in `room` bytes. */
function fitting(encoded: readonly Buffer[], room: number): readonly Buffer[] {
  let n = 0;
  let i = 0;
  while (i < encoded.length && n + encoded[i]!.length <= room) n += encoded[i++]!.length;
  return encoded.slice(0, i);
}

/**
 * Appends records (whole-record writes). A missing file is created atomically; a file that does
 * not start with our magic line is replaced.
 */
export async function appendMessageCache(
  folderPath: string,
  records: readonly CacheRecord[],
  options: MessageCacheOptions = {},
): Promise<void> {
  // A frame holding one record must stay readable (MAX_FRAME).
  const maxValue = Math.min(options.maxValueBytes ?? 1024 * 1024, MAX_FRAME / 2);
  const encoded: Buffer[] = [];
  for (const r of records) {
    const b = r.value.length <= maxValue ? encodeRecord(r) : undefined;
    if (b) encoded.push(b);
  }
  if (encoded.length === 0) return;
  const path = pathOf(folderPath, options);
  const max = options.maxFileBytes ?? 256 * 1024 * 1024;
  const frames = framed(encoded);
  const current = await startsWithMagic(path);
  if (current !== true) {
    const bytes = Buffer.concat([CACHE_MAGIC, ...fitting(frames, max - CACHE_MAGIC.length)]);
    const tmp = tmpPath(folderPath);
    try {
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(bytes);
      } finally {
        await fh.close();
      }
      // A missing file is created without replacing one made meanwhile; one that is not ours is replaced.
      if (current === undefined) await link(tmp, path);
      else await rename(tmp, path);
      return;
    } catch (err) {
      // Someone else created it meanwhile: append to theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return;
    } finally {
      await unlink(tmp).catch(() => {});
    }
  }
  const fh = await open(path, 'a');
  try {
    // One write() per frame: appends of two processes interleave only between frames.
    for (const frame of fitting(frames, max - (await fh.stat()).size)) await fh.write(frame);
  } finally {
    await fh.close();
  }
}

/**
 * Rewrites the file with the readable records whose key `keep` accepts, the first of each key.
 * Returns the number of records kept. A missing file stays missing.
 */
export async function rewriteMessageCache(
  folderPath: string,
  keep: (key: string) => boolean,
  options: MessageCacheOptions = {},
): Promise<number> {
  const path = pathOf(folderPath, options);
  const src = new RecordStream(path);
  const tmp = tmpPath(folderPath);
  const seen = new Set<string>();
  let kept = 0;
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.write(CACHE_MAGIC);
      let batch: Buffer[] = [];
      let n = 0;
      for (let r = await src.next(); r !== undefined; r = await src.next()) {
        if (seen.has(r.key) || !keep(r.key)) continue;
        seen.add(r.key);
        const b = encodeRecord(r);
        if (!b) continue;
        batch.push(b);
        n += b.length;
        kept++;
        if (n >= APPEND_BATCH) {
          await fh.write(encodeFrame(batch));
          batch = [];
          n = 0;
        }
      }
      if (batch.length > 0) await fh.write(encodeFrame(batch));
    } finally {
      await fh.close();
    }
    if (!src.valid && !src.damaged) {
      await unlink(tmp);
      return 0;
    }
    await rename(tmp, path);
    return kept;
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  } finally {
    await src.close();
  }
}
