import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { LineReader, type LineResult } from '@courier-ts/runtime';

type Expect = { line: string } | { tooLong: true } | { eof: true };

function show(r: LineResult): Expect {
  if (r.kind === 'line') return { line: r.line.toString('latin1') };
  if (r.kind === 'too-long') return { tooLong: true };
  return { eof: true };
}

async function readAll(input: Buffer, max: number, bytewise: boolean): Promise<Expect[]> {
  const s = new PassThrough();
  const reader = new LineReader(s, { maxLineLength: max });
  const out: Expect[] = [];
  const feeding = (async () => {
    if (bytewise) {
      for (let i = 0; i < input.length; i++) {
        s.write(input.subarray(i, i + 1));
        await new Promise((r) => setImmediate(r));
      }
    } else {
      s.write(input);
    }
    s.end();
  })();
  for (;;) {
    const r = await reader.next();
    out.push(show(r));
    if (r.kind === 'eof') break;
  }
  await feeding;
  return out;
}

const CASES: ReadonlyArray<{ name: string; input: string; max?: number; want: Expect[] }> = [
  {
    name: 'CRLF lines',
    input: 'USER a\r\nPASS b\r\n',
    want: [{ line: 'USER a' }, { line: 'PASS b' }, { eof: true }],
  },
  {
    name: 'bare LF accepted',
    input: 'STAT\nLIST\n',
    want: [{ line: 'STAT' }, { line: 'LIST' }, { eof: true }],
  },
  { name: 'empty line', input: '\r\n', want: [{ line: '' }, { eof: true }] },
  { name: 'CR inside a line kept', input: 'A\rB\r\n', want: [{ line: 'A\rB' }, { eof: true }] },
  { name: 'unterminated tail dropped at eof', input: 'NOOP\r\nQUI', want: [{ line: 'NOOP' }, { eof: true }] },
  {
    name: 'line at the limit',
    input: `${'x'.repeat(10)}\r\n`,
    max: 10,
    want: [{ line: 'x'.repeat(10) }, { eof: true }],
  },
  {
    name: 'over the limit, session goes on',
    input: `${'x'.repeat(11)}\r\nNOOP\r\n`,
    max: 10,
    want: [{ tooLong: true }, { line: 'NOOP' }, { eof: true }],
  },
  {
    name: 'far over the limit (never buffered whole)',
    input: `${'y'.repeat(5000)}\nQUIT\n`,
    max: 16,
    want: [{ tooLong: true }, { line: 'QUIT' }, { eof: true }],
  },
  {
    name: 'binary junk',
    input: '\x00\xff\x01junk\r\nNOOP\r\n',
    want: [{ line: '\x00\xff\x01junk' }, { line: 'NOOP' }, { eof: true }],
  },
];

describe('LineReader', () => {
  for (const c of CASES) {
    for (const bytewise of [false, true]) {
      test(`${c.name} (${bytewise ? 'byte by byte' : 'whole'})`, async () => {
        assert.deepEqual(await readAll(Buffer.from(c.input, 'latin1'), c.max ?? 8190, bytewise), c.want);
      });
    }
  }

  test('detach hands back unread bytes and stops reading', async () => {
    const s = new PassThrough();
    const reader = new LineReader(s, { maxLineLength: 100 });
    s.write('PASS x\r\nSTAT\r\nLI');
    assert.deepEqual(show(await reader.next()), { line: 'PASS x' });
    assert.equal(reader.detach().toString(), 'STAT\r\nLI');
    assert.deepEqual(show(await reader.next()), { eof: true });
  });

  test('initial bytes are read first', async () => {
    const s = new PassThrough();
    const reader = new LineReader(s, { maxLineLength: 100 }, Buffer.from('STAT\r\n'));
    s.end('QUIT\r\n');
    assert.deepEqual(show(await reader.next()), { line: 'STAT' });
    assert.deepEqual(show(await reader.next()), { line: 'QUIT' });
  });

  test('counts received bytes', async () => {
    const s = new PassThrough();
    let n = 0;
    const reader = new LineReader(s, { maxLineLength: 100, onBytes: (b) => (n += b) });
    s.end('NOOP\r\nQUIT\r\n');
    while ((await reader.next()).kind !== 'eof');
    assert.equal(n, 12);
  });

  test('pauses the stream while pipelined lines wait', async () => {
    const s = new PassThrough();
    const reader = new LineReader(s, { maxLineLength: 100, maxPipelined: 2 });
    s.write('A\r\nB\r\nC\r\n');
    await new Promise((r) => setImmediate(r));
    assert.equal(s.isPaused(), true);
    assert.deepEqual(show(await reader.next()), { line: 'A' });
  });

  test('hasLine follows the complete lines buffered, whole and byte by byte', async () => {
    for (const bytewise of [false, true]) {
      const s = new PassThrough();
      const reader = new LineReader(s, { maxLineLength: 8 });
      const input = Buffer.from('STAT\r\nLIST 1\r\nNO', 'latin1');
      if (bytewise) {
        for (let i = 0; i < input.length; i++) {
          s.write(input.subarray(i, i + 1));
          await new Promise((r) => setImmediate(r));
        }
      } else {
        s.write(input);
        await new Promise((r) => setImmediate(r));
      }
      assert.equal(reader.hasLine(), true);
      assert.deepEqual(show(await reader.next()), { line: 'STAT' });
      assert.equal(reader.hasLine(), true, 'LIST 1 is still waiting');
      assert.deepEqual(show(await reader.next()), { line: 'LIST 1' });
      assert.equal(reader.hasLine(), false, 'only a partial line left');
      assert.equal(reader.hasBuffered(), true);
      s.write('OP\r\n');
      await new Promise((r) => setImmediate(r));
      assert.equal(reader.hasLine(), true);
      assert.deepEqual(show(await reader.next()), { line: 'NOOP' });
      assert.equal(reader.hasLine(), false);
      // A line over the limit counts as one line too, and is taken as one.
      s.write(`${'x'.repeat(20)}\r\nQUIT\r\n`);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(show(await reader.next()), { tooLong: true });
      assert.equal(reader.hasLine(), true);
      assert.deepEqual(show(await reader.next()), { line: 'QUIT' });
      assert.equal(reader.hasLine(), false);
      s.write('RSET\r\n');
      await new Promise((r) => setImmediate(r));
      reader.detach();
      assert.equal(reader.hasLine(), false, 'nothing left after detach');
    }
  });
});
