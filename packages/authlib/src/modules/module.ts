import type { AuthRequest, EnumeratedAccount } from '../types.js';

/** An account as a module found it, before DEFAULTOPTIONS are merged. */
export interface ModuleAccount {
  readonly address: string;
  readonly systemUser?: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly maildir?: string;
  readonly quota?: string;
  readonly fullName?: string;
  readonly encryptedPassword?: string;
  readonly clearPassword?: string;
  /** Raw account option string (`disablepop3=1`). */
  readonly options?: string;
}

/**
 * What a module answers. `notfound` and `rejected` both fall through to the next module (as Courier's
 * `<0`); `tempfail` stops the chain (Courier's `>0`).
 */
export type ModuleResult =
  | { readonly kind: 'ok'; readonly account: ModuleAccount }
  | { readonly kind: 'notfound' }
  | { readonly kind: 'rejected' }
  | { readonly kind: 'tempfail'; readonly reason: string };

export type ModulePasswordResult = 'ok' | 'notfound' | 'failed' | 'tempfail';

export interface AuthModule {
  /** Courier's module name: `authuserdb`, `authpam`, ... */
  readonly name: string;
  lookup(service: string, userid: string): Promise<ModuleResult>;
  authenticate(req: AuthRequest): Promise<ModuleResult>;
  changePassword?(
    service: string,
    userid: string,
    oldPassword: string,
    newPassword: string,
  ): Promise<ModulePasswordResult>;
  enumerate?(): AsyncIterable<EnumeratedAccount>;
  close?(): Promise<void>;
}

export const NOT_FOUND: ModuleResult = Object.freeze({ kind: 'notfound' });
export const REJECTED: ModuleResult = Object.freeze({ kind: 'rejected' });
