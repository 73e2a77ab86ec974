/**
 * What LIST and STATUS read from a maildir, kept between commands while nothing changed on disk
 * (inotify; see WatchedValue): the folder list and the folders' ACLs (watching the maildir root, every
 * folder directory and courierimaphieracl/: all an ACL read looks at), INBOX's new-mail mark (new/
 * and cur/), and each STATUSed folder's counts (its directory, cur/, new/ and keyword directory).
 * A client polling LIST and STATUS then costs no file system call while the folders are unchanged.
 *
 * One memo per process (every session of a per-uid worker shares it), one entry per maildir root. On a
 * network file system inotify does not see other hosts' changes: there nothing is kept. inotify watches
 * are a per-user budget shared with IDLE: a few maildirs and STATUSed folders are kept, the least
 * recently used dropped; where a watch cannot be set the value is simply read each time.
 */
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { type FolderListEntry, type FolderStatus, folderDirName, type Maildir } from '@courier-ts/maildir';
import { settleEvents, WatchedValue } from './watched-value.js';

/** Courier's file and directory names (as in @courier-ts/maildir's state/ modules). */
const HIERACL_DIR = 'courierimaphieracl';
const KEYWORD_DIR = 'courierimapkeywords';

/** statfs f_type of file systems where inotify misses changes made elsewhere. */
const REMOTE_FS = new Set([
  0x6969, // NFS
  0x517b, // SMB
  0xff534d42, // CIFS
  0xfe534d42, // SMB2
  0x65735546, // FUSE (sshfs, glusterfs ...)
  0x73757245, // Coda
  0x5346414f, // AFS
  0x00c36400, // Ceph
  0x01021997, // 9P
  0x01161970, // GFS2
  0x7461636f, // OCFS2
  0x0bd00bd0, // Lustre
]);

/** Folders beyond which LIST is not kept (one inotify watch per folder). */
const MAX_LISTED_FOLDERS = 256;

export interface MailboxMemoOptions {
  /** Maildirs kept (least recently used dropped first). */
  readonly maxMaildirs?: number;
  /** STATUS results kept per maildir (least recently used dropped first). */
  readonly maxStatusFolders?: number;
}

interface Tree {
  readonly folders: readonly FolderListEntry[];
  readonly acls: Map<string, Promise<string>>;
}

/**
 * The memoised reads as one command sees them: pending change events were dispatched when it was
 * made (see WatchedValue), so its reads need not wait for the event loop again.
 */
export interface MemoView {
  /** Maildir.listFolders(), kept while the folder list is unchanged. */
  listFolders(): Promise<readonly FolderListEntry[]>;
  /** Maildir.readAcl(name), kept while no ACL can have changed. */
  readAcl(name: string): Promise<string>;
  /** INBOX's entry.hasNewMail(), kept while its new/ and cur/ are unchanged. */
  inboxHasNewMail(entry: FolderListEntry): Promise<boolean>;
  /** The kept STATUS of a folder (then its cur/ exists: it is watched), else undefined; reads nothing. */
  keptStatus(name: string): FolderStatus | undefined;
  /** Maildir.status(name), kept while the folder is unchanged. */
  status(name: string): Promise<FolderStatus>;
}

/** The reads of one maildir, memoised. */
export class MaildirMemo {
  private readonly tree = new WatchedValue<Tree>();
  private readonly inboxMark = new WatchedValue<boolean>();
  private readonly statuses = new Map<string, WatchedValue<FolderStatus>>();
  private local: Promise<boolean> | undefined;

  constructor(
    private readonly maildir: Maildir,
    private readonly maxStatus: number,
  ) {}

  /** inotify sees every change to this maildir (a local file system). */
  private isLocal(): Promise<boolean> {
    this.local ??= statfs(this.maildir.path).then(
      (s) => !REMOTE_FS.has(Number(s.type)),
      () => false,
    );
    return this.local;
  }

  /** The reads for one command (after one turn of the event loop). */
  async view(): Promise<MemoView> {
    const md = this.maildir;
    if (!(await this.isLocal())) {
      return {
        listFolders: () => md.listFolders(),
        readAcl: (name) => md.readAcl(name),
        inboxHasNewMail: (entry) => entry.hasNewMail(),
        keptStatus: () => undefined,
        status: (name) => md.status(name),
      };
    }
    await settleEvents();
    return {
      listFolders: async () => (await this.currentTree()).folders,
      readAcl: (name) => this.readAcl(name),
      inboxHasNewMail: (entry) => this.inboxHasNewMail(entry),
      keptStatus: (name) => this.statuses.get(name)?.value,
      status: (name) => this.status(name),
    };
  }

  private currentTree(): Promise<Tree> {
    const md = this.maildir;
    return this.tree.get(async (watch) => {
      watch(md.path);
      watch(join(md.path, HIERACL_DIR), { optional: true });
      const folders = await md.listFolders();
      const dirs = folders.filter((f) => f.exists && f.name !== 'INBOX');
      if (dirs.length > MAX_LISTED_FOLDERS) this.tree.invalidate();
      else for (const f of dirs) watch(join(md.path, folderDirName(f.name)));
      return { folders, acls: new Map() };
    }, true);
  }

  private async readAcl(name: string): Promise<string> {
    const tree = await this.currentTree();
    let acl = tree.acls.get(name);
    if (!acl) {
      acl = this.maildir.readAcl(name);
      tree.acls.set(name, acl);
      acl.catch(() => tree.acls.delete(name));
    }
    return acl;
  }

  private inboxHasNewMail(entry: FolderListEntry): Promise<boolean> {
    return this.inboxMark.get(async (watch) => {
      watch(join(this.maildir.path, 'new'));
      watch(join(this.maildir.path, 'cur'));
      return entry.hasNewMail();
    }, true);
  }

  private statusValue(name: string): WatchedValue<FolderStatus> {
    let v = this.statuses.get(name);
    if (v) {
      this.statuses.delete(name); // most recently used last
    } else {
      v = new WatchedValue<FolderStatus>();
      while (this.statuses.size >= this.maxStatus) {
        const [oldest, old] = this.statuses.entries().next().value as [string, WatchedValue<FolderStatus>];
        old.invalidate();
        this.statuses.delete(oldest);
      }
    }
    this.statuses.set(name, v);
    return v;
  }

  private status(name: string): Promise<FolderStatus> {
    const md = this.maildir;
    const dir = join(md.path, folderDirName(name));
    return this.statusValue(name).get(async (watch) => {
      watch(dir);
      watch(join(dir, 'cur'));
      watch(join(dir, 'new'));
      watch(join(dir, KEYWORD_DIR), { optional: true });
      return md.status(name);
    }, true);
  }

  close(): void {
    this.tree.invalidate();
    this.inboxMark.invalidate();
    for (const v of this.statuses.values()) v.invalidate();
    this.statuses.clear();
  }
}

/** Per process: the memo of each maildir its sessions use. */
export class MailboxMemo {
  private readonly maildirs = new Map<string, { readonly maildir: Maildir; readonly memo: MaildirMemo }>();
  private readonly maxMaildirs: number;
  private readonly maxStatus: number;

  constructor(options: MailboxMemoOptions = {}) {
    this.maxMaildirs = options.maxMaildirs ?? 8;
    this.maxStatus = options.maxStatusFolders ?? 16;
  }

  /** The memo for this maildir (by path: sessions of one account open their own Maildir objects). */
  of(maildir: Maildir): MaildirMemo {
    const key = maildir.path;
    const e = this.maildirs.get(key);
    if (e) {
      this.maildirs.delete(key);
      this.maildirs.set(key, e);
      return e.memo;
    }
    while (this.maildirs.size >= this.maxMaildirs) {
      const [oldest, old] = this.maildirs.entries().next().value as [string, { memo: MaildirMemo }];
      old.memo.close();
      this.maildirs.delete(oldest);
    }
    const memo = new MaildirMemo(maildir, this.maxStatus);
    this.maildirs.set(key, { maildir, memo });
    return memo;
  }

  close(): void {
    for (const e of this.maildirs.values()) e.memo.close();
    this.maildirs.clear();
  }
}
