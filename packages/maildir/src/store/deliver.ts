/**
 * Writing messages into a folder: APPEND (stream -> tmp/, CR stripped) and COPY (file copy
 * -> tmp/), then link into cur/ and numbered inside the folder lock, as imapd's uidplus path.
 */
import { copyFile, open, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { OverQuotaError } from '../errors.js';
import { hook } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { mapWriteError } from '../fs/errno.js';
import { withMaildirLock } from '../fs/lock.js';
import { stripCr } from '../message/crlf.js';
import { infoSuffix, keyOf, sizeFromName } from '../message/filename.js';
import { deliveredName, tmpName } from '../message/unique-name.js';
import { writeKeywordUpdate } from '../state/keywords.js';
import { addQuotaLine, checkQuota, countsForQuota, parseQuotaString } from '../state/maildirsize.js';
import type { MaildirFlag } from '../types.js';
import { type ScanResult, type StagedMessage, scanFolder } from './scan.js';

export interface DeliveryTarget {
  readonly root: string;
  readonly folderDir: string;
  readonly folderName: string;
  /** `.Trash` is outside the quota. */
  readonly isTrash: boolean;
}

export interface PreparedMessage {
  readonly tmpPath: string;
  readonly curName: string;
  readonly size: number;
  /** Size added to maildirsize when not `size`: a COPY counts the source's `,S=` as Courier does. */
  readonly quotaSize?: number;
  readonly keywords: readonly string[];
  readonly mtime?: Date;
}

/** Name in cur/ from the tmp file's device, inode and size. */
async function finalName(
  tmpPath: string,
  parts: ReturnType<MaildirContext['unique']>,
  flags: Iterable<MaildirFlag>,
): Promise<{ curName: string; size: number }> {
  const st = await stat(tmpPath, { bigint: true });
  const size = Number(st.size);
  return { curName: deliveredName(parts, st.dev, st.ino, size) + infoSuffix(flags), size };
}

/** Streams a message into tmp/ (CR stripped, trailing LF ensured). */
export async function stageStream(
  ctx: MaildirContext,
  target: DeliveryTarget,
  body: AsyncIterable<Uint8Array> | Readable,
  flags: Iterable<MaildirFlag>,
  keywords: readonly string[],
  mtime: Date | undefined,
): Promise<PreparedMessage> {
  const parts = ctx.unique();
  const tmpPath = join(target.folderDir, 'tmp', tmpName(parts));
  const fh = await open(tmpPath, 'wx', 0o644);
  let size = 0;
  try {
    try {
      for await (const chunk of stripCr(body as AsyncIterable<Uint8Array>)) {
        size += chunk.length;
        let off = 0;
        while (off < chunk.length) off += (await fh.write(chunk, off)).bytesWritten;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    hook('after-append-tmp');
    const { curName } = await finalName(tmpPath, parts, flags);
    return { tmpPath, curName, size, keywords, ...(mtime ? { mtime } : {}) };
  } catch (err) {
    await unlink(tmpPath).catch(() => {});
    throw mapWriteError(err, 'append');
  }
}

/** Copies an existing message file into tmp/ of the target folder (keeping its mtime). */
export async function stageCopy(
  ctx: MaildirContext,
  target: DeliveryTarget,
  sourcePath: string,
  flags: Iterable<MaildirFlag>,
  keywords: readonly string[],
): Promise<PreparedMessage> {
  const parts = ctx.unique();
  const tmpPath = join(target.folderDir, 'tmp', tmpName(parts));
  try {
    const mtime = (await stat(sourcePath)).mtime; // COPY keeps INTERNALDATE
    await copyFile(sourcePath, tmpPath);
    const { curName, size } = await finalName(tmpPath, parts, flags);
    const quotaSize = sizeFromName(keyOf(basename(sourcePath))) ?? size;
    return { tmpPath, curName, size, quotaSize, keywords, mtime };
  } catch (err) {
    await unlink(tmpPath).catch(() => {});
    throw (err as NodeJS.ErrnoException).code === 'ENOENT' ? err : mapWriteError(err, 'copy');
  }
}

/** Quota check, keywords, link into cur/ and UIDs under the lock; removes tmp files on failure. */
export async function commitStaged(
  ctx: MaildirContext,
  target: DeliveryTarget,
  prepared: readonly PreparedMessage[],
): Promise<{ scan: ScanResult; uids: number[] }> {
  const counted = prepared.filter((p) => countsForQuota(p.curName));
  const bytes = counted.reduce((n, p) => n + (p.quotaSize ?? p.size), 0);
  try {
    if (!target.isTrash && counted.length > 0) {
      const override = ctx.quotaOverride ? parseQuotaString(ctx.quotaOverride) : undefined;
      if (!(await checkQuota(ctx, target.root, bytes, counted.length, override))) throw new OverQuotaError();
    }
    for (const p of prepared) {
      if (p.keywords.length > 0)
        await writeKeywordUpdate(ctx, target.folderDir, keyOf(p.curName), p.keywords);
    }
  } catch (err) {
    await Promise.all(prepared.map((p) => unlink(p.tmpPath).catch(() => {})));
    throw mapWriteError(err, 'deliver');
  }
  const staged: StagedMessage[] = prepared.map((p) => ({
    tmpPath: p.tmpPath,
    curName: p.curName,
    ...(p.mtime ? { mtime: p.mtime } : {}),
  }));
  let scan: ScanResult;
  try {
    scan = await withMaildirLock(ctx, target.folderDir, () =>
      scanFolder(ctx, target.folderDir, { readOnly: false, staged, folderName: target.folderName }),
    );
  } catch (err) {
    // Messages not linked into cur/ yet stay invisible: remove their tmp files.
    await Promise.all(
      staged.filter((s) => s.uid === undefined).map((s) => unlink(s.tmpPath).catch(() => {})),
    );
    throw mapWriteError(err, 'deliver');
  }
  if (!target.isTrash && counted.length > 0) await addQuotaLine(target.root, bytes, counted.length);
  return { scan, uids: staged.map((s) => s.uid!) };
}
