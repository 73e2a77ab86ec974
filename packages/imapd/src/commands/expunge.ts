/** CHECK, EXPUNGE, UID EXPUNGE (UIDPLUS), and the expunge CLOSE does (IMAP_MOVE_EXPUNGE_TO_TRASH). */
import { MaildirError, type MessageInfo } from '@courier-ts/maildir';
import { accessDenied } from '../acl/enforce.js';
import { RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import type { SequenceSet } from '../protocol/sequence-set.js';
import { type CommandContext, type ImapCommand, ok } from '../session/command.js';
import { SelectedMailbox } from '../session/selected.js';
import { SELECTED } from '../session/state.js';
import { reportChanges } from './any-state.js';
import { copiedInSession } from './copy-move.js';

export const checkCommand = {
  name: 'CHECK',
  states: SELECTED,
  flags: { reportsChanges: true },
  parse(args) {
    new ArgReader(args).end();
  },
  async run(ctx) {
    await reportChanges(ctx);
    return ok('CHECK completed');
  },
} satisfies ImapCommand<void>;

/** A cur/ name with the T and D flags taken out (what Courier's move to the trash leaves). */
function trashName(filename: string): string {
  const i = filename.lastIndexOf(':2,');
  return i < 0 ? filename : filename.slice(0, i + 3) + filename.slice(i + 3).replace(/[TD]/g, '');
}

/** `./cur/NAME` or `./.Folder/cur/NAME`, as Courier's deletion log names files. */
function logPath(folder: string, filename: string): string {
  return folder === 'INBOX' ? `./cur/${filename}` : `./.${folder.slice(6)}/cur/${filename}`;
}

/** The trash folder exists, made now if missing (Courier creates it when the rename fails). */
async function ensureTrash(ctx: CommandContext, trash: string): Promise<void> {
  const md = ctx.user().maildir;
  if (await md.folderExists(trash)) return;
  try {
    await md.createFolder(trash);
  } catch (err) {
    if (!(err instanceof MaildirError && err.code === 'FOLDER_EXISTS')) throw err;
  }
}

/**
 * Expunge `msgs` of the selected mailbox as Courier's do_expunge does: with IMAP_MOVE_EXPUNGE_TO_TRASH,
 * outside the trash folder, a message this session has not copied anywhere is renamed into the
 * trash's cur/ (without T and D) instead of being unlinked; IMAP_LOG_DELETIONS logs each one.
 * Writes `* n EXPUNGE`; returns how many went and whether the keyword set changed (the caller sends
 * FLAGS / PERMANENTFLAGS after EXISTS / RECENT, Courier's order).
 */
export async function expungeMessages(
  ctx: CommandContext,
  msgs: readonly MessageInfo[],
  write: (line: string) => Promise<void>,
): Promise<{ readonly removed: number; readonly keywordsChanged: boolean }> {
  const mb = ctx.mailbox();
  if (msgs.length === 0) return { removed: 0, keywordsChanged: false };
  const s = ctx.settings;
  const trash = `INBOX.${s.trashFolder}`;
  const folder = mb.folder.name;
  const toTrash = s.moveExpungeToTrash && folder !== trash;
  const copied = copiedInSession(mb);
  const moving = toTrash ? msgs.filter((m) => !copied.has(m.uid)) : [];
  const unlinking = toTrash ? msgs.filter((m) => copied.has(m.uid)) : msgs;
  const before = mb.messages.map((m) => m.uid);
  const keywordsBefore = [...mb.folder.keywordCounts.keys()].join(' ');
  const removed: number[] = [];
  if (moving.length > 0) {
    await ensureTrash(ctx, trash);
    removed.push(...(await mb.folder.expunge(moving, { moveToTrash: trash })));
  }
  if (unlinking.length > 0) removed.push(...(await mb.folder.expunge(unlinking)));
  if (s.logDeletions) logDeletions(ctx, folder, moving, unlinking, new Set(removed));
  for (const l of SelectedMailbox.expungeLines(before, removed)) await write(l);
  const keywordsChanged = mb.keywords && keywordsBefore !== [...mb.folder.keywordCounts.keys()].join(' ');
  return { removed: removed.length, keywordsChanged };
}

/** IMAP_LOG_DELETIONS: Courier's lines (a moved message gets both). */
function logDeletions(
  ctx: CommandContext,
  folder: string,
  moved: readonly MessageInfo[],
  unlinked: readonly MessageInfo[],
  removed: ReadonlySet<number>,
): void {
  const remote = (ctx.log.bindings() as { remote?: string }).remote ?? '';
  const who = `user=${ctx.user().name}, ip=[${remote}]`;
  const trashDir = `.${ctx.settings.trashFolder}`;
  const lines: Array<[number, string]> = [];
  for (const m of moved) {
    if (!removed.has(m.uid)) continue;
    const old = logPath(folder, m.filename);
    const neu = `${trashDir}/cur/${trashName(m.filename)}`;
    lines.push([m.uid, `EXPUNGED, ${who}, old_name=${old}, new_name=${neu}: only new_name will be left`]);
    lines.push([m.uid, `EXPUNGED, ${who}, old_name=${old}`]);
  }
  for (const m of unlinked) {
    if (removed.has(m.uid)) lines.push([m.uid, `EXPUNGED, ${who}, old_name=${logPath(folder, m.filename)}`]);
  }
  for (const [, line] of lines.sort((a, b) => a[0] - b[0])) ctx.log.info(line);
}

/** CLOSE's silent expunge of the \Deleted messages (nothing when read-only or without `e`). */
export async function expungeOnClose(ctx: CommandContext): Promise<void> {
  const mb = ctx.mailbox();
  if (mb.readOnly || !mb.rights.includes('e')) return;
  const deleted = mb.messages.filter((m) => m.flags.has('T'));
  await expungeMessages(ctx, deleted, async () => {});
}

async function expungeDeleted(ctx: CommandContext, set: SequenceSet | undefined) {
  const mb = ctx.mailbox();
  if (mb.readOnly) throw new RefusedError('Cannot expunge read-only mailbox.');
  if (!mb.rights.includes('e')) throw accessDenied('EXPUNGE', 'current mailbox', 'e');
  const scope = set === undefined ? mb.messages : mb.resolve(set, true).messages;
  const deleted = scope.filter((m) => m.flags.has('T'));
  const write = (l: string) => ctx.untagged(l);
  const { removed, keywordsChanged } = await expungeMessages(ctx, deleted, write);
  await mb.report(write, { counts: removed > 0 });
  if (keywordsChanged) {
    await write(mb.flagsLine());
    await write(mb.permanentFlagsLine());
  }
  return ok('EXPUNGE completed');
}

export const expungeCommand = {
  name: 'EXPUNGE',
  uid: 'allowed',
  states: SELECTED,
  flags: { reportsChanges: true },
  parse(args, cmd) {
    const r = new ArgReader(args);
    const set = cmd.uid ? r.sequenceSet() : undefined;
    r.end();
    return set;
  },
  run: (ctx, set) => expungeDeleted(ctx, set),
} satisfies ImapCommand<SequenceSet | undefined>;

export const EXPUNGE_COMMANDS = [checkCommand, expungeCommand] as const;
