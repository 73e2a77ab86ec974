// Runs courier-ts's pre-authenticated imapd session in-process on a maildir with the search-family
// commands registered (whatever the registry holds), feeding a script and collecting the output.
import { PassThrough } from 'node:stream';
import { envSource } from '@courier-ts/runtime';
import { pino } from 'pino';
import {
  aclCommands,
  commandsIndex,
  preauth,
  quotaCommands,
  searchCommands,
  sessionCommand,
  settingsModule,
} from '../../unit/imapd/search/imapd-internals.js';

export async function runOurSession(
  maildir: string,
  script: Buffer,
  env: Record<string, string> = {},
): Promise<Buffer> {
  const { imapCommands } = await commandsIndex();
  const { searchFamilyCommands } = await searchCommands();
  const { runImapPreauth } = await preauth();
  const { commandRegistry } = await sessionCommand();
  const { resolveImapdSettings } = await settingsModule();
  const environment = { AUTHENTICATED: 'testuser', IMAP_KEYWORDS: '1', ...env };
  const settings = resolveImapdSettings({ get: () => undefined }, environment);
  const base = imapCommands();
  const { QUOTA_COMMANDS } = await quotaCommands();
  const { ACL_COMMANDS } = await aclCommands();
  const mine = [...searchFamilyCommands(), ...QUOTA_COMMANDS, ...ACL_COMMANDS].filter(
    (c) => !base.some((b) => b.name === c.name),
  );
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  // End the input only once the session has answered everything (the script ends with LOGOUT).
  output.on('data', (c: Buffer) => {
    chunks.push(c);
    if (
      /\r\n[^\r\n ]+ OK LOGOUT completed\r\n$/.test(Buffer.concat(chunks).subarray(-200).toString('latin1'))
    )
      input.end();
  });
  input.write(script);
  await runImapPreauth({
    settings,
    env: envSource(environment),
    maildir,
    input,
    output,
    log: pino({ level: 'silent' }),
    registry: commandRegistry([...base, ...mine]),
    cwd: process.cwd(),
    signal: new AbortController().signal,
  });
  return Buffer.concat(chunks);
}
