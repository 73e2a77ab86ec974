import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserdbError } from '../errors.js';
import { validateUserdbEntry } from '../userdb/parse.js';
import { loadUserdb } from '../userdb/source.js';
import { takeOwnOptions } from './common.js';

/**
 * `makeuserdb [-f file]`: courier-ts reads the text userdb directly, so there is nothing to compile;
 * this checks it as makeuserdb would (mode, symlink, syntax, duplicates, required fields) and reports.
 */
export async function makeuserdbMain(args: string[], _programName: string): Promise<number> {
  const own = takeOwnOptions(args, process.env);
  let dbfile = join(own.configDir, 'userdb');
  if (own.rest[0] === '-f') dbfile = (own.rest[1] ?? '').replace(/\/$/, '');
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(dbfile);
  } catch {
    process.stderr.write(`${dbfile}: not found.\n`);
    return 255;
  }
  if (st.isSymbolicLink()) {
    process.stderr.write(`ERROR: Wrong makeuserdb command.\n       (${dbfile} is a symbolic link)\n`);
    return 255;
  }
  try {
    const db = await loadUserdb(dbfile);
    let bad = 0;
    for (const p of db.problems) {
      process.stdout.write(`${p.source}:${p.line}: ${p.message}\n`);
      bad++;
    }
    for (const e of db.entries) {
      const msg = validateUserdbEntry(e);
      if (msg) {
        process.stdout.write(`${e.source}:${e.line}: ${msg}\n`);
        bad++;
      }
    }
    if (own.verbose) process.stderr.write(`${dbfile}: ${db.entries.length} accounts, ${bad} problems\n`);
    return bad > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof UserdbError && err.code === 'USERDB_PERMISSIONS') {
      process.stderr.write(`${dbfile}: MAY NOT HAVE GROUP OR WORLD PERMISSIONS!!\n`);
      return 255;
    }
    process.stdout.write(`${(err as Error).message}\n`);
    return 1;
  }
}
