// imapd modules the search tests need that the package does not export (its command registry, the
// preauth runner, the search engine): loaded from the built package by path, typed from the sources.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../../support/paths.js';

type Mod<T> = Promise<T>;

function load<T>(rel: string): Mod<T> {
  return import(pathToFileURL(join(repoRoot, 'packages', 'imapd', 'dist', rel)).href) as Mod<T>;
}

export const commandsIndex = (): Mod<typeof import('../../../../packages/imapd/src/commands/index.js')> =>
  load('commands/index.js');
export const searchCommands = (): Mod<typeof import('../../../../packages/imapd/src/commands/search.js')> =>
  load('commands/search.js');
export const preauth = (): Mod<typeof import('../../../../packages/imapd/src/preauth.js')> =>
  load('preauth.js');
export const sessionCommand = (): Mod<typeof import('../../../../packages/imapd/src/session/command.js')> =>
  load('session/command.js');
export const settingsModule = (): Mod<typeof import('../../../../packages/imapd/src/settings.js')> =>
  load('settings.js');
export const quotaCommands = (): Mod<typeof import('../../../../packages/imapd/src/commands/quota.js')> =>
  load('commands/quota.js');
export const aclCommands = (): Mod<typeof import('../../../../packages/imapd/src/commands/acl.js')> =>
  load('commands/acl.js');
export const searchModule = <T>(name: string): Mod<T> => load(`search/${name}.js`);
