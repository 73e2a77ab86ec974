/**
 * The POP3 view of INBOX as courierpop3d builds it at login: purge tmp/ (48 h, mtime),
 * new/ -> cur/, list cur/ in Courier's order, UIDLs and sizes from courierpop3dsizelist.
 */
import { readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';
import { keyOf, sizeFromName } from '../message/filename.js';
import { measureFile, openCrlfStream } from '../message/message-reader.js';
import { addQuotaLine, countsForQuota } from '../state/maildirsize.js';
import {
  comparePop3Names,
  formatSizelist,
  readSizelist,
  SIZELIST_FILE,
  type SizelistEntry,
} from '../state/pop3-sizelist.js';
import type { Pop3Maildrop, Pop3Message } from '../types.js';
import { topLf } from './pop3-top.js';
import { purgeTmp } from './tmp-purge.js';

interface DropEntry {
  filename: string;
  readonly size: number;
  readonly uid: number;
  readonly uidv: number;
  readonly utf8: boolean;
}

async function moveNewToCur(root: string): Promise<void> {
  const names = await readdir(join(root, 'new')).catch(() => [] as string[]);
  for (const n of names) {
    if (n.startsWith('.')) continue;
    const target = n.includes(':') ? n : `${n}:2,`;
    await rename(join(root, 'new', n), join(root, 'cur', target)).catch(() => {});
  }
}

export async function openPop3Maildrop(ctx: MaildirContext): Promise<Pop3Maildrop> {
  const root = ctx.root;
  const now = ctx.clock.now();
  await purgeTmp(root, now, 48 * 60 * 60);
  await moveNewToCur(root);
  const cur = (await readdir(join(root, 'cur'))).filter((n) => !n.startsWith('.'));
  cur.sort(comparePop3Names);
  const prev = await readSizelist(join(root, SIZELIST_FILE));
  let nextUid = prev?.nextUid ?? 1;
  const uidv = prev?.uidv ?? Math.floor(now / 1000);
  let save = prev === undefined || prev.outdated;
  const old = prev?.entries ?? [];
  let n = 0;
  const entries: DropEntry[] = [];
  for (const name of cur) {
    while (n < old.length && comparePop3Names(old[n]!.filename, name) < 0) {
      n++;
      save = true;
    }
    const o = old[n];
    if (o && comparePop3Names(o.filename, name) === 0) {
      entries.push({ filename: name, size: o.size, uid: o.uid, uidv: o.uidv, utf8: o.utf8 });
      n++;
      continue;
    }
    let measured: { size: number; lfs: number; utf8Headers: boolean };
    try {
      measured = await measureFile(join(root, 'cur', name));
    } catch {
      continue; // vanished meanwhile
    }
    entries.push({
      filename: name,
      size: measured.size + measured.lfs,
      uid: nextUid++,
      uidv,
      utf8: measured.utf8Headers,
    });
    save = true;
  }
  if (n < old.length) save = true;
  if (save) {
    const rows: SizelistEntry[] = entries.map((e) => ({ ...e }));
    try {
      await writeFileAtomic(ctx, root, join(root, SIZELIST_FILE), formatSizelist(nextUid, uidv, rows), {
        uniqTag: 'pop3',
      });
    } catch (err) {
      ctx.log.error({ err, root }, 'Error while saving courierpop3dsizelist');
    }
  }
  return new MaildropImpl(ctx, entries);
}

class MaildropImpl implements Pop3Maildrop {
  readonly messages: readonly Pop3Message[];

  constructor(
    private readonly ctx: MaildirContext,
    private readonly entries: DropEntry[],
  ) {
    this.messages = entries.map((e) => this.view(e));
  }

  private view(e: DropEntry): Pop3Message {
    return {
      filename: e.filename,
      crlfSize: e.size,
      uidl: `UID${e.uid}-${e.uidv}`,
      utf8Headers: e.utf8,
    };
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

  open(index: number, options: { topLines?: number } = {}): Readable {
    const e = this.entry(index);
    const msg = { filename: e.filename, key: keyOf(e.filename), uid: e.uid };
    const n = options.topLines;
    const filter = n === undefined ? undefined : (raw: AsyncIterable<Buffer>) => topLf(raw, n);
    return openCrlfStream(join(this.ctx.root, 'cur'), msg, this.locate, {}, filter);
  }

  /** RETR: courierpop3d appends `S` to the name (`:2,` first when missing) unless already seen. */
  async markSeen(index: number): Promise<void> {
    const e = this.entry(index);
    const colon = e.filename.indexOf(':');
    if (colon >= 0 && (!e.filename.startsWith(':2,', colon) || e.filename.includes('S', colon))) return;
    const target = `${colon < 0 ? `${e.filename}:2,` : e.filename}S`;
    try {
      await rename(join(this.ctx.root, 'cur', e.filename), join(this.ctx.root, 'cur', target));
      e.filename = target;
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
      if (countsForQuota(e.filename)) size = sizeFromName(keyOf(e.filename));
      try {
        if (size === undefined && countsForQuota(e.filename)) {
          size = (await stat(join(this.ctx.root, 'cur', e.filename))).size;
        }
        await unlink(join(this.ctx.root, 'cur', e.filename));
      } catch {
        const now = await this.locate(keyOf(e.filename));
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
