/**
 * APPEND: mailbox, flags and date are checked before `+ OK` (Courier); the literal streams into
 * the folder's tmp/ and is renamed into place (never held in memory).
 */
import type { AppendResult } from '@courier-ts/maildir';
import { requireRight } from '../acl/enforce.js';
import { BadCommandError, InvalidCommandError, RefusedError } from '../errors.js';
import { ArgReader } from '../protocol/arg-reader.js';
import type { ImapToken } from '../protocol/tokens.js';
import { type CommandContext, type ImapCommand, type LiteralPlan, ok } from '../session/command.js';
import { AUTHENTICATED } from '../session/state.js';
import { splitFlags } from './flags.js';
import { decodeName } from './names.js';

interface AppendHead {
  readonly mailbox: string;
  readonly flags: readonly string[];
  readonly date: Date | undefined;
}

interface AppendInput extends AppendHead {
  /** A message sent as a quoted string or buffered literal (not streamed). */
  readonly inline: Buffer | undefined;
}

type LiteralOutcome = { ok: true; value: AppendResult } | { ok: false; error: unknown };

function readHead(r: ArgReader): AppendHead {
  if (r.remaining === 0) throw new InvalidCommandError('APPEND needs a mailbox');
  const mailbox = r.mailbox();
  const flags = r.peek()?.type === 'list' ? r.flagList() : [];
  const next = r.peek();
  const date = next?.type === 'string' && next.form === 'quoted' ? r.dateTime().date : undefined;
  return { mailbox, flags, date };
}

async function checkTarget(ctx: CommandContext, head: AppendHead): Promise<string> {
  const name = decodeName(ctx, head.mailbox);
  splitFlags(head.flags, ctx.settings.keywords);
  if (
    !(await ctx
      .user()
      .maildir.folderExists(name)
      .catch(() => false))
  ) {
    throw new RefusedError('Must create mailbox before append', { code: 'TRYCREATE' });
  }
  const user = ctx.user();
  await requireRight(user.maildir, user.name, { name, shown: head.mailbox, exists: true }, 'APPEND', 'i');
  return name;
}

function store(ctx: CommandContext, name: string, head: AppendHead, body: AsyncIterable<Uint8Array>) {
  const { letters, keywords } = splitFlags(head.flags, ctx.settings.keywords);
  return ctx.user().maildir.append(name, body, {
    flags: letters,
    keywords,
    ...(head.date ? { internalDate: head.date } : {}),
  });
}

export const appendCommand = {
  name: 'APPEND',
  states: AUTHENTICATED,
  parse(args: readonly ImapToken[]) {
    const r = new ArgReader(args);
    const head = readHead(r);
    const msg = r.literal();
    r.end();
    return { ...head, inline: msg.type === 'string' ? msg.value : undefined };
  },
  async literal(ctx, event): Promise<LiteralPlan> {
    const head = readHead(new ArgReader(event.args));
    const name = await checkTarget(ctx, head);
    return { kind: 'stream', consume: (body) => store(ctx, name, head, body) };
  },
  async run(ctx, input) {
    let result: AppendResult;
    if (input.inline !== undefined) {
      const name = await checkTarget(ctx, input);
      const inline = input.inline;
      result = await store(
        ctx,
        name,
        input,
        (async function* () {
          yield inline;
        })(),
      );
    } else {
      const lit = ctx.literals[0] as LiteralOutcome | undefined;
      if (!lit) throw new BadCommandError('APPEND without its literal');
      if (!lit.ok) throw lit.error;
      result = lit.value;
    }
    return ok('APPEND Ok.', `APPENDUID ${result.uidValidity} ${result.uid}`);
  },
} satisfies ImapCommand<AppendInput>;
