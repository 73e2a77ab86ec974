/** IMAP flag names <-> maildir letters and keywords. */
import type { MaildirFlag } from '@courier-ts/maildir';
import { BadCommandError } from '../errors.js';

const LETTER: Record<string, MaildirFlag> = {
  '\\Draft': 'D',
  '\\Flagged': 'F',
  '\\Answered': 'R',
  '\\Seen': 'S',
  '\\Deleted': 'T',
};

export interface SplitFlags {
  readonly letters: MaildirFlag[];
  readonly keywords: string[];
}

/** Validated flags (from ArgReader.flagList/storeFlags) -> letters + keywords. */
export function splitFlags(flags: readonly string[], keywordsEnabled: boolean): SplitFlags {
  const letters: MaildirFlag[] = [];
  const keywords: string[] = [];
  for (const f of flags) {
    const l = LETTER[f];
    if (l !== undefined) letters.push(l);
    else if (!keywordsEnabled) throw new BadCommandError(`keywords are disabled: ${f}`);
    else keywords.push(f);
  }
  return { letters, keywords };
}
