import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NoSuchFolderError } from '../errors.js';
import { resolveContext } from '../fs/context.js';
import type { Maildir, OpenMaildirOptions } from '../types.js';
import { MaildirStore } from './maildir.js';

/** Opens the maildir at `path` (the account's INBOX). Throws NoSuchFolderError when it is not a maildir. */
export async function openMaildir(path: string, options: OpenMaildirOptions = {}): Promise<Maildir> {
  const root = resolve(path);
  const ok = await stat(resolve(root, 'cur')).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!ok) throw new NoSuchFolderError('INBOX');
  const ctx = resolveContext(root, options);
  return new MaildirStore(ctx, ctx.sharing.folders);
}
