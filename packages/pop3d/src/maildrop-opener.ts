import { createMaildirSharing, openMaildir } from '@courier-ts/maildir';
import type { OpenMaildrop } from './session/types.js';

/**
 * The real maildrop: @courier-ts/maildir's Courier-compatible POP3 view (courierpop3dsizelist).
 * Make one per server process (or per-uid worker): the maildrops it opens share their listings.
 */
export function courierMaildropOpener(): OpenMaildrop {
  const sharing = createMaildirSharing();
  return async (path) => (await openMaildir(path, { sharing })).pop3Maildrop();
}
