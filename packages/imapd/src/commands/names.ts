/** Mailbox names between the wire (mUTF-7, or UTF-8 after ENABLE UTF8=ACCEPT) and the store (UTF-8). */
import { decodeMutf7, encodeMutf7 } from '@courier-ts/maildir';
import { InvalidCommandError } from '../errors.js';
import type { ArgReader } from '../protocol/arg-reader.js';
import { encodeString } from '../protocol/formatter.js';
import type { CommandContext } from '../session/command.js';

/** The name as sent (the caller decodes it at run time, when UTF8=ACCEPT is known). */
export function mailboxArg(r: ArgReader): string {
  if (r.remaining === 0) throw new InvalidCommandError('missing mailbox name');
  return r.mailbox();
}

/** Wire name -> UTF-8 store name (`inbox` -> `INBOX`). Throws InvalidMutf7Error. */
export function decodeName(ctx: CommandContext, wire: string): string {
  const name = ctx.utf8 ? wire : decodeMutf7(wire);
  if (name.toUpperCase() === 'INBOX') return 'INBOX';
  if (name.length > 6 && name.slice(0, 6).toUpperCase() === 'INBOX.') return `INBOX.${name.slice(6)}`;
  return name;
}

/** Store name -> wire form (not yet quoted). */
export function wireName(ctx: CommandContext, name: string): string {
  return ctx.utf8 ? name : encodeMutf7(name);
}

/** Store name -> quoted (or literal) wire string. */
export function quotedName(ctx: CommandContext, name: string): string {
  return encodeString(wireName(ctx, name), { utf8: ctx.utf8 }).toString('utf8');
}
