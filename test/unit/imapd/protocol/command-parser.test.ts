import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandParser } from '@courier-ts/imapd';
import { type RunOptions, runParser } from './parser-harness.js';

interface Case {
  readonly name: string;
  readonly input: string;
  readonly expect: readonly string[];
  readonly options?: RunOptions;
}

/** Every case runs whole, byte by byte, and in chunks of 3 and 7: the events must not differ. */
const CHUNKINGS = [Number.POSITIVE_INFINITY, 1, 3, 7];

const cases: Case[] = [
  { name: 'simple command', input: 'a1 NOOP\r\n', expect: ['cmd a1 NOOP'] },
  { name: 'bare LF line end', input: 'a1 noop\n', expect: ['cmd a1 NOOP'] },
  {
    name: 'several commands pipelined',
    input: 'a NOOP\r\nb CAPABILITY\nc LOGOUT\r\n',
    expect: ['cmd a NOOP', 'cmd b CAPABILITY', 'cmd c LOGOUT'],
  },
  {
    name: 'atoms and quoted strings',
    input: 'a LOGIN bob "p w\\"\\\\"\r\n',
    expect: ['cmd a LOGIN bob q"p w\\"\\\\"'],
  },
  { name: 'empty quoted string', input: 'a LIST "" *\r\n', expect: ['cmd a LIST q"" *'] },
  { name: 'NIL stays an atom', input: 'a X NIL nil\r\n', expect: ['cmd a X NIL nil'] },
  { name: 'nested lists', input: 'a X (1 (2 (3)) ()) 4\r\n', expect: ['cmd a X (1 (2 (3)) ()) 4'] },
  {
    name: 'sequence set atom',
    input: 'a FETCH 1:*,5,7:9 FLAGS\r\n',
    expect: ['cmd a FETCH 1:*,5,7:9 FLAGS'],
  },
  {
    name: 'fetch section keeps spaces, parens and quotes',
    input: 'a FETCH 1 (BODY.PEEK[HEADER.FIELDS (From "To)")]<0.10> UID)\r\n',
    expect: ['cmd a FETCH 1 (BODY.PEEK[HEADER.FIELDS (From "To)")]<0.10> UID)'],
  },
  {
    name: 'literal inside a fetch section (Courier accepts it)',
    input: 'a FETCH 1 (BODY.PEEK[HEADER.FIELDS (From {4}\r\nDate)] UID)\r\n',
    expect: ['lit a FETCH 4 d1 [1]', 'cmd a FETCH 1 (BODY.PEEK[HEADER.FIELDS (From "Date")] UID)'],
  },
  {
    name: 'non-synchronizing literal inside a fetch section, with quote and backslash, streaming refused',
    input: 'a FETCH 1 BODY[HEADER.FIELDS ({4+}\r\na"\\b X)]<0.5>\r\n',
    options: { policy: 'stream' },
    expect: ['lit a FETCH 4+ d0 [1]', 'cmd a FETCH 1 BODY[HEADER.FIELDS ("a\\"\\\\b" X)]<0.5>'],
  },
  {
    name: 'rejected literal inside a fetch section',
    input: 'a FETCH 1 BODY[HEADER.FIELDS ({4}\r\nb NOOP\r\n',
    options: { policy: 'reject' },
    expect: ['lit a FETCH 4 d0 [1]', 'cmd b NOOP'],
  },
  {
    name: 'line end inside a section literal',
    input: 'a FETCH 1 BODY[HEADER.FIELDS ({2}\r\n\r\n)]\r\nb NOOP\r\n',
    expect: ['lit a FETCH 2 d0 [1]', 'err SYNTAX a', 'cmd b NOOP'],
  },
  {
    name: 'brackets in a mailbox atom',
    input: 'a SELECT [Gmail]/Sent\r\n',
    expect: ['cmd a SELECT [Gmail]/Sent'],
  },
  { name: 'UID prefix', input: 'a uid fetch 1:2 (UID)\r\n', expect: ['cmd a UID FETCH 1:2 (UID)'] },
  { name: 'UID alone', input: 'a UID\r\n', expect: ['cmd a UID'] },
  { name: 'extra spaces tolerated', input: 'a  NOOP  \r\n', expect: ['cmd a NOOP'] },
  {
    name: 'any first word is a tag (Courier)',
    input: '* NOOP\r\n+ NOOP\r\n',
    expect: ['cmd * NOOP', 'cmd + NOOP'],
  },
  {
    name: '8-bit in quoted string',
    input: 'a SEARCH TEXT "caf\xc3\xa9"\r\n',
    expect: ['cmd a SEARCH TEXT q"caf\xc3\xa9"'],
  },
  {
    name: 'synchronizing literal',
    input: 'a LOGIN {3}\r\nbob {2}\r\npw\r\n',
    expect: ['lit a LOGIN 3 d0 []', 'lit a LOGIN 2 d0 [L"bob"]', 'cmd a LOGIN L"bob" L"pw"'],
  },
  {
    name: 'literal with bare LF after the header, CRLF inside',
    input: 'a X {4}\n\r\nab\n',
    expect: ['lit a X 4 d0 []', 'cmd a X L"\\r\\nab"'],
  },
  { name: 'empty literal', input: 'a X {0}\r\n\r\n', expect: ['lit a X 0 d0 []', 'cmd a X L""'] },
  {
    name: 'non-synchronizing literal (LITERAL+)',
    input: 'a X {3+}\r\nabc "d"\r\n',
    expect: ['lit a X 3+ d0 []', 'cmd a X L"abc" q"d"'],
  },
  {
    name: 'literal8',
    input: 'a X ~{3}\r\na\x00b\r\n',
    expect: ['lit a X 3 bin d0 []', 'cmd a X L8"a\\u0000b"'],
  },
  { name: 'tilde atom', input: 'a X ~foo\r\n', expect: ['cmd a X ~foo'] },
  {
    name: 'literal inside a list reports depth',
    input: 'a X (a {1}\r\nb)\r\n',
    expect: ['lit a X 1 d1 []', 'cmd a X (a L"b")'],
  },
  {
    name: 'literal at top level after arguments',
    input: 'a APPEND INBOX (\\Seen) "01-Jan-2024 10:00:00 +0000" {5}\r\nhello\r\n',
    expect: [
      'lit a APPEND 5 d0 [INBOX (\\Seen) q"01-Jan-2024 10:00:00 +0000"]',
      'cmd a APPEND INBOX (\\Seen) q"01-Jan-2024 10:00:00 +0000" L"hello"',
    ],
  },
  {
    name: 'streamed literal',
    input: 'a APPEND INBOX {11}\r\nhello world\r\nb NOOP\r\n',
    options: { policy: 'stream' },
    expect: [
      'lit a APPEND 11 d0 [INBOX]',
      'data hello world',
      'end',
      'cmd a APPEND INBOX S{11}',
      'cmd b NOOP',
    ],
  },
  {
    name: 'streamed empty literal',
    input: 'a APPEND INBOX {0}\r\n\r\n',
    options: { policy: 'stream' },
    expect: ['lit a APPEND 0 d0 [INBOX]', 'end', 'cmd a APPEND INBOX S{0}'],
  },
  {
    name: 'rejected synchronizing literal: the next line is a new command',
    input: 'a APPEND Nope {5}\r\nb NOOP\r\n',
    options: { policy: 'reject' },
    expect: ['lit a APPEND 5 d0 [Nope]', 'cmd b NOOP'],
  },
  {
    name: 'rejected non-synchronizing literal: its bytes are skipped',
    input: 'a APPEND Nope {6+}\r\nb NOOP and the rest\r\nc NOOP\r\n',
    options: { policy: 'reject' },
    expect: ['lit a APPEND 6+ d0 [Nope]', 'cmd c NOOP'],
  },
  {
    name: 'literal too big to buffer is refused by acceptLiteral',
    input: 'a LOGIN {20}\r\nb NOOP\r\n',
    options: { parser: { maxBufferedLiteral: 10 } },
    expect: ['lit a LOGIN 20 d0 []', 'accept-err LITERAL_TOO_LARGE', 'cmd b NOOP'],
  },
  { name: 'empty line', input: '\r\na NOOP\r\n', expect: ['err EMPTY_LINE -', 'cmd a NOOP'] },
  { name: 'blank line with spaces', input: '  \n', expect: ['err EMPTY_LINE -'] },
  { name: 'tag only', input: 'a\r\n', expect: ['err MISSING_COMMAND a'] },
  { name: 'tag is a string', input: '"a" NOOP\r\n', expect: ['err BAD_TAG -'] },
  { name: 'command is a list', input: 'a (NOOP)\r\n', expect: ['err MISSING_COMMAND a'] },
  {
    name: 'literal before the command',
    input: 'a {3}\r\nb NOOP\r\n',
    expect: ['err MISSING_COMMAND a', 'cmd b NOOP'],
  },
  { name: 'unbalanced close paren', input: 'a X )\r\nb NOOP\r\n', expect: ['err SYNTAX a', 'cmd b NOOP'] },
  { name: 'unclosed list', input: 'a X (1 2\r\nb NOOP\r\n', expect: ['err SYNTAX a', 'cmd b NOOP'] },
  { name: 'bare CR', input: 'a X\rY\r\nb NOOP\r\n', expect: ['err SYNTAX a', 'cmd b NOOP'] },
  { name: 'control character', input: 'a X \x01\r\nb NOOP\r\n', expect: ['err SYNTAX a', 'cmd b NOOP'] },
  { name: 'quote inside atom', input: 'a X ab"c"\r\nb NOOP\r\n', expect: ['err SYNTAX a', 'cmd b NOOP'] },
  { name: 'newline in quoted string', input: 'a X "ab\nb NOOP\r\n', expect: ['err SYNTAX a', 'cmd b NOOP'] },
  { name: 'any escaped byte is itself (Courier)', input: 'a X "a\\b"\r\n', expect: ['cmd a X q"ab"'] },
  {
    name: 'escaped line end in quoted string',
    input: 'a X "a\\\nb NOOP\r\n',
    expect: ['err SYNTAX a', 'cmd b NOOP'],
  },
  { name: 'bad literal header', input: 'a X {3x}\r\nb NOOP\r\n', expect: ['err SYNTAX a', 'cmd b NOOP'] },
  {
    name: 'literal header not at end of line',
    input: 'a X {3} y\r\nb NOOP\r\n',
    expect: ['err SYNTAX a', 'cmd b NOOP'],
  },
  {
    name: 'error line ending in a non-sync literal skips its data',
    input: 'a X ) {5+}\r\nb NOP\r\nc NOOP\r\n',
    expect: ['err SYNTAX a', 'cmd c NOOP'],
  },
  {
    name: 'non-sync literal refused when neither LITERAL+ nor LITERAL- (Courier)',
    input: 'a LOGIN {3+}\r\nbob x\r\nb NOOP\r\n',
    options: { parser: { nonSyncLiterals: 'none' } },
    expect: ['err NON_SYNC_LITERAL_REFUSED a', 'cmd b NOOP'],
  },
  {
    name: 'LITERAL-: up to 4096 accepted',
    input: `a X {4096+}\r\n${'x'.repeat(4096)}\r\n`,
    options: { parser: { nonSyncLiterals: 'minus' }, policy: 'stream' },
    expect: ['lit a X 4096+ d0 []', `data ${'x'.repeat(4096)}`, 'end', 'cmd a X S{4096}'],
  },
  {
    name: 'LITERAL-: 4097 refused, data skipped',
    input: `a X {4097+}\r\n${'x'.repeat(4097)}\r\nb NOOP\r\n`,
    options: { parser: { nonSyncLiterals: 'minus' } },
    expect: ['err NON_SYNC_LITERAL_TOO_LARGE a', 'cmd b NOOP'],
  },
  {
    name: 'literal above maxLiteralSize (APPENDLIMIT), synchronizing',
    input: 'a APPEND INBOX {101}\r\nb NOOP\r\n',
    options: { parser: { maxLiteralSize: 100 } },
    expect: ['err LITERAL_TOO_LARGE a', 'cmd b NOOP'],
  },
  {
    name: 'literal at maxLiteralSize is fine',
    input: `a APPEND INBOX {100}\r\n${'y'.repeat(100)}\r\n`,
    options: { parser: { maxLiteralSize: 100 }, policy: 'stream' },
    expect: ['lit a APPEND 100 d0 [INBOX]', `data ${'y'.repeat(100)}`, 'end', 'cmd a APPEND INBOX S{100}'],
  },
  {
    name: 'literal above maxLiteralSize, non-synchronizing: data skipped',
    input: `a APPEND INBOX {101+}\r\n${'z'.repeat(101)}\r\nb NOOP\r\n`,
    options: { parser: { maxLiteralSize: 100 } },
    expect: ['err LITERAL_TOO_LARGE a', 'cmd b NOOP'],
  },
  {
    name: 'line too long',
    input: `a X ${'y '.repeat(30)}\r\nb NOOP\r\n`,
    options: { parser: { maxLineLength: 40 } },
    expect: ['err LINE_TOO_LONG a', 'cmd b NOOP'],
  },
  {
    name: 'line length excludes literal data',
    input: `a X {50}\r\n${'q'.repeat(50)}\r\n`,
    options: { parser: { maxLineLength: 20 } },
    expect: ['lit a X 50 d0 []', `cmd a X L"${'q'.repeat(50)}"`],
  },
  {
    name: 'atom too long is fatal (Courier: max atom size too small)',
    input: `a X ${'k'.repeat(33)}\r\nb NOOP\r\n`,
    options: { parser: { maxAtomLength: 32 } },
    expect: ['err ATOM_TOO_LONG a fatal', 'dead'],
  },
  {
    name: 'atom at the limit',
    input: `a X ${'k'.repeat(32)}\r\n`,
    options: { parser: { maxAtomLength: 32 } },
    expect: [`cmd a X ${'k'.repeat(32)}`],
  },
  {
    name: 'quoted string too long',
    input: `a X "${'q'.repeat(17)}"\r\nb NOOP\r\n`,
    options: { parser: { maxQuotedLength: 16 } },
    expect: ['err QUOTED_TOO_LONG a', 'cmd b NOOP'],
  },
  {
    name: 'quoted string at the limit (escapes count once)',
    input: `a X "${'q'.repeat(15)}\\""\r\n`,
    options: { parser: { maxQuotedLength: 16 } },
    expect: [`cmd a X q"${'q'.repeat(15)}\\""`],
  },
  {
    name: 'nesting too deep',
    input: 'a X ((((1))))\r\nb NOOP\r\n',
    options: { parser: { maxDepth: 3 } },
    expect: ['err TOO_DEEP a', 'cmd b NOOP'],
  },
  {
    name: 'nesting at the limit',
    input: 'a X (((1)))\r\n',
    options: { parser: { maxDepth: 3 } },
    expect: ['cmd a X (((1)))'],
  },
  {
    name: 'too many arguments (tag and name count)',
    input: 'a X 1 2 3 4\r\nb NOOP\r\n',
    options: { parser: { maxArguments: 5 } },
    expect: ['err TOO_MANY_ARGUMENTS a', 'cmd b NOOP'],
  },
  {
    name: 'raw line after IDLE',
    input: 'a IDLE\r\nDONE\r\nb NOOP\n',
    options: { lineAfter: ['IDLE'] },
    expect: ['cmd a IDLE', 'line DONE', 'cmd b NOOP'],
  },
  {
    name: 'raw line with bare LF and odd bytes',
    input: 'a AUTHENTICATE PLAIN\nAGJvYgBwdw== (x"\n',
    options: { lineAfter: ['AUTHENTICATE'] },
    expect: ['cmd a AUTHENTICATE PLAIN', 'line AGJvYgBwdw== (x"'],
  },
  {
    name: 'raw line too long',
    input: `a IDLE\r\n${'D'.repeat(50)}\r\nb NOOP\r\n`,
    options: { lineAfter: ['IDLE'], parser: { maxLineLength: 20 } },
    expect: ['cmd a IDLE', 'err LINE_TOO_LONG -', 'cmd b NOOP'],
  },
];

describe('CommandParser', () => {
  for (const c of cases) {
    test(c.name, () => {
      for (const size of CHUNKINGS) {
        assert.deepEqual(runParser(c.input, size, c.options), c.expect, `chunk size ${size}`);
      }
    });
  }

  test('streamed literal bytes arrive as slices without buffering the whole literal', () => {
    const p = new CommandParser({ maxBufferedLiteral: 16 });
    p.feed(Buffer.from('a APPEND INBOX {100000}\r\n'));
    const lit = p.next();
    assert.equal(lit?.type, 'literal');
    assert.equal(p.awaitingLiteral, true);
    assert.equal(p.next(), null, 'nothing happens before the decision');
    assert.equal(p.acceptLiteral({ stream: true }), null);
    let got = 0;
    let ended = false;
    for (let i = 0; i < 100; i++) {
      p.feed(Buffer.alloc(1000, 0x61));
      for (let ev = p.next(); ev !== null; ev = p.next()) {
        if (ev.type === 'literal-data') {
          assert.ok(ev.chunk.length <= 1000, 'slices of the input, never a whole-literal buffer');
          got += ev.chunk.length;
        } else {
          assert.equal(ev.type, 'literal-end');
          ended = true;
        }
      }
    }
    assert.equal(got, 100000);
    assert.equal(ended, true);
    p.feed(Buffer.from('\r\n'));
    const cmd = p.next();
    assert.equal(cmd?.type, 'command');
  });

  test('input after a literal header waits until the decision (pipelined client)', () => {
    const p = new CommandParser();
    p.feed(Buffer.from('a APPEND X {3}\r\nabc\r\nb NOOP\r\n'));
    assert.equal(p.next()?.type, 'literal');
    assert.equal(p.next(), null);
    p.rejectLiteral();
    // the client did send the bytes anyway: they are parsed as a command line
    assert.equal(p.next()?.type, 'error');
    const b = p.next();
    assert.ok(b?.type === 'command' && b.command.tag === 'b');
  });

  test('acceptLiteral without a pending literal is a programming error', () => {
    const p = new CommandParser();
    assert.throws(() => p.acceptLiteral(), /no literal is pending/);
    assert.throws(() => p.rejectLiteral(), /no literal is pending/);
  });

  test('expectLine in the middle of a command is refused', () => {
    const p = new CommandParser();
    p.feed(Buffer.from('a NO'));
    assert.equal(p.next(), null);
    assert.throws(() => p.expectLine(), /middle of a command/);
  });

  test('fatal error stops the parser', () => {
    const p = new CommandParser({ maxAtomLength: 4 });
    p.feed(Buffer.from('a X abcdef\r\nb NOOP\r\n'));
    const e = p.next();
    assert.ok(e?.type === 'error' && e.error.fatal);
    assert.equal(p.dead, true);
    assert.equal(p.next(), null);
  });

  test('Courier-size limits are the defaults', () => {
    const p = new CommandParser();
    assert.equal(p.options.maxAtomLength, 16384);
    assert.equal(p.options.maxQuotedLength, 8192);
    const atom = runParser(`a X ${'k'.repeat(16385)}\r\n`, Number.POSITIVE_INFINITY);
    assert.deepEqual(atom, ['err ATOM_TOO_LONG a fatal', 'dead']);
  });
});
