/**
 * The POP3 view of INBOX as courierpop3d builds it at login: purge tmp/ (48 h, mtime),
 * new/ -> cur/, list cur/ in Courier's order, UIDLs and sizes from courierpop3dsizelist.
 */
import type { Stats } from 'node:fs';
import { readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { MessageGoneError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { keyOf, sizeFromName } from '../message/filename.js';
import { MEASURE_READ, measureFile, openCrlfStream } from '../message/message-reader.js';
import type { ScanSummary } from '../message/mime-scan.js';
import { MAILDIR_NATIVE, type MaildirNative } from '../message/native.js';
import { readServedFile, type ServedFile } from '../message/served-file.js';
import { addQuotaLine, countsForQuota } from '../state/maildirsize.js';
import {
  comparePop3Keys,
  formatSizelist,
  readSizelist,
  SIZELIST_FILE,
  type Sizelist,
  type SizelistEntry,
  sortPop3Names,
} from '../state/pop3-sizelist.js';
import type { Pop3Maildrop, Pop3Message, RetrWhole } from '../types.js';
import { topLf } from './pop3-top.js';
import { purgeTmp } from './tmp-purge.js';

/** RETR replies up to this size are read whole (retrWhole); larger ones are streamed. */
const RETR_WHOLE_MAX = 1024 * 1024;
const END_AT_LINE_START = Buffer.from('.\r\n', 'latin1');
const END_MID_LINE = Buffer.from('\r\n.\r\n', 'latin1');

/**
 * One message of the maildrop, and its Pop3Message view (one object each: 10,000 of them per
 * login). `filename` is the name at login, as before; `current` follows our own S-flag rename.
 */
class DropEntry implements Pop3Message {
  current: string;
  constructor(
    readonly filename: string,
    readonly crlfSize: number,
    readonly uid: number,
    readonly uidv: number,
    readonly utf8Headers: boolean,
  ) {
    this.current = filename;
  }

  get uidl(): string {
    return `UID${this.uid}-${this.uidv}`;
  }
}

async function moveNewToCur(root: string): Promise<void> {
  const names = await readdir(join(root, 'new')).catch(() => [] as string[]);
  for (const n of names) {
    if (n.startsWith('.')) continue;
    const target = n.includes(':') ? n : `${n}:2,`;
    await rename(join(root, 'new', n), join(root, 'cur', target)).catch(() => {});
  }
}

interface Listed {
  readonly name: string;
  /** Index in the sizelist, or -1 for a message not in it. */
  readonly old: number;
}

/**
 * pop3dserver.c's merge: cur/ names in cmpmsgs order against the (sorted) sizelist; an entry whose
 * name equals a file's up to the flags is that file. `changed`: some entry had no file.
 */
function listCur(
  names: readonly string[],
  prev: Sizelist | undefined,
): { listed: Listed[]; changed: boolean } {
  const oldKeys = prev?.keys ?? [];
  const listed: Listed[] = [];
  let changed = false;
  let n = 0;
  for (const { name, key } of sortPop3Names(names)) {
    while (n < oldKeys.length && comparePop3Keys(oldKeys[n]!, key) < 0) {
      n++;
      changed = true;
    }
    if (n < oldKeys.length && comparePop3Keys(oldKeys[n]!, key) === 0) listed.push({ name, old: n++ });
    else listed.push({ name, old: -1 });
  }
  return { listed, changed: changed || n < oldKeys.length };
}

/** What identifies a version of a directory or file: a changed one differs in one of these. */
function signature(st: Stats | undefined): string {
  return st ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` : '-';
}

/** Files measured at once when a maildrop has messages its sizelist does not know. */
const MEASURE_CONCURRENCY = 8;

/**
 * Size, LFs and 8-bit headers of each of `names` (absent: vanished meanwhile). Several files at
 * once: one after the other, a first login to 10,000 messages without a sizelist spent most of its
 * time waiting on each file's open, read and close in turn.
 */
async function measureNew(curDir: string, names: readonly string[]): Promise<Map<string, ScanSummary>> {
  const out = new Map<string, ScanSummary>();
  let next = 0;
  const worker = async (): Promise<void> => {
    const scratch = Buffer.allocUnsafe(MEASURE_READ); // every file this worker measures reads into it
    while (next < names.length) {
      const name = names[next++]!;
      try {
        out.set(name, await measureFile(join(curDir, name), scratch));
      } catch {
        // vanished meanwhile
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MEASURE_CONCURRENCY, names.length) }, worker));
  return out;
}

/**
 * courierpop3d's view of the maildir. The last listing of each maildrop opened by this process (a
 * session worker serves one account again and again) stands for a readdir of cur/ and a read of the sizelist while neither
 * changed: cur/'s mtime moves with every file added, removed or renamed, and the sizelist is
 * replaced by a rename. A listing made within a second of cur/'s last change is not reused (a
 * change in the same timestamp tick would not show). Kept in the process's MaildirSharing
 * (store/sharing.ts), bounded to a few maildrops.
 */
export async function openPop3Maildrop(ctx: MaildirContext): Promise<Pop3Maildrop> {
  const root = ctx.root;
  const now = ctx.clock.now();
  const curDir = join(root, 'cur');
  const listPath = join(root, SIZELIST_FILE);
  await Promise.all([purgeTmp(root, now, 48 * 60 * 60), moveNewToCur(root)]);
  // Stat before reading: a change after it makes the next stat differ (the cache errs on re-reading).
  const [curStat, listStat] = await Promise.all([stat(curDir), stat(listPath).catch(() => undefined)]);
  const cached = ctx.sharing.pop3Listings.get(root);
  if (cached && cached.cur === signature(curStat) && cached.list === signature(listStat)) {
    ctx.log.debug({ root }, 'POP3 listing unchanged: cur/ not read again');
    return new MaildropImpl(
      ctx,
      cached.rows.map((r) => new DropEntry(r.filename, r.size, r.uid, r.uidv, r.utf8)),
      cached,
    );
  }
  const [names, prev] = await Promise.all([readdir(curDir), readSizelist(listPath)]);
  let nextUid = prev?.nextUid ?? 1;
  const uidv = prev?.uidv ?? Math.floor(now / 1000);
  const { listed, changed } = listCur(
    names.filter((n) => n.charCodeAt(0) !== 0x2e),
    prev,
  );
  let save = changed || prev === undefined || prev.outdated;
  const old = prev?.entries ?? [];
  const entries: DropEntry[] = [];
  const measured = await measureNew(
    curDir,
    listed.filter((l) => l.old < 0 || old[l.old] === undefined).map((l) => l.name),
  );
  for (const { name, old: i } of listed) {
    const o = i >= 0 ? old[i] : undefined;
    if (o) {
      entries.push(new DropEntry(name, o.size, o.uid, o.uidv, o.utf8));
      continue;
    }
    const m = measured.get(name);
    if (m === undefined) continue; // vanished meanwhile
    entries.push(new DropEntry(name, m.size + m.lfs, nextUid++, uidv, m.utf8Headers));
    save = true;
  }
  const rows: SizelistEntry[] = entries.map((e) => ({
    filename: e.filename,
    size: e.crlfSize,
    uid: e.uid,
    uidv: e.uidv,
    utf8: e.utf8Headers,
  }));
  if (save) {
    try {
      await writeFileAtomic(ctx, root, listPath, formatSizelist(nextUid, uidv, rows), { uniqTag: 'pop3' });
    } catch (err) {
      ctx.log.error({ err, root }, 'Error while saving courierpop3dsizelist');
    }
  } else if (now - curStat.mtimeMs > 1000) {
    // Only a listing that agreed with the sizelist it read: after a save, the next login reads
    // the new file (and remembers that).
    const listing = { cur: signature(curStat), list: signature(listStat), rows };
    ctx.sharing.pop3Listings.remember(root, listing);
    return new MaildropImpl(ctx, entries, listing);
  }
  return new MaildropImpl(ctx, entries, undefined);
}

class MaildropImpl implements Pop3Maildrop {
  readonly messages: readonly Pop3Message[];

  private readonly curDir: string;

  constructor(
    private readonly ctx: MaildirContext,
    private readonly entries: DropEntry[],
    readonly listingKey: object | undefined,
    private readonly native: MaildirNative | undefined = MAILDIR_NATIVE,
  ) {
    this.messages = entries;
    this.curDir = join(ctx.root, 'cur');
  }

  private entry(i: number): DropEntry {
    const e = this.entries[i];
    if (!e) throw new RangeError(`no message ${i}`);
    return e;
  }

  private readonly locate = async (key: string): Promise<string | undefined> => {
    for (const n of await readdir(join(this.ctx.root, 'cur')).catch(() => [] as string[])) {
      if (keyOf(n) === key) return n;
    }
    return undefined;
  };

  open(index: number, options: { topLines?: number; dotStuff?: boolean } = {}): Readable {
    const e = this.entry(index);
    const msg = { filename: e.current, key: keyOf(e.current), uid: e.uid };
    const n = options.topLines;
    const filter = n === undefined ? undefined : (raw: AsyncIterable<Buffer>) => topLf(raw, n);
    // crlfSize bounds the stored size: a message is read whole in one read when it is small.
    return openCrlfStream(this.curDir, msg, this.locate, {}, filter, {
      sizeHint: e.crlfSize,
      dotStuff: filter === undefined && options.dotStuff === true,
    });
  }

  /**
   * RETR's reply body of a message up to RETR_WHOLE_MAX bytes in one thread-pool job (native
   * helper: read, LF -> CRLF, dot-stuffing), without a stream. Follows a rename by another process.
   */
  async retrWhole(index: number): Promise<RetrWhole | undefined> {
    const e = this.entry(index);
    const native = this.native;
    if (!native || e.crlfSize > RETR_WHOLE_MAX) return undefined;
    const read = (name: string) =>
      readServedFile(`${this.curDir}/${name}`, RETR_WHOLE_MAX, { native, dotStuff: true });
    let r: ServedFile;
    try {
      r = await read(e.current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const now = await this.locate(keyOf(e.current));
      if (now === undefined) throw new MessageGoneError(e.uid, { cause: err });
      r = await read(now);
    }
    const body = r.served;
    if (!body) return undefined;
    const atLineStart = body.length === 0 || body[body.length - 1] === 0x0a;
    return { parts: [body, atLineStart ? END_AT_LINE_START : END_MID_LINE], consumed: r.rawSize };
  }

  /** RETR: courierpop3d appends `S` to the name (`:2,` first when missing) unless already seen. */
  async markSeen(index: number): Promise<void> {
    const e = this.entry(index);
    const colon = e.current.indexOf(':');
    if (colon >= 0 && (!e.current.startsWith(':2,', colon) || e.current.includes('S', colon))) return;
    const target = `${colon < 0 ? `${e.current}:2,` : e.current}S`;
    try {
      await rename(join(this.ctx.root, 'cur', e.current), join(this.ctx.root, 'cur', target));
      e.current = target;
    } catch {
      // gone or renamed by someone else: Courier ignores it too
    }
  }

  /** QUIT: unlink the DELE'd messages, then one maildirsize line for all of them. */
  async commitDeletes(indexes: readonly number[]): Promise<void> {
    let bytes = 0;
    let count = 0;
    for (const i of new Set(indexes)) {
      const e = this.entry(i);
      let size: number | undefined;
      if (countsForQuota(e.current)) size = sizeFromName(keyOf(e.current));
      try {
        if (size === undefined && countsForQuota(e.current)) {
          size = (await stat(join(this.ctx.root, 'cur', e.current))).size;
        }
        await unlink(join(this.ctx.root, 'cur', e.current));
      } catch {
        const now = await this.locate(keyOf(e.current));
        if (!now) continue;
        await unlink(join(this.ctx.root, 'cur', now)).catch(() => {});
      }
      if (size !== undefined) {
        bytes += size;
        count++;
      }
    }
    if (count > 0) await addQuotaLine(this.ctx.root, -bytes, -count);
  }
}
