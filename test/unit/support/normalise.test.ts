import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  normaliseFileName,
  normaliseState,
  normaliseTranscript,
  optionalRuleIds,
  STATE_RULES,
  TRANSCRIPT_RULES,
} from '../../compat/normalise.js';

const ctx = { hostnames: ['mail.example.net', 'courier-ts.test'], masks: [] as string[] };
const cram = Buffer.from('<1896.697170952@mail.example.net>').toString('base64');

describe('normaliseTranscript', () => {
  const cases: Array<[string, string | null, string[]?]> = [
    ['S: * OK [UIDVALIDITY 795848503] Ok', 'S: * OK [UIDVALIDITY <uidvalidity>] Ok'],
    [
      'S: * STATUS "INBOX" (MESSAGES 20 RECENT 20 UIDNEXT 21 UIDVALIDITY 795848502 UNSEEN 19)',
      'S: * STATUS "INBOX" (MESSAGES 20 RECENT 20 UIDNEXT 21 UIDVALIDITY <uidvalidity> UNSEEN 19)',
    ],
    ['S: a5 OK [APPENDUID 795848503 4] APPEND Ok.', 'S: a5 OK [APPENDUID <uidvalidity> 4] APPEND Ok.'],
    [
      'S: c OK [COPYUID 795848503 1:2,4 6:8] COPY completed.',
      'S: c OK [COPYUID <uidvalidity> 1:2,4 6:8] COPY completed.',
    ],
    ['S: 1 UID1-1795853239', 'S: 1 UID1-<uidvalidity>'],
    ['S: +OK 2 UID2-1795849233', 'S: +OK 2 UID2-<uidvalidity>'],
    ['C: UIDL 2', 'C: UIDL 2'],
    ['S: * BYE mail.example.net shutting down', 'S: * BYE <hostname> shutting down'],
    [`S: + ${cram}`, 'S: + <cram-challenge>'],
    ['S: + VXNlcm5hbWU6', 'S: + VXNlcm5hbWU6'],
    ['S: * OK Still here', null],
    [
      'S: * 1 FETCH (INTERNALDATE "14-Nov-2023 22:13:20 +0000")',
      'S: * 1 FETCH (INTERNALDATE "14-Nov-2023 22:13:20 +0000")',
    ],
    [
      'S: * 1 FETCH (INTERNALDATE "14-Nov-2023 22:13:20 +0000")',
      'S: * 1 FETCH (INTERNALDATE "<date>")',
      ['internaldate'],
    ],
    ['S: Date: Sat, 28 Nov 2026 08:00:00 +0000', 'S: Date: <date>', ['date-header']],
    ['S: Date: Sat, 28 Nov 2026 08:00:00 +0000', 'S: Date: Sat, 28 Nov 2026 08:00:00 +0000'],
    ['S: * 3 EXISTS', 'S: * 3 EXISTS'],
  ];
  for (const [input, want, masks] of cases) {
    test(`${input}${masks ? ` [${masks}]` : ''}`, () => {
      const got = normaliseTranscript([input], { ...ctx, masks: masks ?? [] });
      assert.deepEqual(got, want === null ? [] : [want]);
    });
  }

  test('UIDVALIDITY values the fixture already had are kept', () => {
    const known = { ...ctx, knownValidities: ['690000000'] };
    assert.deepEqual(
      normaliseTranscript(
        ['S: * OK [UIDVALIDITY 690000000] Ok', 'S: * OK [UIDVALIDITY 795848503] Ok'],
        known,
      ),
      ['S: * OK [UIDVALIDITY 690000000] Ok', 'S: * OK [UIDVALIDITY <uidvalidity>] Ok'],
    );
    assert.deepEqual(normaliseState('courierimapuiddb', ['  | 1 690000000 11'], known), [
      '  | 1 690000000 11',
    ]);
  });

  test('rule ids are unique and every rule is described', () => {
    const ids = [...TRANSCRIPT_RULES, ...STATE_RULES].map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of [...TRANSCRIPT_RULES, ...STATE_RULES]) assert.ok(r.description.length > 10, r.id);
    assert.deepEqual(optionalRuleIds(), ['internaldate', 'date-header']);
  });
});

describe('normaliseState', () => {
  test('courierimapuiddb header keeps version and nextuid', () => {
    assert.deepEqual(
      normaliseState('courierimapuiddb', ['courierimapuiddb 0644', '  | 1 795848503 5', '  | 1 x'], ctx),
      ['courierimapuiddb 0644', '  | 1 <uidvalidity> 5', '  | 1 x'],
    );
  });
  test('the uiddb rule does not touch other files', () => {
    assert.deepEqual(normaliseState('maildirsize', ['  | 1 2048 3'], ctx), ['  | 1 2048 3']);
  });
  test('courierpop3dsizelist header and entries', () => {
    assert.deepEqual(
      normaliseState(
        '.Sent/courierpop3dsizelist',
        ['  | /3 4 1795853239', '  | a:2,S 356 1:1795853239:0'],
        ctx,
      ),
      ['  | /3 4 <uidvalidity>', '  | a:2,S 356 1:<uidvalidity>:0'],
    );
  });
  test('aged keyword update files', () => {
    assert.deepEqual(
      normaliseState('courierimapkeywords/.5985847.x', ['courierimapkeywords/.5985847.x 0644'], ctx),
      ['courierimapkeywords/.<bucket>.x 0644'],
    );
  });
});

describe('normaliseFileName', () => {
  const known = new Set(['1700000000.M100P200.fixture']);
  const cases: Array<[string, string]> = [
    ['1700000000.M100P200.fixture,S=342:2,S', '1700000000.M100P200.fixture,S=342:2,S'],
    ['1795853300.M712345P4242V0000000000000803I00000000001A2B3C_0.host1,S=61:2,F', '<new>,S=61:2,F'],
    ['1795853300.M1P4242.courier-ts.test,S=61', '<new>,S=61'],
    ['1795853300.M1P4242_12.h:2,', '<new>:2,'],
    ['courierimapuiddb', 'courierimapuiddb'],
    ['.5985847.1795853300.M1P4242_2.h,S=223', '.5985847.<new>,S=223'],
    ['.5985847.1700000000.M100P200.fixture,S=342', '.5985847.1700000000.M100P200.fixture,S=342'],
    ['.Sent', '.Sent'],
  ];
  for (const [input, want] of cases) test(input, () => assert.equal(normaliseFileName(input, known), want));
});

describe('block rules', () => {
  test('consecutive LIST responses are sorted, other lines keep their place', () => {
    const got = normaliseTranscript(
      [
        'C: a LIST "" "*"',
        'S: * LIST (\\HasNoChildren) "." "INBOX.Work"',
        'S: * LIST (\\Marked \\HasChildren) "." "INBOX"',
        'S: a OK LIST completed',
        'S: * LSUB () "." "b"',
        'S: * LSUB () "." "a"',
      ],
      ctx,
    );
    assert.deepEqual(got, [
      'C: a LIST "" "*"',
      'S: * LIST (\\HasNoChildren) "." "INBOX.Work"',
      'S: * LIST (\\Marked \\HasChildren) "." "INBOX"',
      'S: a OK LIST completed',
      'S: * LSUB () "." "a"',
      'S: * LSUB () "." "b"',
    ]);
  });
});
