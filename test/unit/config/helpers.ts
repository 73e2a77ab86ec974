import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary config dir holding the given files; `cleanup()` removes it. */
export async function configDir(
  files: Record<string, string>,
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'courier-ts-config-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Environment that turns TLS off, so tests without certificates load cleanly. */
export const NO_TLS_IMAP = { IMAPDSSLSTART: 'NO', IMAPDSTARTTLS: 'NO' } as const;
export const NO_TLS_POP3 = { POP3DSSLSTART: 'NO', POP3_STARTTLS: 'NO' } as const;
