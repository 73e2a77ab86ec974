/** The session state as a discriminated union: a selected mailbox exists only in `selected`. */
import type { Maildir } from '@courier-ts/maildir';
import type { MaildirMemo } from './mailbox-memo.js';
import type { SelectedMailbox } from './selected.js';

/** The logged-in user's storage. */
export interface UserSpace {
  /** AUTHENTICATED: the login id (also the ACL identity). */
  readonly name: string;
  readonly maildir: Maildir;
  /** LIST / STATUS reads of `maildir` kept while unchanged on disk (shared by the process's sessions). */
  readonly memo?: MaildirMemo;
}

export type SessionState =
  | { readonly kind: 'not-authenticated' }
  | { readonly kind: 'authenticated'; readonly user: UserSpace }
  | { readonly kind: 'selected'; readonly user: UserSpace; readonly mailbox: SelectedMailbox }
  | { readonly kind: 'logout' };

export type StateKind = SessionState['kind'];

export const ANY_STATE: readonly StateKind[] = ['not-authenticated', 'authenticated', 'selected'];
export const NOT_AUTHENTICATED: readonly StateKind[] = ['not-authenticated'];
export const AUTHENTICATED: readonly StateKind[] = ['authenticated', 'selected'];
export const SELECTED: readonly StateKind[] = ['selected'];
