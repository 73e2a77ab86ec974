// The session engine end to end on in-memory streams: Courier's wording, pipelining, literals,
// limits. Every case runs with the input whole and byte by byte.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runEngine, wire } from './engine-helpers.js';

interface Case {
  readonly name: string;
  readonly input: string;
  /** Lines expected in this order in the output (each a full line, or a RegExp). */
  readonly expect: readonly (string | RegExp)[];
  /** Lines that must not appear. */
  readonly absent?: readonly (string | RegExp)[];
  readonly env?: Record<string, string>;
}

const CASES: readonly Case[] = [
  {
    name: 'greeting, CAPABILITY, NOOP, LOGOUT',
    input: wire('a CAPABILITY', 'b noop', 'c LOGOUT'),
    expect: [
      '* PREAUTH Ready.',
      '* CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT MOVE UNSELECT ID LITERAL+',
      'a OK CAPABILITY completed',
      'b OK NOOP completed',
      '* BYE Courier-IMAP server shutting down',
      'c OK LOGOUT completed',
    ],
  },
  {
    name: 'IMAP_CAPABILITY filtered to what is implemented',
    input: wire('a CAPABILITY', 'b LOGOUT'),
    env: {
      IMAP_CAPABILITY: 'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE IDLE XFOO AUTH=PLAIN AUTH=GSSAPI',
    },
    expect: [
      '* CAPABILITY IMAP4rev1 UIDPLUS CHILDREN NAMESPACE IDLE AUTH=PLAIN ENABLE UTF8=ACCEPT MOVE UNSELECT ID LITERAL+',
    ],
  },
  {
    name: 'unknown command, wrong state, empty line, missing arguments',
    input: wire('a BOGUS', 'b FETCH 1 FLAGS', '', 'c SELECT', 'd LIST ""', 'e LOGOUT'),
    expect: [
      'a NO Error in IMAP command received by server.',
      'b NO Error in IMAP command received by server.',
      '* NO Error in IMAP command received by server.',
      'c BAD Invalid command',
      'd BAD Invalid command',
      'e OK LOGOUT completed',
    ],
  },
  {
    name: 'ten consecutive violations end the session',
    input: wire(...Array.from({ length: 12 }, (_, i) => `x${i} BOGUS`)),
    expect: [
      'x9 NO Error in IMAP command received by server.',
      '* BYE [ALERT] Fatal error: TOO MANY CONSECUTIVE PROTOCOL VIOLATIONS: ',
    ],
    absent: ['x10 NO Error in IMAP command received by server.'],
  },
  {
    name: 'a good command resets the violation count',
    input: wire(
      ...Array.from({ length: 9 }, (_, i) => `x${i} BOGUS`),
      'n NOOP',
      ...Array.from({ length: 9 }, (_, i) => `y${i} BOGUS`),
      'z LOGOUT',
    ),
    expect: [
      'n OK NOOP completed',
      'y8 NO Error in IMAP command received by server.',
      'z OK LOGOUT completed',
    ],
    absent: [/TOO MANY/],
  },
  {
    name: 'pipelined commands answered in order',
    input: wire('a SELECT INBOX', 'b FETCH 1:* (UID)', 'c UID FETCH 2 (FLAGS)', 'd LOGOUT'),
    expect: [
      'a OK [READ-WRITE] Ok',
      '* 1 FETCH (UID 1)',
      '* 2 FETCH (UID 2)',
      '* 3 FETCH (UID 3)',
      'b OK FETCH completed.',
      '* 2 FETCH (UID 2 FLAGS (\\Flagged \\Seen \\Recent))',
      'c OK FETCH completed.',
    ],
  },
  {
    name: 'synchronizing and non-synchronizing literals',
    input: `a SELECT {5}\r\nINBOX\r\nb EXAMINE {5+}\r\nINBOX\r\nc LOGOUT\r\n`,
    expect: ['+ OK', 'a OK [READ-WRITE] Ok', 'b OK [READ-ONLY] Ok', 'c OK LOGOUT completed'],
  },
  {
    name: 'APPEND refused before the continuation; APPEND streamed with APPENDUID',
    input: `s SELECT INBOX\r\na APPEND INBOX.Nope {7}\r\nb APPEND INBOX (\\Seen) {22}\r\nSubject: x\r\n\r\nhello\r\n\r\nc STATUS INBOX (MESSAGES UIDNEXT)\r\nd LOGOUT\r\n`,
    expect: [
      'a NO [TRYCREATE] Must create mailbox before append',
      '+ OK',
      /^b OK \[APPENDUID \d+ 4\] APPEND Ok\.$/,
      '* STATUS "INBOX" (MESSAGES 4 UIDNEXT 5)',
    ],
  },
  {
    name: 'sequence numbers past the end',
    input: wire('a SELECT INBOX', 'b FETCH 2:7 (UID)', 'c FETCH 4,1 (UID)', 'd LOGOUT'),
    expect: [
      '* 2 FETCH (UID 2)',
      '* 3 FETCH (UID 3)',
      '* NO Invalid message sequence number: 4',
      'b OK FETCH completed.',
      '* NO Invalid message sequence number: 4',
      '* 1 FETCH (UID 1)',
      'c OK FETCH completed.',
    ],
  },
  {
    name: 'body fetch sets \\Seen with a separate FETCH after the data',
    input: wire('a SELECT INBOX', 'b FETCH 3 (BODY[TEXT]<0.5>)', 'c LOGOUT'),
    expect: [
      '* 3 FETCH (BODY[TEXT]<0> {5}',
      '.A li)',
      '* 3 FETCH (FLAGS (\\Seen \\Recent))',
      'b OK FETCH completed.',
    ],
  },
  {
    name: 'IDLE ends at DONE in any case',
    input: wire('a IDLE', 'done', 'b LOGOUT'),
    expect: ['+ entering idle mode', 'a OK IDLE completed', 'b OK LOGOUT completed'],
  },
  {
    name: 'ENABLE UTF8=ACCEPT',
    input: wire('a ENABLE UTF8=ACCEPT', 'b LOGOUT'),
    expect: ['* ENABLED UTF8=ACCEPT', 'a OK Options enabled'],
  },
  {
    name: 'an atom over 16384 bytes is fatal',
    input: `a NOOP ${'x'.repeat(17000)}\r\nb NOOP\r\n`,
    expect: ['* BYE [ALERT] Fatal error: max atom size too small: No such file or directory'],
    absent: ['b OK NOOP completed'],
  },
  {
    name: 'STORE, EXPUNGE and the untagged updates',
    input: wire(
      'a SELECT INBOX',
      'b STORE 1 +FLAGS (\\Deleted)',
      'c EXPUNGE',
      'd FETCH 1:* (UID)',
      'e LOGOUT',
    ),
    expect: [
      '* 1 FETCH (FLAGS (\\Seen \\Deleted \\Recent))',
      'b OK STORE completed.',
      '* 1 EXPUNGE',
      '* 2 EXISTS',
      'c OK EXPUNGE completed',
      '* 1 FETCH (UID 2)',
      '* 2 FETCH (UID 3)',
    ],
  },
];

function assertInOrder(output: string, c: Case): void {
  const lines = output.split('\r\n');
  let at = 0;
  for (const want of c.expect) {
    const i = lines.findIndex((l, k) => k >= at && (typeof want === 'string' ? l === want : want.test(l)));
    assert.ok(i >= 0, `expected ${String(want)} after line ${at} in:\n${output}`);
    at = i + 1;
  }
  for (const bad of c.absent ?? []) {
    assert.ok(
      !lines.some((l) => (typeof bad === 'string' ? l === bad : bad.test(l))),
      `unexpected ${String(bad)} in:\n${output}`,
    );
  }
}

describe('imapd session engine', () => {
  for (const c of CASES) {
    for (const chunking of ['whole', 'bytes'] as const) {
      if (chunking === 'bytes' && c.input.length > 2000) continue;
      test(`${c.name} (${chunking})`, async () => {
        const r = await runEngine(c.input, chunking, c.env);
        assertInOrder(r.output, c);
      });
    }
  }
});
