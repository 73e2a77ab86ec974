/** The command registry: every family's descriptors in one readonly table. */
import { type AnyImapCommand, type CommandRegistry, commandRegistry } from '../session/command.js';
import { ANY_STATE_COMMANDS } from './any-state.js';
import { enableCommand } from './enable.js';
import { EXPUNGE_COMMANDS } from './expunge.js';
import { LOGIN_COMMANDS } from './login.js';
import { MAILBOX_COMMANDS } from './mailboxes.js';
import { SELECT_COMMANDS } from './select.js';

export const IMAP_COMMANDS: readonly AnyImapCommand[] = [
  ...ANY_STATE_COMMANDS,
  ...LOGIN_COMMANDS,
  ...MAILBOX_COMMANDS,
  ...SELECT_COMMANDS,
  ...EXPUNGE_COMMANDS,
  enableCommand,
];

/** Registry of the built-in commands plus any extra families (search, quota, acl ...). */
export function imapRegistry(extra: readonly AnyImapCommand[] = []): CommandRegistry {
  return commandRegistry([...IMAP_COMMANDS, ...extra]);
}
