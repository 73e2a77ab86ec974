// FETCH ENVELOPE and header sections of messages too large to be read whole (> 256 KiB): only
// their header block is read, and it must give what Courier's imapd gives (recorded below from
// /usr/bin/imapd 5.0.13 on the same two files).
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../../../support/tmp.js';
import { runEngine } from '../session/engine-helpers.js';

const PAD = Array.from({ length: 4000 }, (_, i) => `X-Pad-${i}: ${'p'.repeat(70)}\n`).join('');
/** Header only, 330 KiB, its last line (To:) without a newline: not a field for Courier. */
const HEADER_ONLY = `From: a@example.com\nSubject: big header\n${PAD}To: c@example.com`;
const BIG_BODY = `From: b@example.com\nSubject: big body\n folded\nTo: d@example.com\nReceived: r1\n\tcont\n\n${'line of body text\n'.repeat(20000)}`;

const COURIER = [
  '* 1 FETCH (ENVELOPE (NIL "big header" ((NIL NIL "a" "example.com")) ((NIL NIL "a" "example.com")) ((NIL NIL "a" "example.com")) NIL NIL NIL NIL NIL))\r\n',
  '* 2 FETCH (ENVELOPE (NIL "big body folded" ((NIL NIL "b" "example.com")) ((NIL NIL "b" "example.com")) ((NIL NIL "b" "example.com")) ((NIL NIL "d" "example.com")) NIL NIL NIL NIL))\r\n',
  '* 1 FETCH (BODY[HEADER.FIELDS ("To" "Subject" "From")] {44}\r\nFrom: a@example.com\r\nSubject: big header\r\n\r\n)\r\n',
  '* 2 FETCH (BODY[HEADER.FIELDS ("To" "Subject" "From")] {70}\r\nFrom: b@example.com\r\nSubject: big body\r\n folded\r\nTo: d@example.com\r\n\r\n)\r\n',
  '* 2 FETCH (BODY[HEADER.FIELDS.NOT ("X-Foo" "Received")] {70}\r\nFrom: b@example.com\r\nSubject: big body\r\n folded\r\nTo: d@example.com\r\n\r\n)\r\n',
];

let dir: { path: string; dispose(): Promise<void> };
before(async () => {
  dir = await makeTempDir('courier-ts-imapd-large-');
  await mkdir(join(dir.path, 'cur'), { recursive: true });
  await writeFile(join(dir.path, 'cur', '1700000001.M1P1.a:2,S'), HEADER_ONLY);
  await writeFile(join(dir.path, 'cur', '1700000002.M2P1.b:2,S'), BIG_BODY);
});
after(() => dir.dispose());

test('large messages: ENVELOPE and HEADER.FIELDS[.NOT] as Courier', async () => {
  const { output } = await runEngine(
    [
      'a EXAMINE INBOX',
      'b FETCH 1:2 (ENVELOPE)',
      'c FETCH 1:2 (BODY.PEEK[HEADER.FIELDS (To Subject From)])',
      'd FETCH 2 (BODY.PEEK[HEADER.FIELDS.NOT (X-Foo Received)])',
      'z LOGOUT',
    ]
      .map((l) => `${l}\r\n`)
      .join(''),
    'whole',
    {},
    dir.path,
  );
  for (const want of COURIER) assert.ok(output.includes(want), `missing ${JSON.stringify(want)}\n${output}`);
});
