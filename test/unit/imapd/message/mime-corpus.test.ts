import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  filterHeaderBlock,
  formatBodyStructure,
  formatEnvelope,
  MimeScanner,
  type MimeStructure,
  parseSection,
  resolveSection,
} from '@courier-ts/imapd';
import { fixturesDir } from '../../../support/paths.js';

/**
 * The MIME torture corpus: every x.eml against x.expected, recorded from the real Courier
 * imapd by test/fixtures/imapd/mime/generate-expected.py. Items Courier gets wrong on purpose
 * differ as listed in DEVIATIONS.md; OVERRIDES holds our (RFC) value for exactly those.
 */
const DIR = join(fixturesDir, 'imapd', 'mime');
const CHUNKS = [Number.POSITIVE_INFINITY, 1, 7, 1000, 8192];

interface Expected {
  readonly items: Record<string, string>;
  readonly sections: Record<string, string>;
  readonly utf8: Record<string, string>;
}

/** fixture → item → our value, where DEVIATIONS.md says we differ from Courier. */
const GROUPS_RFC =
  '(NIL "groups" ((NIL NIL "x" "example.com")) ((NIL NIL "x" "example.com")) ((NIL NIL "x" "example.com")) ' +
  '((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) ((NIL NIL "Friends" NIL)(NIL NIL "alice" "example.com")' +
  '("Bob B" NIL "bob" "example.com")(NIL NIL NIL NIL)(NIL NIL "solo" "example.com")) ' +
  '((NIL NIL "Empty Group" NIL)(NIL NIL NIL NIL)) NIL NIL)';
const OVERRIDES: Record<string, Record<string, string>> = {
  groups: { ENVELOPE: GROUPS_RFC, 'utf8 ENVELOPE': GROUPS_RFC },
  'too-many-parts': { 'RFC822.SIZE': '13772' },
  'cr-in-mime-header': {
    BODY: '("text" "plain" ("name" "a b") NIL "one two" "8bit" 6 1)',
    BODYSTRUCTURE: '("text" "plain" ("name" "a b") NIL "one two" "8bit" 6 1 NIL NIL NIL)',
    'utf8 BODYSTRUCTURE': '("text" "plain" ("name" "a b") NIL "one two" "8bit" 6 1 NIL NIL NIL)',
  },
};

function scan(bytes: Buffer, chunk: number): MimeStructure {
  const s = new MimeScanner();
  const step = Number.isFinite(chunk) ? chunk : bytes.length;
  for (let i = 0; i < bytes.length; i += step) s.push(bytes.subarray(i, i + step));
  return s.finish();
}

function served(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
}

function section(bytes: Buffer, st: MimeStructure, spec: string): string {
  const sec = parseSection(spec);
  const target = resolveSection(st.root, sec.part, sec.specifier);
  if (target.kind === 'empty') return '';
  if (target.kind === 'range') {
    const all = served(bytes);
    return all.subarray(target.start.crlf, target.start.crlf + target.length).toString('latin1');
  }
  const header = bytes.subarray(target.part.headerStart.raw, target.part.bodyStart.raw);
  return filterHeaderBlock(header, target.filter, sec.fields).toString('latin1');
}

const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.eml'))
  .map((f) => f.slice(0, -4))
  .sort();

describe('MIME corpus against Courier', () => {
  test('the corpus is there', () => assert.ok(names.length >= 30, `${names.length} fixtures`));

  for (const name of names) {
    describe(name, () => {
      const bytes = readFileSync(join(DIR, `${name}.eml`));
      const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected`), 'utf8')) as Expected;
      const want = (item: string, courier: string | undefined): string | undefined =>
        OVERRIDES[name]?.[item] ?? courier;
      const st = scan(bytes, Number.POSITIVE_INFINITY);

      test('same structure for any chunking', () => {
        const whole = JSON.stringify(st);
        for (const c of CHUNKS.slice(1))
          assert.equal(JSON.stringify(scan(bytes, c)), whole, `chunks of ${c}`);
      });

      test('RFC822.SIZE', () =>
        assert.equal(String(st.size.crlf), want('RFC822.SIZE', expected.items['RFC822.SIZE'])));
      test('ENVELOPE', () =>
        assert.equal(formatEnvelope(st.root.header ?? ''), want('ENVELOPE', expected.items.ENVELOPE)));
      test('BODY', () =>
        assert.equal(formatBodyStructure(st.root, false), want('BODY', expected.items.BODY)));
      test('BODYSTRUCTURE', () =>
        assert.equal(
          formatBodyStructure(st.root, true),
          want('BODYSTRUCTURE', expected.items.BODYSTRUCTURE),
        ));
      test('ENVELOPE and BODYSTRUCTURE with UTF8=ACCEPT', () => {
        assert.equal(
          formatEnvelope(st.root.header ?? '', true),
          want('utf8 ENVELOPE', expected.utf8.ENVELOPE),
        );
        assert.equal(
          formatBodyStructure(st.root, true, true),
          want('utf8 BODYSTRUCTURE', expected.utf8.BODYSTRUCTURE),
        );
      });
      test('body sections', () => {
        for (const [spec, value] of Object.entries(expected.sections)) {
          assert.equal(section(bytes, st, spec), want(`BODY[${spec}]`, value), `BODY[${spec}]`);
        }
      });
    });
  }
});
