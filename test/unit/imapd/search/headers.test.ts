// Header-level pieces: Date parsing, base subjects (RFC 5256 2.1), first mailbox, header blocks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { searchModule } from './imapd-internals.js';

type SD = typeof import('../../../../packages/imapd/src/search/sent-date.js');
type BS = typeof import('../../../../packages/imapd/src/search/base-subject.js');
type AD = typeof import('../../../../packages/imapd/src/search/address.js');
type HF = typeof import('../../../../packages/imapd/src/search/header-fields.js');
const { parseSentDate } = await searchModule<SD>('sent-date');
const { baseSubject, sortText } = await searchModule<BS>('base-subject');
const { firstMailbox } = await searchModule<AD>('address');
const { parseHeaderBlock, contentInfo } = await searchModule<HF>('header-fields');

describe('parseSentDate', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['Mon, 01 Jan 2024 10:00:00 +0000', '2024-01-01T10:00:00.000Z', '2024-1-1'],
    ['Tue, 02 Jan 2024 09:30:00 +0100', '2024-01-02T08:30:00.000Z', '2024-1-2'],
    ['Thu, 04 Jan 2024 08:00:00 -0500', '2024-01-04T13:00:00.000Z', '2024-1-4'],
    ['1 Jan 2024 00:30 +0200', '2023-12-31T22:30:00.000Z', '2024-1-1'],
    ['Sun, 31 Dec 23 23:00:00 GMT', '2023-12-31T23:00:00.000Z', '2023-12-31'],
    ['Fri, 5 Jan 2024 18:45:00 EST (comment)', '2024-01-05T23:45:00.000Z', '2024-1-5'],
    ['05 January 2024 18:45:00 PDT', '2024-01-06T01:45:00.000Z', '2024-1-5'],
    ['not a date', undefined, undefined],
    ['32 Jan 2024 10:00:00 +0000', undefined, undefined],
    ['', undefined, undefined],
  ];
  for (const [text, iso, day] of cases) {
    test(JSON.stringify(text), () => {
      const d = parseSentDate(text);
      assert.equal(d ? new Date(d.epochMs).toISOString() : undefined, iso);
      assert.equal(d ? `${d.year}-${d.month}-${d.day}` : undefined, day);
    });
  }
});

describe('baseSubject (RFC 5256 2.1)', () => {
  const cases: [string, string, boolean][] = [
    ['Project plan', 'Project plan', false],
    ['Re: Project plan', 'Project plan', true],
    ['re: RE: Fwd: Meeting', 'Meeting', true],
    ['Fw: x', 'x', true],
    ['[PATCH] Re: Project plan (fwd)', 'Project plan', true],
    ['Re: [list] Re: topic', 'topic', true],
    ['[list] topic', 'topic', false],
    ['[only blob]', '[only blob]', false],
    ['[fwd: Re: wrapped]', 'wrapped', true],
    ['Re:   spaced \t  out   ', 'spaced out', true],
    ['topic (fwd) (fwd)', 'topic', true],
    ['Re [x]: blob in leader', 'blob in leader', true],
    ['Reply: not a leader', 'Reply: not a leader', false],
    ['', '', false],
  ];
  for (const [subject, base, reply] of cases) {
    test(JSON.stringify(subject), () =>
      assert.deepEqual(baseSubject(subject), { base, isReplyOrForward: reply }),
    );
  }
  test('sortText upper-cases ASCII only', () => assert.equal(sortText('résumé Über ab'), 'RéSUMé ÜBER AB'));
});

describe('firstMailbox', () => {
  const cases: [string | undefined, string][] = [
    ['Alice Example <alice@example.com>', 'alice'],
    ['alice@example.com', 'alice'],
    ['"Doe, John" <john.doe@example.com>, other@example.com', 'john.doe'],
    ['Dave <dave@example.net>, Carol <carol@example.net>', 'dave'],
    ['undisclosed-recipients:;', ''],
    ['friends: bob@example.org, carol@example.net;', 'bob'],
    ['(comment) zed@example.com (another)', 'zed'],
    ['<@route.example:user@example.com>', 'user'],
    ['"quoted local"@example.com', 'quoted local'],
    ['localonly', 'localonly'],
    [undefined, ''],
  ];
  for (const [value, want] of cases)
    test(JSON.stringify(value), () => assert.equal(firstMailbox(value), want));
});

describe('header blocks', () => {
  test('unfolds, decodes encoded words, keeps raw values and CRLF-insensitive', () => {
    const block =
      'Subject: =?ISO-8859-1?Q?R=E9sum=E9?=\r\n  continued\r\nX-Empty:\r\nContent-Type: text/plain;\r\n\tcharset="koi8-r"\r\n\r\nbody';
    const f = parseHeaderBlock(block);
    assert.deepEqual(
      f.map((x) => [x.name, x.value]),
      [
        ['Subject', 'Résumé  continued'],
        ['X-Empty', ''],
        ['Content-Type', 'text/plain;\tcharset="koi8-r"'],
      ],
    );
    assert.deepEqual(contentInfo(f), {
      type: 'text/plain',
      boundary: undefined,
      charset: 'koi8-r',
      encoding: '7bit',
    });
  });
  test('defaults: no Content-Type is text/plain, a digest part message/rfc822', () => {
    assert.equal(contentInfo([]).type, 'text/plain');
    assert.equal(contentInfo([], 'message/rfc822').type, 'message/rfc822');
  });
});
