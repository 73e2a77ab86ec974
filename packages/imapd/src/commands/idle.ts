/**
 * IDLE (RFC 2177): `+ entering idle mode`, then untagged updates as the folder changes (inotify
 * through Folder.watch, polling every IMAP_IDLE_TIMEOUT as a fallback) until DONE.
 */
import type { FolderWatch } from '@courier-ts/maildir';
import { BadCommandError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import { type ImapCommand, ok } from '../session/command.js';
import { AUTHENTICATED } from '../session/state.js';

export const idleCommand = {
  name: 'IDLE',
  states: AUTHENTICATED,
  flags: { reportsChanges: true },
  parse(args) {
    new ArgReader(args).end();
  },
  async run(ctx) {
    await ctx.continuation('entering idle mode');
    const mb = ctx.state.kind === 'selected' ? ctx.state.mailbox : undefined;
    let wake: () => void = () => {};
    let signal = new Promise<void>((r) => {
      wake = r;
    });
    let watch: FolderWatch | undefined;
    ctx.waiting?.(true);
    try {
      if (mb) {
        watch = mb.folder.watch(() => wake(), { pollMs: ctx.settings.idlePollMs });
        await mb.report((l) => ctx.untagged(l));
      }
      for (;;) {
        const r = await ctx.lineOr(signal);
        if (r.kind === 'signal') {
          signal = new Promise<void>((res) => {
            wake = res;
          });
          if (mb) await mb.report((l) => ctx.untagged(l));
          continue;
        }
        if (r.kind === 'eof') return ok('IDLE completed');
        if (r.line.toString('latin1').trim().toUpperCase() === 'DONE') return ok('IDLE completed');
        throw new BadCommandError('expected DONE');
      }
    } finally {
      ctx.waiting?.(false);
      watch?.close();
    }
  },
} satisfies ImapCommand<void>;
