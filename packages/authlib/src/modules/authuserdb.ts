import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { UserdbError } from '../errors.js';
import { constantTimeEqual } from '../passwords/compare.js';
import type { StateHash } from '../passwords/hash-state.js';
import { schemeForPasswordChange } from '../passwords/schemes.js';
import type { PasswordService } from '../passwords/service.js';
import type { AuthRequest, EnumeratedAccount } from '../types.js';
import { userdbSet } from '../userdb/edit.js';
import type { UserdbEntry } from '../userdb/parse.js';
import { createUserdbCache, type UserdbSnapshot } from '../userdb/source.js';
import { replaceUserdbFile } from '../userdb/write.js';
import {
  type AuthModule,
  type ModuleAccount,
  type ModulePasswordResult,
  type ModuleResult,
  NOT_FOUND,
  REJECTED,
} from './module.js';

export interface AuthUserdbOptions {
  /** Text userdb: a file or a directory of files (Courier: /etc/courier/userdb). */
  readonly path: string;
  readonly passwords: PasswordService;
  readonly log: Logger;
}

const CRAM_HASH: Record<string, StateHash> = {
  'cram-md5': 'md5',
  'cram-sha1': 'sha1',
  'cram-sha256': 'sha256',
};

function toAccount(e: UserdbEntry, service: string): ModuleAccount | undefined {
  const f = e.fields;
  const uid = f.get('uid');
  const gid = f.get('gid');
  const home = f.get('home');
  if (uid === undefined || gid === undefined || home === undefined) return undefined;
  if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid)) return undefined;
  const opt = (k: string): string | undefined => {
    const v = f.get(k);
    return v === undefined || v === '' ? undefined : v;
  };
  const pw = opt(`${service}pw`) ?? opt('systempw');
  return {
    address: e.address,
    uid: Number(uid),
    gid: Number(gid),
    home,
    ...(opt('mail') !== undefined && { maildir: opt('mail') }),
    ...(opt('quota') !== undefined && { quota: opt('quota') }),
    ...(opt('gecos') !== undefined && { fullName: opt('gecos') }),
    ...(pw !== undefined && { encryptedPassword: pw }),
    ...(opt('options') !== undefined && { options: opt('options') }),
  };
}

/** authuserdb over the userdb text source (reloaded when it changes). */
export function createAuthUserdb(opts: AuthUserdbOptions): AuthModule {
  const cache = createUserdbCache(opts.path);
  const log = opts.log.child({ module: 'authuserdb' });

  const snapshot = async (): Promise<UserdbSnapshot | undefined> => {
    try {
      return await cache.get();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      if (err instanceof UserdbError) log.error({ path: opts.path, reason: err.message }, 'userdb refused');
      else log.error({ err, path: opts.path }, 'cannot read userdb');
      return undefined;
    }
  };

  const find = async (userid: string, service: string): Promise<ModuleAccount | undefined> => {
    const e = (await snapshot())?.byAddress.get(userid);
    if (!e) return undefined;
    const a = toAccount(e, service);
    if (!a)
      log.error({ user: userid, source: e.source, line: e.line }, 'userdb entry lacks uid, gid or home');
    return a;
  };

  return {
    name: 'authuserdb',
    async lookup(service, userid) {
      const a = await find(userid, service);
      return a ? { kind: 'ok', account: a } : NOT_FOUND;
    },
    async authenticate(req: AuthRequest): Promise<ModuleResult> {
      const c = req.credentials;
      const e = (await snapshot())?.byAddress.get(c.user);
      if (!e) return NOT_FOUND;
      const a = toAccount(e, req.service);
      if (!a) return NOT_FOUND;
      if (c.mechanism === 'login') {
        if (a.encryptedPassword === undefined) return REJECTED;
        const ok = await opts.passwords.verify(c.password, a.encryptedPassword);
        return ok ? { kind: 'ok', account: { ...a, clearPassword: c.password } } : REJECTED;
      }
      const h = CRAM_HASH[c.mechanism]!;
      const secret = e.fields.get(`${req.service}-hmac-${h}pw`) || e.fields.get(`hmac-${h}pw`);
      if (!secret) return REJECTED;
      const expected = opts.passwords.cramDigest(h, c.challenge, { precomputed: secret });
      if (expected === undefined) return REJECTED;
      return constantTimeEqual(expected, c.response.toLowerCase()) ? { kind: 'ok', account: a } : REJECTED;
    },
    async changePassword(service, userid, oldPassword, newPassword): Promise<ModulePasswordResult> {
      const e = (await snapshot())?.byAddress.get(userid);
      if (!e) return 'notfound';
      const field = e.fields.get(`${service}pw`) ? `${service}pw` : 'systempw';
      const old = e.fields.get(field);
      if (old && !(await opts.passwords.verify(oldPassword, old))) return 'failed';
      const updates = [`${field}=${await opts.passwords.hash(schemeForPasswordChange(old), newPassword)}`];
      for (const h of ['md5', 'sha1', 'sha256'] as const) {
        if (e.fields.has(`hmac-${h}pw`))
          updates.push(`hmac-${h}pw=${opts.passwords.hmacSecret(h, newPassword)}`);
      }
      try {
        await replaceUserdbFile(e.source, userdbSet(await readFile(e.source, 'utf8'), userid, updates));
      } catch (err) {
        log.error({ err, user: userid, source: e.source }, 'cannot rewrite userdb');
        return 'tempfail';
      }
      log.info({ user: userid, service, field }, 'password changed');
      return 'ok';
    },
    async *enumerate(): AsyncIterable<EnumeratedAccount> {
      const snap = await snapshot();
      for (const e of snap?.entries ?? []) {
        const a = toAccount(e, 'login');
        if (!a) continue;
        yield {
          module: 'authuserdb',
          name: a.address,
          uid: a.uid,
          gid: a.gid,
          home: a.home,
          ...(a.maildir !== undefined && { maildir: a.maildir }),
          ...(a.options !== undefined && { options: a.options }),
        };
      }
    },
  };
}
