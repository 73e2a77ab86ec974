// Section and parameter quirks checked against Courier's imapd 5.0.13 (output recorded below from
// /usr/bin/imapd on the same three files): quoted parameter values keep their backslash escapes,
// n.HEADER of a message/rfc822 part is the attached message's header (n.MIME the part's own),
// and a message without a blank line has BODY[HEADER] without its last LF but RFC822.HEADER whole.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../../../support/tmp.js';
import { runEngine } from '../session/engine-helpers.js';

const MESSAGES = [
  'From: a@example.com\nSubject: q\nMIME-Version: 1.0\nContent-Type: text/plain; name="a \\"b\\" c"; x=plain\n\nbody\n',
  'From: a@example.com\nSubject: m\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\nhi\n--XX\nContent-Type: message/rfc822\nContent-Description: att\n\nFrom: inner@example.com\nSubject: inner\n\ninner body\n--XX--\n',
  'From: a@example.com\nSubject: no blank line\n',
];

const INPUT =
  'a EXAMINE INBOX\r\nb FETCH 1 (BODYSTRUCTURE)\r\n' +
  'c FETCH 2 (BODY.PEEK[2.HEADER] BODY.PEEK[2.MIME] BODY.PEEK[2.HEADER.FIELDS (Subject)] BODY.PEEK[2.TEXT])\r\n' +
  'd FETCH 3 (BODY.PEEK[HEADER] BODY.PEEK[TEXT] RFC822.HEADER BODYSTRUCTURE)\r\nz LOGOUT\r\n';

const COURIER =
  '* 1 FETCH (BODYSTRUCTURE ("text" "plain" ("name" "a \\"b\\" c" "x" "plain") NIL NIL "8bit" 6 1 NIL NIL NIL))\r\nb OK FETCH completed.\r\n' +
  '* 2 FETCH (BODY[2.HEADER] {43}\r\nFrom: inner@example.com\r\nSubject: inner\r\n\r\n BODY[2.MIME] {58}\r\nContent-Type: message/rfc822\r\nContent-Description: att\r\n\r\n BODY[2.HEADER.FIELDS ("Subject")] {18}\r\nSubject: inner\r\n\r\n BODY[2.TEXT] {11}\r\ninner body\r)\r\nc OK FETCH completed.\r\n' +
  '* 3 FETCH (BODY[HEADER] {44}\r\nFrom: a@example.com\r\nSubject: no blank line\r BODY[TEXT] {1}\r\n\r RFC822.HEADER {45}\r\nFrom: a@example.com\r\nSubject: no blank line\r\n BODYSTRUCTURE ("text" "plain" NIL NIL NIL "8bit" 1 0 NIL NIL NIL))\r\nd OK FETCH completed.\r\n' +
  '* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n';

let dir: { path: string; dispose(): Promise<void> };
before(async () => {
  dir = await makeTempDir('courier-ts-imapd-quirks-');
  await mkdir(join(dir.path, 'cur'), { recursive: true });
  for (const [i, m] of MESSAGES.entries()) {
    await writeFile(join(dir.path, 'cur', `170000000${i + 1}.M${i + 1}P1.q:2,S`), m);
  }
});
after(() => dir.dispose());

test('parameter escapes, message/rfc822 HEADER/MIME, header without blank line: as Courier', async () => {
  const { output } = await runEngine(INPUT, 'whole', {}, dir.path);
  const from = output.indexOf('* 1 FETCH');
  assert.equal(output.slice(from), COURIER);
});
