// The POP3 byte streams (RETR, TOP n k) equal courierpop3d's, message by message.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, test } from 'node:test';
import { openMaildir } from '@courier-ts/maildir';
import { tempDir } from '../../unit/maildir/helpers.js';
import { COURIER_MAILDIRMAKE, courierMissing, courierPop3, run } from './support/courier.js';

const skip = courierMissing();

const MESSAGES = [
  'Subject: one\n\nline 1\n.dotted\nline 3\n',
  'Subject: no final newline\n\nbody',
  'Subject: crlf\r\n\r\nbody\r\nmore\r\n',
  'Subject: long headers\nX-A: 1\n continued\n\n\nafter blank\nx\ny\nz\n',
  'Subject: headers only\n',
];

/** Undoes dot-stuffing and strips the terminator of one multi-line reply. */
function unstuff(reply: string): string {
  const body = reply.endsWith('\r\n.\r\n') ? reply.slice(0, -3) : reply;
  return body
    .split('\r\n')
    .map((l) => (l.startsWith('..') ? l.slice(1) : l))
    .join('\r\n');
}

function replies(out: string): string[] {
  // Each reply starts with +OK or -ERR at the start of a line; multi-line ones end with CRLF.CRLF.
  const parts = out.split(/(?=^\+OK |^-ERR )/m);
  return parts.filter((p) => p.length > 0);
}

describe('POP3 streams vs courierpop3d', { skip }, () => {
  test('RETR and TOP', async () => {
    const { dir, cleanup } = await tempDir('maildir-retr-');
    try {
      const md = join(dir, 'M');
      assert.equal((await run(COURIER_MAILDIRMAKE, [md], '', { PATH: '/usr/bin:/bin' })).code, 0);
      for (const [i, m] of MESSAGES.entries()) await writeFile(join(md, 'cur', `${1000 + i}.M1P1.h:2,S`), m);
      const cmds: string[] = [];
      for (let i = 1; i <= MESSAGES.length; i++) cmds.push(`RETR ${i}`, `TOP ${i} 0`, `TOP ${i} 2`);
      const out = replies(await courierPop3(md, cmds)).slice(1, -1); // drop login and QUIT
      assert.equal(out.length, cmds.length);
      const drop = await (await openMaildir(md)).pop3Maildrop();
      let k = 0;
      for (let i = 0; i < MESSAGES.length; i++) {
        for (const top of [undefined, 0, 2]) {
          const reply = out[k++]!;
          const firstLine = reply.slice(0, reply.indexOf('\r\n') + 2);
          let ours = await text(drop.open(i, top === undefined ? {} : { topLines: top }));
          if (!ours.endsWith('\n')) ours += '\r\n'; // what the server adds, as Courier
          assert.equal(ours, unstuff(reply.slice(firstLine.length)), `message ${i + 1} top=${top}`);
          if (top === undefined)
            assert.equal(firstLine, `+OK ${drop.messages[i]!.crlfSize} octets follow.\r\n`);
        }
      }
    } finally {
      await cleanup();
    }
  });
});
