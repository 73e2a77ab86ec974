import { openMaildir } from '@courier-ts/maildir';
import type { OpenMaildrop } from './session/types.js';

/** The real maildrop: @courier-ts/maildir's Courier-compatible POP3 view (courierpop3dsizelist). */
export const openCourierMaildrop: OpenMaildrop = async (path) => (await openMaildir(path)).pop3Maildrop();
