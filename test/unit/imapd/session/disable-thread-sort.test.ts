// IMAP_DISABLETHREADSORT=1: SORT and THREAD stay advertised but are refused, after the state check
// and before their arguments are read, without counting as protocol violations. `COURIER` is
// /usr/bin/imapd 5.0.13's transcript of the same commands (UIDVALIDITY masked).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runEngine, wire } from './engine-helpers.js';

const INPUT = wire(
  'a SORT (DATE) UTF-8 ALL',
  'b SELECT INBOX',
  'c SORT',
  'd SORT (DATE) UTF-8 ALL',
  'e THREAD REFERENCES UTF-8 ALL',
  'f UID SORT (ARRIVAL) UTF-8 ALL',
  'g UID THREAD BOGUS UTF-8 ALL',
  'h SEARCH ALL',
  'i CAPABILITY',
  ...Array.from({ length: 10 }, (_, n) => `s${n} SORT (DATE) UTF-8 ALL`),
  'n NOOP',
);

const COURIER =
  'a NO Error in IMAP command received by server.\r\n* FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen \\Recent)\r\n* OK [PERMANENTFLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen)] Limited\r\n* 1 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY X] Ok\r\n* OK [MYRIGHTS "acdilrsw"] ACL\r\nb OK [READ-WRITE] Ok\r\nc NO This command is disabled by the system administrator.\r\nd NO This command is disabled by the system administrator.\r\ne NO This command is disabled by the system administrator.\r\nf NO This command is disabled by the system administrator.\r\ng NO This command is disabled by the system administrator.\r\n* SEARCH 1\r\nh OK SEARCH done.\r\n';

const CAPABILITY =
  'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE';

test('IMAP_DISABLETHREADSORT: advertised, refused as Courier', async () => {
  const env = { IMAP_DISABLETHREADSORT: '1', IMAP_CAPABILITY: CAPABILITY };
  const { output } = await runEngine(INPUT, 'whole', env, 'mime-corpus');
  const body = output.slice(output.indexOf('\r\n') + 2).replace(/(UIDVALIDITY) \d+/, '$1 X');
  // The corpus has 34 messages, Courier's run had one: compare around the SELECT data.
  assert.ok(body.startsWith(COURIER.slice(0, COURIER.indexOf('* FLAGS'))), body);
  const after = COURIER.slice(COURIER.indexOf('b OK [READ-WRITE] Ok'), COURIER.indexOf('* SEARCH'));
  assert.ok(body.includes(after), body);
  assert.match(body, /\r\n\* CAPABILITY IMAP4rev1 [^\r]*THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT /);
  // Ten refusals in a row are no protocol violations: the session goes on.
  assert.match(
    body,
    /s9 NO This command is disabled by the system administrator\.\r\nn OK NOOP completed\r\n/,
  );
});

test('without IMAP_DISABLETHREADSORT, SORT and THREAD run', async () => {
  const { output } = await runEngine(
    wire('b SELECT INBOX', 'd SORT (DATE) UTF-8 ALL', 'e THREAD REFERENCES UTF-8 1:2'),
    'whole',
    {},
    'mime-corpus',
  );
  assert.match(output, /\r\nd OK SORT done\.\r\n/);
  assert.match(output, /\r\ne OK THREAD done\.\r\n/);
});
