// Child process for concurrency and crash tests.
//   worker.js observe DIR N   open INBOX, sync N times, print {uid: key} seen
//   worker.js append  DIR N   append N messages, print the UIDs
//   worker.js deliver DIR N   MTA-style: write tmp/, rename into new/
//   worker.js flags   DIR N   toggle \Seen and a keyword on every message N times
import { rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openMaildir } from '@courier-ts/maildir';

const [mode, dir, countText] = process.argv.slice(2);
const n = Number(countText ?? '1');
const maildirPath = dir ?? '.';

async function main(): Promise<void> {
  if (mode === 'deliver') {
    for (let i = 0; i < n; i++) {
      const name = `${Math.floor(Date.now() / 1000)}.M${i}P${process.pid}.${hostname()}`;
      await writeFile(join(maildirPath, 'tmp', name), `Subject: delivered ${i}\n\nbody ${i}\n`);
      await rename(join(maildirPath, 'tmp', name), join(maildirPath, 'new', name));
    }
    return;
  }
  const md = await openMaildir(maildirPath);
  const f = await md.openFolder('INBOX');
  if (mode === 'append') {
    const uids: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = await f.append(
        Readable.from([Buffer.from(`Subject: appended ${process.pid}/${i}\r\n\r\nx\r\n`)]),
      );
      uids.push(r.uid);
    }
    process.stdout.write(JSON.stringify(uids));
  } else if (mode === 'observe') {
    const seen: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      await f.sync();
      for (const m of f.messages) {
        const prev = seen[m.uid];
        if (prev !== undefined && prev !== m.key)
          throw new Error(`uid ${m.uid} changed key ${prev} -> ${m.key}`);
        seen[m.uid] = m.key;
      }
    }
    process.stdout.write(JSON.stringify(seen));
  } else if (mode === 'flags') {
    for (let i = 0; i < n; i++) {
      await f.sync();
      await f.setFlags(f.messages, i % 2 ? 'remove' : 'add', ['S'], [`K${process.pid}`]);
    }
  }
  await f.close();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
