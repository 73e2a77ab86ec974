/** The opened maildir (INBOX = the root): folder management, delivery between folders, quota. */
import { readdir, realpath, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { NoSuchFolderError, ReadOnlyFolderError } from '../errors.js';
import type { MaildirContext } from '../fs/context.js';
import { folderDirName, normalizeFolderName } from '../layout/folder-name.js';
import { parseName } from '../message/filename.js';
import { courierReadAcl } from '../state/acl-walk.js';
import { ensureKeywordDir } from '../state/keywords.js';
import { checkQuota, parseQuotaString, readMaildirsize } from '../state/maildirsize.js';
import { addSubscription, readSubscriptions, removeSubscription } from '../state/subscriptions.js';
import type {
  AppendOptions,
  AppendResult,
  CopyResult,
  Folder,
  FolderListEntry,
  FolderStatus,
  Maildir,
  OpenFolderOptions,
  Pop3Maildrop,
  QuotaInfo,
} from '../types.js';
import {
  commitStaged,
  type DeliveryTarget,
  type PreparedMessage,
  stageCopy,
  stageStream,
} from './deliver.js';
import { MaildirFolder } from './folder.js';
import * as ops from './folder-ops.js';
import type { FolderRegistry } from './folder-registry.js';
import type { MessageRecord } from './message-info.js';
import { openPop3Maildrop } from './pop3-maildrop.js';
import { purgeOldMessages } from './purge.js';
import { scanFolder } from './scan.js';

export class MaildirStore implements Maildir {
  constructor(
    private readonly ctx: MaildirContext,
    private readonly registry: FolderRegistry,
  ) {}

  get path(): string {
    return this.ctx.root;
  }
  get root(): string {
    return this.ctx.root;
  }

  private dirOf(name: string): string {
    return join(this.ctx.root, folderDirName(name));
  }

  private async target(name: string): Promise<DeliveryTarget> {
    const canonical = normalizeFolderName(name);
    const folderDir = this.dirOf(canonical);
    if (
      !(await stat(join(folderDir, 'cur')).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    )
      throw new NoSuchFolderError(canonical);
    return {
      root: this.ctx.root,
      folderDir,
      folderName: canonical,
      isTrash: folderDir === join(this.ctx.root, '.Trash'),
    };
  }

  listFolders(): Promise<readonly FolderListEntry[]> {
    return ops.listFolders(this.ctx.root);
  }
  folderExists(name: string): Promise<boolean> {
    return ops.folderExists(this.ctx.root, name);
  }
  createFolder(name: string): Promise<void> {
    return ops.createFolder(this.ctx, this.ctx.root, name);
  }
  deleteFolder(name: string): Promise<void> {
    return ops.deleteFolder(this.ctx, this.ctx.root, name, this.ctx.trashFolder);
  }
  async renameFolder(from: string, to: string): Promise<void> {
    await ops.renameFolder(this.ctx.root, from, to, this.ctx.trashFolder);
  }
  readAcl(name: string): Promise<string> {
    const canonical = normalizeFolderName(name);
    return courierReadAcl(
      this.ctx,
      this.ctx.root,
      canonical === 'INBOX' ? '' : canonical.slice('INBOX.'.length),
    );
  }
  subscriptions(): Promise<readonly string[]> {
    return readSubscriptions(this.ctx.root);
  }
  subscribe(name: string): Promise<void> {
    return addSubscription(this.ctx, this.ctx.root, name);
  }
  unsubscribe(name: string): Promise<void> {
    return removeSubscription(this.ctx, this.ctx.root, name);
  }

  async openFolder(name: string, options: OpenFolderOptions = {}): Promise<Folder> {
    const dir = this.dirOf(normalizeFolderName(name));
    const [t, real] = await Promise.all([this.target(name), realpath(dir).catch(() => dir)]);
    const readOnly = options.readOnly ?? false;
    // One shared index per folder and mode in this process (and per cache setting, which changes
    // what the index reads and writes): keyed by the real path.
    const key = `${real}\0${readOnly ? 'ro' : 'rw'}\0${this.ctx.useCache ? 'cache' : 'nocache'}`;
    return MaildirFolder.open(this.ctx, this, {
      name: t.folderName,
      path: t.folderDir,
      readOnly,
      eager: options.details !== 'lazy',
      registry: this.registry,
      key,
    });
  }

  async purgeOld(name: string, maxAgeDays: number): Promise<{ readonly removed: number }> {
    const t = await this.target(name);
    return purgeOldMessages(this.ctx.root, t.folderDir, maxAgeDays, this.ctx.clock.now(), !t.isTrash);
  }

  /** Folder directory of an existing folder (for moves between folders). */
  async folderDir(name: string): Promise<{ dir: string; isTrash: boolean }> {
    const t = await this.target(name);
    return { dir: t.folderDir, isTrash: t.isTrash };
  }

  async status(name: string): Promise<FolderStatus> {
    const t = await this.target(name);
    const scan = await scanFolder(this.ctx, t.folderDir, {
      readOnly: true,
      leaveNew: true,
      folderName: t.folderName,
    });
    await ensureKeywordDir(t.folderDir); // Courier's STATUS reads the keywords (creating the directory)
    const newNames = (await readdir(join(t.folderDir, 'new')).catch(() => [] as string[])).filter(
      (n) => !n.startsWith('.'),
    );
    let unseen = newNames.length;
    let recent = newNames.length;
    for (const e of scan.entries) {
      if (!parseName(e.filename).flags.has('S')) unseen++;
      if (e.recent) recent++;
    }
    return {
      messages: scan.entries.length + newNames.length,
      recent,
      unseen,
      uidNext: scan.nextUid,
      uidValidity: scan.uidValidity,
    };
  }

  async quota(): Promise<QuotaInfo | undefined> {
    const s = await readMaildirsize(this.ctx.root);
    if (!s) return undefined;
    return {
      limitBytes: s.def.bytes > 0 ? s.def.bytes : undefined,
      limitMessages: s.def.messages > 0 ? s.def.messages : undefined,
      usedBytes: Math.max(0, s.bytes),
      usedMessages: Math.max(0, s.messages),
    };
  }

  quotaAllows(bytes: number, messages = 1): Promise<boolean> {
    const override = this.ctx.quotaOverride ? parseQuotaString(this.ctx.quotaOverride) : undefined;
    return checkQuota(this.ctx, this.ctx.root, bytes, messages, override);
  }

  pop3Maildrop(): Promise<Pop3Maildrop> {
    return openPop3Maildrop(this.ctx);
  }

  /** Stream into a folder by name (APPEND to a folder that is not selected). */
  async append(
    name: string,
    body: AsyncIterable<Uint8Array> | Readable,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return this.appendToTarget(await this.target(name), body, options);
  }

  async appendTo(
    folder: MaildirFolder,
    body: AsyncIterable<Uint8Array> | Readable,
    options: AppendOptions,
  ): Promise<AppendResult> {
    if (folder.readOnly) throw new ReadOnlyFolderError(folder.name);
    return this.appendToTarget(await this.target(folder.name), body, options);
  }

  private async appendToTarget(
    t: DeliveryTarget,
    body: AsyncIterable<Uint8Array> | Readable,
    options: AppendOptions,
  ): Promise<AppendResult> {
    const prepared = await stageStream(
      this.ctx,
      t,
      body,
      options.flags ?? [],
      [...(options.keywords ?? [])],
      options.internalDate,
    );
    const { scan, uids } = await commitStaged(this.ctx, t, [prepared]);
    return { uid: uids[0]!, uidValidity: scan.uidValidity };
  }

  async copyMessages(
    source: MaildirFolder,
    msgs: readonly MessageRecord[],
    dest: string,
  ): Promise<CopyResult> {
    const t = await this.target(dest);
    const prepared: PreparedMessage[] = [];
    const sourceUids: number[] = [];
    try {
      for (const m of msgs) {
        let filename: string | undefined = m.filename;
        let p: PreparedMessage | undefined;
        for (let attempt = 0; attempt < 2 && filename !== undefined && !p; attempt++) {
          try {
            const flags = parseName(filename).flags;
            p = await stageCopy(this.ctx, t, join(source.path, 'cur', filename), flags, [...m.keywords]);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
            filename = await source.locate(m.key);
          }
        }
        if (p) {
          prepared.push(p);
          sourceUids.push(m.uid);
        }
      }
    } catch (err) {
      await Promise.all(prepared.map((p) => unlink(p.tmpPath).catch(() => {})));
      throw err;
    }
    if (prepared.length === 0) {
      const st = await this.status(t.folderName);
      return { uidValidity: st.uidValidity, sourceUids: [], destUids: [] };
    }
    const { scan, uids } = await commitStaged(this.ctx, t, prepared);
    return { uidValidity: scan.uidValidity, sourceUids, destUids: uids };
  }
}
