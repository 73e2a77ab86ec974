// The POP3 maildrop at login (cur/ order and its merge with courierpop3dsizelist) against a plain
// transcription of pop3dserver.c's sort-and-merge, and its message streams (one read or many).
import assert from 'node:assert/strict';
import { readdir, readFile, rename, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, test } from 'node:test';
import { MessageGoneError, openMaildir } from '@courier-ts/maildir';
import { captureLog, makeMaildir, referenceCmpmsgs, tempDir } from './helpers.js';

const cmpmsgs = referenceCmpmsgs;

interface Row {
  name: string;
  size: number;
  uid: number;
}

/** The merge of pop3dserver.c: sorted cur/ names against the sorted sizelist; new names get uids. */
function reference(cur: string[], old: Row[], nextUid: number): Row[] {
  const names = [...cur].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).sort(cmpmsgs);
  const sorted = [...old].sort((x, y) => cmpmsgs(x.name, y.name));
  const out: Row[] = [];
  let n = 0;
  let next = nextUid;
  for (const name of names) {
    while (n < sorted.length && cmpmsgs(sorted[n]!.name, name) < 0) n++;
    const o = sorted[n];
    if (o && cmpmsgs(o.name, name) === 0) {
      out.push({ name, size: o.size, uid: o.uid });
      n++;
    } else {
      out.push({ name, size: -1, uid: next++ });
    }
  }
  return out;
}

const UIDV = 1700000000;

async function check(cur: string[], old: Row[]): Promise<void> {
  const { dir, cleanup } = await tempDir('pop3-drop-');
  try {
    await makeMaildir(dir);
    for (const name of cur) await writeFile(join(dir, 'cur', name), `Subject: ${name}\n\nbody\n`);
    let list = `/3 100 ${UIDV}\n`;
    for (const o of old) list += `${o.name} ${o.size} ${o.uid}:${UIDV}:0\n`;
    await writeFile(join(dir, 'courierpop3dsizelist'), list);
    const drop = await (await openMaildir(dir)).pop3Maildrop();
    const want = reference(cur, old, 100);
    assert.deepEqual(
      drop.messages.map((m) => m.filename),
      want.map((w) => w.name),
      `order of ${JSON.stringify(cur)}`,
    );
    for (const [i, w] of want.entries()) {
      const m = drop.messages[i]!;
      assert.equal(m.uidl, `UID${w.uid}-${UIDV}`, w.name);
      const measured = Buffer.byteLength(`Subject: ${w.name}\n\nbody\n`) + 3;
      assert.equal(m.crlfSize, w.size >= 0 ? w.size : measured, w.name);
    }
  } finally {
    await cleanup();
  }
}

describe('POP3 maildrop listing', () => {
  test('cur/ in cmpmsgs order merged with the sizelist, as pop3dserver.c does', async () => {
    const cur = [
      '20.M1.h:2,S',
      '3.M1.h:2,',
      '100.Ma.h',
      '100.M1.h:2,FS',
      '3.M0.h:2,',
      'x.h:2,',
      '9.Mé.h:2,',
      '9.Mz.h:2,',
    ];
    // every entry known, under other flags
    await check(
      cur,
      cur.map((name, i) => ({ name: name.replace(/:.*/, ':2,T'), size: 1000 + i, uid: i + 1 })),
    );
    // some new, some gone from cur/, some stale sizelist lines
    await check(cur, [
      { name: '3.M0.h:2,', size: 11, uid: 1 },
      { name: '5.Mgone.h:2,', size: 12, uid: 2 },
      { name: '100.M1.h', size: 13, uid: 3 },
      { name: 'zz', size: 14, uid: 4 },
    ]);
    // nothing known yet
    await check(cur, []);
  });

  test('two files with the same name up to the flags', async () => {
    const cur = ['5.M1.h:2,', '5.M1.h:2,S', '6.M1.h:2,'];
    await check(cur, [
      { name: '5.M1.h:2,', size: 21, uid: 1 },
      { name: '5.M1.h:2,', size: 22, uid: 2 },
      { name: '6.M1.h:2,', size: 23, uid: 3 },
    ]);
    await check(cur, [{ name: '6.M1.h', size: 23, uid: 3 }]);
  });

  test('an unsorted sizelist is merged in order (and rewritten only when something changed)', async () => {
    const cur = ['1.A:2,', '2.B:2,', '3.C:2,'];
    await check(cur, [
      { name: '3.C:2,', size: 33, uid: 3 },
      { name: '1.A:2,', size: 11, uid: 1 },
      { name: '2.B:2,', size: 22, uid: 2 },
    ]);
    const { dir, cleanup } = await tempDir('pop3-drop-');
    try {
      await makeMaildir(dir);
      for (const name of cur) await writeFile(join(dir, 'cur', name), 'x\n');
      const md = await openMaildir(dir);
      await md.pop3Maildrop();
      const first = await readFile(join(dir, 'courierpop3dsizelist'), 'utf8');
      assert.equal(first.split('\n').length, 5);
      await writeFile(join(dir, 'courierpop3dsizelist'), `${first}# kept\n`);
      await md.pop3Maildrop();
      assert.ok((await readFile(join(dir, 'courierpop3dsizelist'), 'utf8')).endsWith('# kept\n'));
    } finally {
      await cleanup();
    }
  });
});

describe('POP3 listing reuse in one process', () => {
  test('cur/ is read again after any change to it or to the sizelist, and only then', async () => {
    const { dir, cleanup } = await tempDir('pop3-reuse-');
    try {
      await makeMaildir(dir);
      for (const n of ['1.A:2,', '2.B:2,', '3.C:2,']) await writeFile(join(dir, 'cur', n), `${n}\n`);
      const log = captureLog();
      const md = await openMaildir(dir, { log });
      const hour = new Date(Date.now() - 3_600_000);
      const open = async (): Promise<{ names: string[]; sizes: number[]; reused: boolean }> => {
        const before = log.lines.length;
        const drop = await md.pop3Maildrop();
        return {
          names: drop.messages.map((m) => m.filename),
          sizes: drop.messages.map((m) => m.crlfSize),
          reused: log.lines.slice(before).some((l) => /listing unchanged/.test(l.msg ?? '')),
        };
      };
      await utimes(join(dir, 'cur'), hour, hour);
      const first = await open(); // writes the sizelist
      assert.equal(first.reused, false);
      assert.equal((await open()).reused, false); // agrees with the sizelist: remembered
      assert.deepEqual(await open(), { ...first, reused: true });
      // a new file in cur/
      await writeFile(join(dir, 'cur', '4.D:2,'), 'new\n');
      const more = await open();
      assert.deepEqual(more, {
        names: [...first.names, '4.D:2,'],
        sizes: [...first.sizes, 5],
        reused: false,
      });
      // a rename in cur/ (another process's flag change), with cur/'s mtime put back
      await utimes(join(dir, 'cur'), hour, hour);
      assert.equal((await open()).reused, false);
      assert.equal((await open()).reused, true);
      await rename(join(dir, 'cur', '2.B:2,'), join(dir, 'cur', '2.B:2,S'));
      await utimes(join(dir, 'cur'), hour, hour);
      const renamed = await open();
      assert.equal(renamed.reused, false);
      assert.equal(renamed.names[1], '2.B:2,S');
      // a sizelist replaced by another server
      assert.equal((await open()).reused, true);
      const list = await readFile(join(dir, 'courierpop3dsizelist'), 'utf8');
      await writeFile(join(dir, 'list.new'), list.replace(/^(1\.A:2, )\d+/m, '$1999'));
      await rename(join(dir, 'list.new'), join(dir, 'courierpop3dsizelist'));
      const relisted = await open();
      assert.equal(relisted.reused, false);
      assert.equal(relisted.sizes[0], 999);
      // a listing made within a second of cur/'s last change is not reused
      await writeFile(join(dir, 'cur', '5.E:2,'), 'e\n');
      await open();
      assert.equal((await open()).reused, false);
    } finally {
      await cleanup();
    }
  });
});

describe('POP3 message streams', () => {
  const body = (n: number): string => {
    let s = 'Subject: big\n\n';
    for (let i = 0; s.length < n; i++) s += `${i % 7 === 0 ? '.' : ''}line ${i} ${'x'.repeat(i % 90)}\n`;
    return s.slice(0, n);
  };
  const crlf = (s: string): string => s.replace(/\n/g, '\r\n');

  test('whole messages of every size, with right, short and long size hints', async () => {
    const { dir, cleanup } = await tempDir('pop3-stream-');
    try {
      await makeMaildir(dir);
      const sizes = [0, 1, 511, 512, 513, 4096, 65_536, 262_145, 1_048_577, 2_600_000];
      for (const [i, n] of sizes.entries()) await writeFile(join(dir, 'cur', `${i + 10}.M.h:2,`), body(n));
      const md = await openMaildir(dir);
      let drop = await md.pop3Maildrop();
      for (const [i, n] of sizes.entries()) {
        assert.equal(await text(drop.open(i)), crlf(body(n)), `${n} bytes`);
      }
      // A sizelist whose sizes are wrong (hint too small or too large): the stream still reads all.
      const list = await readFile(join(dir, 'courierpop3dsizelist'), 'utf8');
      for (const f of [(s: number) => Math.floor(s / 3), (s: number) => s * 5 + 7]) {
        await writeFile(
          join(dir, 'courierpop3dsizelist'),
          list.replace(/ (\d+) (\d+:)/g, (_, s: string, u: string) => ` ${f(Number(s))} ${u}`),
        );
        drop = await md.pop3Maildrop();
        for (const [i, n] of sizes.entries()) assert.equal(await text(drop.open(i)), crlf(body(n)));
      }
    } finally {
      await cleanup();
    }
  });

  test('a file renamed by another process is followed; a deleted one is gone', async () => {
    const { dir, cleanup } = await tempDir('pop3-stream-');
    try {
      await makeMaildir(dir);
      await writeFile(join(dir, 'cur', '1.M1.h:2,'), 'a\nb\n');
      await writeFile(join(dir, 'cur', '2.M2.h:2,'), 'c\n');
      const drop = await (await openMaildir(dir)).pop3Maildrop();
      await rename(join(dir, 'cur', '1.M1.h:2,'), join(dir, 'cur', '1.M1.h:2,FS'));
      assert.equal(await text(drop.open(0)), 'a\r\nb\r\n');
      await unlink(join(dir, 'cur', '2.M2.h:2,'));
      await assert.rejects(text(drop.open(1)), MessageGoneError);
      await drop.markSeen(0);
      assert.deepEqual(await readdir(join(dir, 'cur')), ['1.M1.h:2,FS']);
    } finally {
      await cleanup();
    }
  });
});
