import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatBodyStructure, formatEnvelope, MimeScanner, type MimeStructure } from '@courier-ts/imapd';
import { fixturesDir } from '../../../support/paths.js';
import { rng } from '../../../support/rng.js';

const DIR = join(fixturesDir, 'imapd', 'mime');
const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith('.eml') && !f.startsWith('huge') && !f.startsWith('long') && !f.startsWith('too'))
  .map((f) => readFileSync(join(DIR, f)));
const NOISE = [
  '\n',
  '\r\n',
  '--',
  ';',
  '"',
  '(',
  ':',
  '\n\n',
  'boundary=',
  'MIME-Version: 1.0\n',
  '\xe9',
  '\x00',
];

function scanIn(bytes: Buffer, sizes: () => number): MimeStructure {
  const s = new MimeScanner();
  for (let i = 0; i < bytes.length; ) {
    const n = sizes();
    s.push(bytes.subarray(i, i + n));
    i += n;
  }
  return s.finish();
}

describe('MimeScanner fuzz (mutated corpus, fixed seed)', () => {
  test('never throws; structure and output independent of chunking; offsets ordered', () => {
    const next = rng(42);
    for (let round = 0; round < 300; round++) {
      const base = corpus[Math.floor(next() * corpus.length)]!.toString('latin1');
      let text = base;
      for (let k = 0; k < 1 + Math.floor(next() * 4); k++) {
        const at = Math.floor(next() * (text.length + 1));
        const cut = Math.floor(next() * 8);
        text = text.slice(0, at) + NOISE[Math.floor(next() * NOISE.length)]! + text.slice(at + cut);
      }
      const bytes = Buffer.from(text, 'latin1');
      const whole = scanIn(bytes, () => bytes.length || 1);
      const random = scanIn(bytes, () => 1 + Math.floor(next() * 50));
      assert.deepEqual(random, whole, `round ${round}`);
      formatEnvelope(whole.root.header ?? '');
      formatBodyStructure(whole.root, true);
      const walk = (p: MimeStructure['root']): void => {
        assert.ok(
          p.headerStart.raw <= p.bodyStart.raw || p.bodyStart.raw === p.bodyEnd.raw,
          `round ${round}`,
        );
        assert.ok(p.bodyEnd.crlf <= whole.size.crlf, `round ${round}`);
        assert.ok(p.size >= 0 && p.lines >= 0, `round ${round}`);
        for (const c of p.children) walk(c);
        if (p.message) walk(p.message);
      };
      walk(whole.root);
    }
  });
});
