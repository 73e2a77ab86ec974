import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { userdbDelete, userdbSet, userdbShow } from '../userdb/edit.js';
import { replaceUserdbFile } from '../userdb/write.js';
import { takeOwnOptions } from './common.js';

function usage(p: string): number {
  process.stdout.write(
    `Usage: ${p} [path/.../ | -f file ]name set field=value field=value...\n` +
      `       ${p} [path/.../ | -f file ]name unset field field...\n` +
      `       ${p} [path/.../ | -f file ]name del\n` +
      `       ${p} -show [path/... | -f file ] [name]\n`,
  );
  return 1;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new Error(`${path}: not a file.`);
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function readStdinLines(count: number): Promise<string[] | undefined> {
  if (count === 0) return [];
  const rl = createInterface({ input: process.stdin, terminal: false });
  const out: string[] = [];
  for await (const line of rl) {
    out.push(line);
    if (out.length === count) break;
  }
  rl.close();
  return out.length === count ? out : undefined;
}

/** Courier's `userdb` command on the text userdb (`<config-dir>/userdb` by default). */
export async function userdbMain(args: string[], programName: string): Promise<number> {
  const own = takeOwnOptions(args, process.env);
  const argv = [...own.rest];
  let userdb = join(own.configDir, 'userdb');
  let name = argv.shift();
  let show = false;
  if (name === '-show') {
    show = true;
    name = argv.shift();
  }
  if (name === '-f') {
    userdb = argv.shift() ?? '';
    name = argv.shift();
  } else if (name?.includes('/')) {
    const i = name.lastIndexOf('/');
    userdb = `${userdb}/${name.slice(0, i)}`;
    name = name.slice(i + 1);
  }
  const verb = show ? undefined : argv.shift();
  if (userdb === '' || (!show && (!verb || !name))) return usage(programName);
  if (argv.some((a) => /[|\n]/.test(a))) {
    process.stderr.write('Invalid field or value.\n');
    return 255;
  }
  try {
    const text = await readText(userdb);
    if (show) {
      process.stdout.write(userdbShow(text ?? '', name));
      return 0;
    }
    switch (verb) {
      case 'set': {
        const bare = argv.filter((a) => !a.includes('='));
        const values = await readStdinLines(bare.length);
        if (!values) return 1;
        if (values.some((v) => v.includes('|'))) {
          process.stderr.write('Invalid value.\n');
          return 255;
        }
        let vi = 0;
        const resolved = argv.map((a) => (a.includes('=') ? a : `${a}=${values[vi++]}`));
        await replaceUserdbFile(userdb, userdbSet(text ?? '', name!, resolved));
        return 0;
      }
      case 'unset':
      case 'del': {
        if (verb === 'del' && argv.length > 0) return usage(programName);
        if (verb === 'unset' && argv.length === 0) return 0;
        const next = userdbDelete(text ?? '', name!, argv);
        if (next !== undefined) await replaceUserdbFile(userdb, next);
        return 0;
      }
      default:
        return usage(programName);
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 255;
  }
}
