// One bench at a time per cache dir: the Courier and Dovecot instances and work copies there are shared
// state. The lock file holds the owner's pid; a lock whose owner is gone is taken over.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pidMatches } from './proc.js';

export interface BenchLock {
  release(): Promise<void>;
}

export async function lockCacheDir(cacheDir: string): Promise<BenchLock | string> {
  await mkdir(cacheDir, { recursive: true, mode: 0o755 });
  const file = join(cacheDir, 'bench.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return { release: () => rm(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && (await pidMatches(pid, 'bench'))) {
        return `another bench (pid ${pid}) is using ${cacheDir}; wait for it or use --cache-dir`;
      }
      await rm(file, { force: true }); // stale
    }
  }
  return `cannot lock ${file}`;
}
