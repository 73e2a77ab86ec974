// The stream reader must give the same result whatever the chunking: every case runs whole and byte by byte.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { imapTagOf, pop3IsMultiline, StreamReader } from '../../support/wire.js';

async function feed(
  data: string,
  byteByByte: boolean,
  read: (r: StreamReader) => Promise<unknown[]>,
): Promise<unknown[]> {
  const s = new PassThrough();
  const r = new StreamReader(s, 2000);
  const p = read(r);
  const buf = Buffer.from(data, 'latin1');
  if (byteByByte) {
    for (const b of buf) {
      s.write(Buffer.from([b]));
      await new Promise((res) => setImmediate(res));
    }
  } else s.write(buf);
  s.end();
  return p;
}

async function drain(next: () => Promise<Buffer | undefined>): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const x = await next();
    if (x === undefined) return out;
    out.push(x.toString('latin1'));
  }
}

describe('StreamReader.readImapResponse', () => {
  const cases: Array<[string, string, string[]]> = [
    ['plain lines', '* OK hi\r\na OK done\r\n', ['* OK hi\r\n', 'a OK done\r\n']],
    [
      'a literal inside a FETCH',
      '* 1 FETCH (BODY[] {5}\r\nab\r\nc)\r\na OK\r\n',
      ['* 1 FETCH (BODY[] {5}\r\nab\r\nc)\r\n', 'a OK\r\n'],
    ],
    ['two literals', '* 1 FETCH (A {1}\r\nx B {2}\r\nyz)\r\n', ['* 1 FETCH (A {1}\r\nx B {2}\r\nyz)\r\n']],
    ['an empty literal', '* 1 FETCH (BODY[2] {0}\r\n)\r\n', ['* 1 FETCH (BODY[2] {0}\r\n)\r\n']],
    ['a bare-LF line and an unterminated tail', 'a\nb', ['a\n', 'b']],
  ];
  for (const [name, input, want] of cases) {
    for (const bb of [false, true]) {
      test(`${name}${bb ? ' (byte by byte)' : ''}`, async () => {
        assert.deepEqual(await feed(input, bb, (r) => drain(() => r.readImapResponse())), want);
      });
    }
  }
});

describe('StreamReader.readPop3Reply', () => {
  for (const bb of [false, true]) {
    test(`multi-line and single-line replies${bb ? ' (byte by byte)' : ''}`, async () => {
      const input = '+OK 2 msgs\r\n1 10\r\n..x\r\n.\r\n-ERR no\r\n+OK yes\r\n';
      const got = await feed(input, bb, async (r) => [
        (await r.readPop3Reply(true))?.toString(),
        (await r.readPop3Reply(true))?.toString(),
        (await r.readPop3Reply(false))?.toString(),
      ]);
      assert.deepEqual(got, ['+OK 2 msgs\r\n1 10\r\n..x\r\n.\r\n', '-ERR no\r\n', '+OK yes\r\n']);
    });
  }
  test('times out with the unread data in the message', async () => {
    const s = new PassThrough();
    const r = new StreamReader(s, 50);
    s.write('partial');
    await assert.rejects(r.readLine(), /timed out waiting for a line; unread data: "partial"/);
  });
});

describe('protocol helpers', () => {
  test('imapTagOf', () => {
    assert.equal(imapTagOf('a001 OK x\r\n'), 'a001');
    assert.equal(imapTagOf('* 1 EXISTS'), '*');
    assert.equal(imapTagOf('+ OK\r\n'), '+');
    assert.equal(imapTagOf('+\r\n'), '+');
  });
  const multi: Array<[string, boolean]> = [
    ['CAPA', true],
    ['LIST', true],
    ['list 1', false],
    ['UIDL', true],
    ['UIDL 3', false],
    ['RETR 1', true],
    ['TOP 1 0', true],
    ['STAT', false],
    ['QUIT', false],
  ];
  for (const [cmd, want] of multi)
    test(`pop3IsMultiline ${cmd}`, () => assert.equal(pop3IsMultiline(cmd), want));
});
