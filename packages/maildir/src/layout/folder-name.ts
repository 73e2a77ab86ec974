/** IMAP folder names (UTF-8, `INBOX.` namespace, `.` separator) <-> Maildir++ directory names. */
import { InvalidFolderNameError } from '../errors.js';

/** NAME_MAX for one directory name (bytes). */
const MAX_DIR_BYTES = 255;

export function isInbox(name: string): boolean {
  return name.toUpperCase() === 'INBOX';
}

/**
 * Checks a folder name and returns it with the INBOX prefix in canonical case
 * (`inbox.Sent` -> `INBOX.Sent`). Throws InvalidFolderNameError.
 */
export function normalizeFolderName(name: string): string {
  if (isInbox(name)) return 'INBOX';
  if (name.length < 6 || name.slice(0, 6).toUpperCase() !== 'INBOX.')
    throw new InvalidFolderNameError(name, 'not under INBOX.');
  const rest = name.slice(6);
  validatePath(name, rest);
  return `INBOX.${rest}`;
}

function validatePath(name: string, rest: string): void {
  if (rest.length === 0) throw new InvalidFolderNameError(name, 'empty name');
  if (rest.includes('/')) throw new InvalidFolderNameError(name, 'contains /');
  if (rest.includes('..')) throw new InvalidFolderNameError(name, 'contains ..');
  if (rest.startsWith('.')) throw new InvalidFolderNameError(name, 'component starts with .');
  if (rest.endsWith('.')) throw new InvalidFolderNameError(name, 'trailing .');
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new InvalidFolderNameError(name, 'control character');
    if (c >= 0xd800 && c <= 0xdfff) {
      const hi = c <= 0xdbff;
      const next = rest.charCodeAt(i + 1);
      if (!hi || !(next >= 0xdc00 && next <= 0xdfff))
        throw new InvalidFolderNameError(name, 'unpaired surrogate');
      i++;
    }
  }
  if (Buffer.byteLength(`.${rest}`, 'utf8') > MAX_DIR_BYTES)
    throw new InvalidFolderNameError(name, 'too long');
}

/** Throws InvalidFolderNameError unless `name` is a valid folder name. */
export function validateFolderName(name: string): void {
  normalizeFolderName(name);
}

/** `INBOX` -> `` (the maildir itself), `INBOX.A.B` -> `.A.B`. Validates. */
export function folderDirName(name: string): string {
  const n = normalizeFolderName(name);
  return n === 'INBOX' ? '' : `.${n.slice(6)}`;
}

/** `.A.B` -> `INBOX.A.B`; undefined for entries that are not folder directories. */
export function folderNameFromDir(dir: string): string | undefined {
  if (dir === '') return 'INBOX';
  if (!dir.startsWith('.') || dir === '.' || dir === '..') return undefined;
  const name = `INBOX${dir}`;
  try {
    return normalizeFolderName(name);
  } catch {
    return undefined;
  }
}
