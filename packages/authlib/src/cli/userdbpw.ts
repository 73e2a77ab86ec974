import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { UnsupportedSchemeError } from '../errors.js';
import type { StateHash } from '../passwords/hash-state.js';
import type { HashScheme } from '../passwords/schemes.js';
import { createPasswordService } from '../passwords/service.js';
import { readNewPasswordFromTty } from './tty-password.js';

type Mode = { kind: 'crypt'; scheme: HashScheme } | { kind: 'hmac'; hash: StateHash };

const MODES: Record<string, Mode> = {
  '-md5': { kind: 'crypt', scheme: 'md5-crypt' },
  '-hmac-md5': { kind: 'hmac', hash: 'md5' },
  '-hmac-sha1': { kind: 'hmac', hash: 'sha1' },
  '-hmac-sha256': { kind: 'hmac', hash: 'sha256' },
  // courier-ts additions:
  '-sha256': { kind: 'crypt', scheme: 'sha256-crypt' },
  '-sha512': { kind: 'crypt', scheme: 'sha512-crypt' },
  '-bcrypt': { kind: 'crypt', scheme: 'bcrypt' },
  '-yescrypt': { kind: 'crypt', scheme: 'yescrypt' },
};

async function readOneLine(): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return undefined;
}

/** `userdbpw [-md5 | -hmac-md5 | -hmac-sha1 | -sha512 | -yescrypt ...]`: hash one line of stdin. */
export async function userdbpwMain(args: string[], programName: string): Promise<number> {
  let mode: Mode = { kind: 'crypt', scheme: 'des' };
  for (const a of args) {
    const m = MODES[a];
    if (!m) {
      process.stderr.write(`${programName}: invalid argument.\n`);
      return 1;
    }
    mode = m;
  }
  const line = process.stdin.isTTY ? await readNewPasswordFromTty() : await readOneLine();
  if (line === undefined) return 1;
  const svc = createPasswordService({ log: pino({ level: 'silent' }) });
  try {
    const out = mode.kind === 'hmac' ? svc.hmacSecret(mode.hash, line) : await svc.hash(mode.scheme, line);
    process.stdout.write(`${out}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UnsupportedSchemeError) {
      process.stderr.write(`${programName}: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await svc.close();
  }
}
