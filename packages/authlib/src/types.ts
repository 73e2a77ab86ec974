import type { Logger } from 'pino';

/** Account options (`OPTIONS=`), already merged with DEFAULTOPTIONS. */
export interface AccountOptions {
  /** The merged option string as Courier would send it (`disablepop3=1,group=x`), or '' when none. */
  readonly raw: string;
  /** The value of the first occurrence of `key` (`key` alone yields ''), or undefined. */
  get(key: string): string | undefined;
  /** All values of a repeatable key (`group=`). */
  getAll(key: string): readonly string[];
  /** Courier's truth test: atoi(value) != 0, or the value starts with t/T/y/Y. */
  flag(key: string): boolean;
  readonly disableImap: boolean;
  readonly disablePop3: boolean;
  readonly disableInsecureImap: boolean;
  readonly disableInsecurePop3: boolean;
  readonly disableWebmail: boolean;
  readonly disableShared: boolean;
  readonly groups: readonly string[];
  readonly sharedGroup: string | undefined;
  readonly mailhosts: readonly string[];
}

export interface AuthAccount {
  /** The login id as authenticated (becomes AUTHENTICATED / ADDRESS=). */
  readonly address: string;
  /** USERNAME= for pwd/shadow/pam accounts (uid/gid resolved from the system account). */
  readonly systemUser?: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly maildir?: string;
  readonly quota?: string;
  readonly fullName?: string;
  readonly encryptedPassword?: string;
  readonly clearPassword?: string;
  readonly options: AccountOptions;
}

export type AuthOutcome =
  | { readonly kind: 'ok'; readonly account: AuthAccount; readonly module: string }
  | { readonly kind: 'rejected' }
  | { readonly kind: 'tempfail'; readonly reason: string };

export type CramMechanism = 'cram-md5' | 'cram-sha1' | 'cram-sha256';

export type Credentials =
  | { readonly mechanism: 'login'; readonly user: string; readonly password: string }
  | {
      readonly mechanism: CramMechanism;
      readonly user: string;
      /** The challenge exactly as sent (decoded, e.g. `<1A2B...@host>`). */
      readonly challenge: string;
      /** The client's hex digest. */
      readonly response: string;
    };

export interface AuthRequest {
  /** `imap`, `pop3`, `login`, or AUTHSERVICE<port>. */
  readonly service: string;
  readonly credentials: Credentials;
  readonly remoteIp?: string;
  readonly remotePort?: number;
}

export type PasswordChangeResult = 'ok' | 'failed' | 'tempfail';

export interface EnumeratedAccount {
  readonly module: string;
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly maildir?: string;
  readonly options?: string;
}

export interface Authenticator {
  authenticate(req: AuthRequest): Promise<AuthOutcome>;
  /** Pre-authentication lookup (no password): `PRE . service userid`. */
  lookup(service: string, userid: string, module?: string): Promise<AuthOutcome>;
  changePassword(
    service: string,
    userid: string,
    oldPassword: string,
    newPassword: string,
  ): Promise<PasswordChangeResult>;
  enumerate(): AsyncIterable<EnumeratedAccount>;
  /** Names of the modules that can enumerate, in chain order (authdaemond writes a header for each). */
  readonly enumeratingModules?: readonly string[];
  /** Names of the modules in the chain, in order. */
  readonly modules: readonly string[];
  close(): Promise<void>;
}

export interface CreateAuthenticatorOptions {
  /** Directory holding authdaemonrc and userdb (Courier: /etc/courier). */
  readonly configDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  /** Override authdaemonrc's authmodulelist. */
  readonly modules?: readonly string[];
  /** System files, injectable for tests. */
  readonly passwdFile?: string;
  readonly shadowFile?: string;
  /** userdb text source (file or directory); default `<configDir>/userdb`. */
  readonly userdbPath?: string;
  /** Use the native addon (libxcrypt, PAM) when built; false forces the pure-JS fallback. */
  readonly native?: boolean;
  /** Private PAM configuration directory for authpam (default: the system's /etc/pam.d). */
  readonly pamConfDir?: string;
  /** authdaemond socket for the `authdaemon` client module. */
  readonly authdaemonSocket?: string;
}
