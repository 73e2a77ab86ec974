// FETCH body sections through the whole session (file read, MIME scan, section, served form) for
// every message of the MIME torture corpus, against the values recorded from Courier's imapd
// (test/fixtures/imapd/mime/*.expected; maildir fixture mime-corpus holds the same files).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixturesDir } from '../../../support/paths.js';
import { runEngine } from '../session/engine-helpers.js';

const MIME = join(fixturesDir, 'imapd', 'mime');
const CUR = join(fixturesDir, 'maildirs', 'mime-corpus', 'cur');

interface Expected {
  readonly items: Record<string, string>;
  readonly sections: Record<string, string>;
}

/** `* n FETCH (BODY[...] {len}\r\n<data>)` replies of one tag's command, in order. */
export function literals(output: string): string[] {
  const out: string[] = [];
  const re = /^\* \d+ FETCH \(.*? \{(\d+)\}\r\n/gm;
  for (let m = re.exec(output); m !== null; m = re.exec(output)) {
    const start = m.index + m[0].length;
    out.push(output.slice(start, start + Number(m[1])));
    re.lastIndex = start + Number(m[1]);
  }
  return out;
}

const files = readdirSync(CUR).sort();
const cases: { seq: number; name: string; spec: string; want: string }[] = [];
files.forEach((file, i) => {
  const name = file.replace(/^[^.]+\.[^.]+\.([^:]+):.*$/, '$1');
  const expected = JSON.parse(readFileSync(join(MIME, `${name}.expected`), 'utf8')) as Expected;
  for (const [spec, want] of Object.entries(expected.sections)) cases.push({ seq: i + 1, name, spec, want });
});

describe('FETCH sections of the MIME corpus through the session, as Courier', async () => {
  const input = [
    'a EXAMINE INBOX',
    ...cases.map((c, i) => `f${i} FETCH ${c.seq} (BODY.PEEK[${c.spec}])`),
    'z LOGOUT',
  ]
    .map((l) => `${l}\r\n`)
    .join('');
  const { output } = await runEngine(input, 'whole', {}, 'mime-corpus');
  const got = literals(output);

  test('one literal per request', () => assert.equal(got.length, cases.length));
  const byName = new Map<string, number[]>();
  cases.forEach((c, i) => {
    byName.set(c.name, [...(byName.get(c.name) ?? []), i]);
  });
  for (const [name, idx] of byName) {
    test(name, () => {
      for (const i of idx) {
        const c = cases[i]!;
        assert.equal(JSON.stringify(got[i]), JSON.stringify(c.want), `${name} BODY[${c.spec}]`);
      }
    });
  }
});

/**
 * RFC822.HEADER per corpus message, from Courier: [seq, size, sha256 prefix]. Courier reads it up
 * to the first empty stored line, else the whole file (no blank line, CRLF files), so it is not
 * BODY[HEADER] (header-only: 88 against 87; crlf-multipart: 264 against 135).
 */
const RFC822_HEADER: readonly [number, number, string][] = [
  [1, 317, 'feb3bacbdd15dc44'],
  [2, 536, 'dc3fba511463ddcb'],
  [3, 131, '78b1309a07a199f4'],
  [4, 264, 'bc114003989abf5c'],
  [5, 106, '065f0e0712672228'],
  [6, 109, '7a8468a0634f2016'],
  [7, 63, '34bbd127ce74fd6b'],
  [8, 107, 'd6abbbebdbf0cf23'],
  [9, 244, 'ad678777816cbcf4'],
  [10, 220, '4c7b6b71daf3f62a'],
  [11, 187, 'c2fa748ff426a9aa'],
  [12, 54, '3ab6643f608550c6'],
  [13, 88, '516f67643625b6e6'],
  [14, 31964, '689f05ebd6c0ffc6'],
  [15, 65, '4b1c10f1fc70b359'],
  [16, 131, '7a06425e3740a412'],
  [17, 110, 'b32a205a3ff991dd'],
  [18, 114, '194a9de749b7b527'],
  [19, 136, '597072760e941d24'],
  [20, 115, 'a9617291d15481de'],
  [21, 189, '780576436c0e1cb7'],
  [22, 86, '2cf4a8c2062e0239'],
  [23, 163, '01fdc8f688b6d77b'],
  [24, 106, '6dfcfdb2d44fd689'],
  [25, 110, '1db49291ef13ca46'],
  [26, 60, '80e77f164eac9627'],
  [27, 113, 'f91c5c4a7d130981'],
  [28, 219, 'f4fd02df3ff52ebb'],
  [29, 251, 'a5cdb57361685d79'],
  [30, 104, '8f75aef24ad656db'],
  [31, 262, '5e90863d4eb2b972'],
  [32, 105, '5cad6a902be1435c'],
  [33, 104, '0983b49bde2dec4b'],
  [34, 122, '2eae7fc69513767d'],
];

test('RFC822.HEADER of the MIME corpus as Courier', async () => {
  const { output } = await runEngine(
    'a EXAMINE INBOX\r\nb FETCH 1:* (RFC822.HEADER)\r\nz LOGOUT\r\n',
    'whole',
    {},
    'mime-corpus',
  );
  const got = literals(output).map((l, i) => [
    i + 1,
    Buffer.byteLength(l, 'latin1'),
    createHash('sha256').update(l, 'latin1').digest('hex').slice(0, 16),
  ]);
  assert.deepEqual(got, RFC822_HEADER);
});
