/** The command registry: every family's descriptors in one readonly table. */
import { type AnyImapCommand, type CommandRegistry, commandRegistry } from '../session/command.js';
import { ACL_COMMANDS } from './acl.js';
import { ANY_STATE_COMMANDS } from './any-state.js';
import { appendCommand } from './append.js';
import { copyCommand, moveCommand } from './copy-move.js';
import { enableCommand } from './enable.js';
import { EXPUNGE_COMMANDS } from './expunge.js';
import type { StructureProvider } from './fetch/structure.js';
import { fetchCommand } from './fetch.js';
import { idleCommand } from './idle.js';
import { LOGIN_COMMANDS } from './login.js';
import { MAILBOX_COMMANDS } from './mailboxes.js';
import { QUOTA_COMMANDS } from './quota.js';
import { searchFamilyCommands } from './search.js';
import { SELECT_COMMANDS } from './select.js';
import { storeCommand } from './store.js';

export interface RegistryOptions {
  /** ENVELOPE / BODYSTRUCTURE / part sections (src/message). */
  readonly structure?: StructureProvider;
  /** Further families (search, quota, acl ...). */
  readonly extra?: readonly AnyImapCommand[];
}

export function imapCommands(o: RegistryOptions = {}): readonly AnyImapCommand[] {
  return [
    ...ANY_STATE_COMMANDS,
    ...LOGIN_COMMANDS,
    ...MAILBOX_COMMANDS,
    ...SELECT_COMMANDS,
    ...EXPUNGE_COMMANDS,
    enableCommand,
    appendCommand,
    fetchCommand(o.structure),
    storeCommand,
    copyCommand,
    moveCommand,
    idleCommand,
    ...searchFamilyCommands(),
    ...QUOTA_COMMANDS,
    ...ACL_COMMANDS,
    ...(o.extra ?? []),
  ];
}

/** The readonly registry the server hands to every session. */
export function imapRegistry(o: RegistryOptions = {}): CommandRegistry {
  return commandRegistry(imapCommands(o));
}
