import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeMutf7, encodeMutf7, InvalidMutf7Error } from '@courier-ts/maildir';

const PAIRS: Array<[string, string]> = [
  ['INBOX', 'INBOX'],
  ['Résumé', 'R&AOk-sum&AOk-'],
  ['Bad&Amp', 'Bad&-Amp'],
  ['&', '&-'],
  ['a\tb', 'a&AAk-b'],
  ['~peter/mail/日本語/台北', '~peter/mail/&ZeVnLIqe-/&U,BTFw-'],
  ['😀', '&2D3eAA-'],
  ['', ''],
];

describe('modified UTF-7', () => {
  for (const [utf8, wire] of PAIRS) {
    test(`${JSON.stringify(utf8)} <-> ${wire}`, () => {
      assert.equal(encodeMutf7(utf8), wire);
      assert.equal(decodeMutf7(wire), utf8);
    });
  }
  const BAD: Array<[string, string]> = [
    ['&AOk', 'unterminated'],
    ['&AO!-', 'bad base64 character'],
    ['&AGE-', 'printable ASCII'],
    ['&2D0-', 'unpaired surrogate'],
    ['&3gA-', 'unpaired surrogate'],
    ['caf\u00e9', '8-bit'],
    ['a\tb', 'non-printable'],
    ['&AOl-', 'padding'],
  ];
  for (const [input, why] of BAD) {
    test(`rejects ${JSON.stringify(input)} (${why})`, () => {
      assert.throws(
        () => decodeMutf7(input),
        (e: unknown) => e instanceof InvalidMutf7Error && e.code === 'INVALID_MUTF7',
      );
    });
  }
});
