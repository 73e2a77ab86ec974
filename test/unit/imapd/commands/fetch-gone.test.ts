// A message expunged by another session while still in this session's view (its file gone from
// cur/): every FETCH item that reads the message serves Courier's stand-in (courier-behaviour.md
// §4.6), for a small message (read whole) and a large one (streamed); a message renamed by another
// session's flag change is still served as itself.
import assert from 'node:assert/strict';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../../../support/tmp.js';
import { openCommandSession } from '../session/engine-helpers.js';

const STAND_IN =
  'From: System Administrator <root@localhost>\r\nSubject: message unavailable\r\n\r\nThis message is no longer available on the server.\r\n';
const STAND_IN_HEADER = STAND_IN.slice(0, STAND_IN.indexOf('\r\n\r\n') + 4);
const STAND_IN_TEXT = STAND_IN.slice(STAND_IN_HEADER.length);

const SMALL = 'From: a@example.com\nSubject: small one\nTo: b@example.com\n\nsmall body\n';
const LARGE = `From: c@example.com\nSubject: large one\n\n${'a line of the large body\n'.repeat(15000)}`;
const NAMES = ['1700000001.M1P1.small:2,S', '1700000002.M2P1.large:2,S', '1700000003.M3P1.moved:2,'];

let dir: { path: string; dispose(): Promise<void> };
before(async () => {
  dir = await makeTempDir('courier-ts-imapd-gone-');
  for (const d of ['cur', 'new', 'tmp']) await mkdir(join(dir.path, d), { recursive: true });
  await writeFile(join(dir.path, 'cur', NAMES[0]!), SMALL);
  await writeFile(join(dir.path, 'cur', NAMES[1]!), LARGE);
  await writeFile(join(dir.path, 'cur', NAMES[2]!), SMALL.replace('small one', 'moved one'));
});
after(() => dir.dispose());

/** The literal of `label` in a FETCH response: `label {n}\r\n<n bytes>`. */
function literal(response: string, label: string): string {
  const at = response.indexOf(`${label} {`);
  assert.ok(at >= 0, `no ${label} in ${JSON.stringify(response.slice(0, 300))}`);
  const open = response.indexOf('{', at + label.length);
  const close = response.indexOf('}\r\n', open);
  const size = Number(response.slice(open + 1, close));
  return response.slice(close + 3, close + 3 + size);
}

test('FETCH of messages expunged by another session serves the stand-in for every item', async () => {
  const s = openCommandSession(dir.path);
  try {
    assert.match(await s.command('SELECT INBOX'), /\* 3 EXISTS/);
    // Another session expunges messages 1 and 2 (the files go); this session has not seen it yet.
    await rm(join(dir.path, 'cur', NAMES[0]!));
    await rm(join(dir.path, 'cur', NAMES[1]!));
    for (const seq of [1, 2]) {
      const bodies: [string, string, string][] = [
        ['BODY.PEEK[]', 'BODY[]', STAND_IN],
        ['BODY.PEEK[HEADER]', 'BODY[HEADER]', STAND_IN_HEADER],
        ['BODY.PEEK[TEXT]', 'BODY[TEXT]', STAND_IN_TEXT],
        ['BODY.PEEK[1]', 'BODY[1]', STAND_IN_TEXT],
        ['BODY.PEEK[1.MIME]', 'BODY[1.MIME]', '\r\n'],
        ['BODY.PEEK[]<0.22>', 'BODY[]<0>', STAND_IN.slice(0, 22)],
        [
          'BODY.PEEK[HEADER.FIELDS (Subject)]',
          'BODY[HEADER.FIELDS ("Subject")]',
          'Subject: message unavailable\r\n\r\n',
        ],
        ['RFC822', 'RFC822', STAND_IN],
        ['RFC822.HEADER', 'RFC822.HEADER', STAND_IN_HEADER],
        ['RFC822.TEXT', 'RFC822.TEXT', STAND_IN_TEXT],
      ];
      for (const [item, label, want] of bodies) {
        const r = await s.command(`FETCH ${seq} (${item})`);
        assert.match(r, /t\d+ OK FETCH completed\.\r\n$/, `${seq} ${item}: ${r.slice(-200)}`);
        assert.equal(literal(r, label), want, `${seq} ${item}`);
      }
      const sized = await s.command(`FETCH ${seq} (RFC822.SIZE INTERNALDATE)`);
      assert.match(
        sized,
        /^\* \d+ FETCH \(RFC822\.SIZE 129 INTERNALDATE "\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d [+-]\d{4}"\)\r\n/,
        `${seq} RFC822.SIZE: ${sized}`,
      );
      const env = await s.command(`FETCH ${seq} (ENVELOPE)`);
      assert.match(
        env,
        /ENVELOPE \(NIL "message unavailable" \(\("System Administrator" NIL "root" "localhost"\)\)/,
        `${seq} ENVELOPE: ${env}`,
      );
      const bs = await s.command(`FETCH ${seq} (BODYSTRUCTURE)`);
      assert.match(
        bs,
        /BODYSTRUCTURE \("text" "plain" NIL NIL NIL "[^"]+" 52 1 /,
        `${seq} BODYSTRUCTURE: ${bs}`,
      );
      assert.match(bs, /OK FETCH completed\.\r\n$/);
    }
  } finally {
    await s.close();
  }
});

test('a message renamed by another session (flag change) is still served as itself', async () => {
  const s = openCommandSession(dir.path);
  try {
    assert.match(await s.command('SELECT INBOX'), /EXISTS/);
    const [moved] = (await readdir(join(dir.path, 'cur'))).filter((n) => n.includes('moved'));
    assert.ok(moved);
    await rename(join(dir.path, 'cur', moved), join(dir.path, 'cur', `${moved.replace(/:2,.*$/, '')}:2,F`));
    const r = await s.command('FETCH 1 (BODY.PEEK[])');
    assert.equal(literal(r, 'BODY[]'), SMALL.replace('small one', 'moved one').replaceAll('\n', '\r\n'));
    const h = await s.command('FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject)])');
    assert.equal(literal(h, 'BODY[HEADER.FIELDS ("Subject")]'), 'Subject: moved one\r\n\r\n');
  } finally {
    await s.close();
  }
});
