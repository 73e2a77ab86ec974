// RETR/TOP replies from a real maildrop: the store's POP3 form (native dot-stuffing, when built) and
// pop3d's own DotStuffer give the same bytes and the same retr= counter; TOP and the Unicode wrapper
// always go through the DotStuffer; a read-ahead stream is only used for what it was read for.
import assert from 'node:assert/strict';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { MAILDIR_NATIVE, openMaildir, type Pop3Maildrop } from '@courier-ts/maildir';
import { ReplyWriter } from '@courier-ts/runtime';
import { repoRoot } from '../../support/paths.js';
import { makeMaildir, tempDir } from '../maildir/helpers.js';

type Sender = typeof import('../../../packages/pop3d/src/session/message-sender.js');
type Ahead = typeof import('../../../packages/pop3d/src/session/read-ahead.js');
type MessageBody = import('../../../packages/pop3d/src/session/read-ahead.js').MessageBody;
const dist = (rel: string): string => pathToFileURL(join(repoRoot, 'packages', 'pop3d', 'dist', rel)).href;
const { sendMessage } = (await import(dist('session/message-sender.js'))) as Sender;
const { ReadAhead } = (await import(dist('session/read-ahead.js'))) as Ahead;

const BODIES = [
  'Subject: a\n\nbody\n',
  'Subject: dots\n\n.\n..\n.x\nend',
  'Subject: crlf\r\n\r\n.line\r\n',
  '',
  `Subject: big\n\n${'.y\n'.repeat(400_000)}tail`,
  'Subject: =?utf-8?q?x?=\nFrom: \u00e9l\u00e8ve <a@b>\n\n.body\n',
];

async function reply(
  drop: Pop3Maildrop,
  index: number,
  opts: { topLines?: number; wrapUnicode?: boolean },
  open: (i: number, dotStuff: boolean) => MessageBody,
): Promise<{ bytes: Buffer; consumed: number | undefined; kind: string }> {
  const sink = new PassThrough();
  const parts: Buffer[] = [];
  sink.on('data', (c: Buffer) => parts.push(c));
  const writer = new ReplyWriter(sink);
  const r = await sendMessage(
    drop,
    writer,
    {
      index,
      ...(opts.topLines === undefined ? {} : { topLines: opts.topLines }),
      wrapUnicode: opts.wrapUnicode ?? false,
      unicodeMessageType: 'message/global',
      pid: 42,
      now: 1_700_000_000_000,
    },
    open,
  );
  sink.end();
  await new Promise((r2) => sink.once('end', r2));
  return { bytes: Buffer.concat(parts), consumed: r.kind === 'sent' ? r.consumed : undefined, kind: r.kind };
}

describe('RETR/TOP replies: store POP3 form = DotStuffer', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let drop: Pop3Maildrop;
  before(async () => {
    ({ dir, cleanup } = await tempDir('pop3-sender-'));
    await makeMaildir(dir);
    for (const [i, b] of BODIES.entries()) {
      await writeFile(join(dir, 'cur', `170000000${i}.M1P1.host:2,`), Buffer.from(b, 'utf8'));
    }
    drop = await (await openMaildir(dir)).pop3Maildrop();
  });
  after(() => cleanup());

  test('the store offers the POP3 form exactly when the native helper is built', () => {
    const s = drop.open(0, { dotStuff: true }) as import('node:stream').Readable & { dotStuffed?: boolean };
    assert.equal(s.dotStuffed, MAILDIR_NATIVE !== undefined);
    s.destroy();
  });

  for (const [i] of BODIES.entries()) {
    for (const opts of [{}, { wrapUnicode: true }, { topLines: 0 }, { topLines: 2 }]) {
      test(`message ${i + 1} ${JSON.stringify(opts)}`, async () => {
        const plain = await reply(drop, i, opts, (n) => drop.open(n));
        const stream = await reply(drop, i, opts, (n, dotStuff) => drop.open(n, { dotStuff }));
        const whole = await reply(drop, i, opts, (n, dotStuff) =>
          dotStuff && drop.retrWhole ? drop.retrWhole(n) : drop.open(n, { dotStuff }),
        );
        for (const fast of [stream, whole]) {
          assert.deepEqual(fast.bytes, plain.bytes);
          assert.equal(fast.consumed, plain.consumed);
        }
        assert.match(plain.bytes.toString('latin1'), /^\+OK .*\r\n(?:[\s\S]*\r\n)?\.\r\n$/);
      });
    }
  }

  test('retrWhole: small messages whole (native), large ones left to the stream', async () => {
    const small = await drop.retrWhole?.(0);
    const large = await drop.retrWhole?.(4);
    assert.equal(large, undefined, 'over 1 MiB: streamed');
    if (MAILDIR_NATIVE)
      assert.equal(Buffer.concat(small!.parts).toString(), 'Subject: a\r\n\r\nbody\r\n.\r\n');
    else assert.equal(small, undefined);
  });

  test('RETR of a message renamed meanwhile is sent; of one removed meanwhile is -ERR', async () => {
    const { dir: d, cleanup: c } = await tempDir('pop3-sender-gone-');
    try {
      await makeMaildir(d);
      await writeFile(join(d, 'cur', '1700000100.M1P1.host:2,'), '.a\n');
      await writeFile(join(d, 'cur', '1700000101.M1P1.host:2,'), 'b\n');
      const dr = await (await openMaildir(d)).pop3Maildrop();
      await rename(join(d, 'cur', '1700000100.M1P1.host:2,'), join(d, 'cur', '1700000100.M1P1.host:2,FS'));
      await unlink(join(d, 'cur', '1700000101.M1P1.host:2,'));
      const open = (n: number, dotStuff: boolean): MessageBody =>
        dotStuff && dr.retrWhole ? dr.retrWhole(n) : dr.open(n, { dotStuff });
      const renamed = await reply(dr, 0, {}, open);
      assert.equal(renamed.bytes.toString(), '+OK 4 octets follow.\r\n..a\r\n.\r\n');
      const gone = await reply(dr, 1, {}, open);
      assert.equal(gone.kind, 'gone');
      assert.match(gone.bytes.toString(), /^-ERR /);
    } finally {
      await c();
    }
  });

  test('read-ahead: a stream read for RETR is not served to TOP; each serves what it was read for', async () => {
    const ahead = new ReadAhead(drop);
    try {
      ahead.after(0, () => false); // message 2 read ahead in the POP3 form
      const top = await reply(drop, 1, { topLines: 1 }, (n, dotStuff) => ahead.take(n, dotStuff));
      const topPlain = await reply(drop, 1, { topLines: 1 }, (n) => drop.open(n));
      assert.deepEqual(top.bytes, topPlain.bytes);
      ahead.after(0, () => false);
      const retr = await reply(drop, 1, {}, (n, dotStuff) => ahead.take(n, dotStuff));
      const retrPlain = await reply(drop, 1, {}, (n) => drop.open(n));
      assert.deepEqual(retr.bytes, retrPlain.bytes);
    } finally {
      ahead.close();
    }
  });
});
