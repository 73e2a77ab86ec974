import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareLines } from '../../compat/compare.js';
import { unifiedDiff } from '../../compat/diff.js';
import { renderLines, Transcript } from '../../compat/transcript.js';

describe('unifiedDiff', () => {
  test('equal inputs give no diff', () => {
    assert.equal(unifiedDiff(['a', 'b'], ['a', 'b']), '');
  });
  test('one changed line with context', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8'];
    const b = ['1', '2', '3', '4', 'X', '6', '7', '8'];
    assert.equal(
      unifiedDiff(a, b, 'courier', 'ours'),
      ['--- courier', '+++ ours', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+X', ' 6', ' 7', ' 8'].join(
        '\n',
      ),
    );
  });
  test('insertion at the end and deletion at the start', () => {
    assert.equal(
      unifiedDiff(['a', 'b'], ['b', 'c']),
      ['--- expected', '+++ actual', '@@ -1,2 +1,2 @@', '-a', ' b', '+c'].join('\n'),
    );
  });
  test('distant changes make separate hunks', () => {
    const a = Array.from({ length: 20 }, (_, i) => String(i));
    const b = [...a];
    b[1] = 'x';
    b[18] = 'y';
    const d = unifiedDiff(a, b);
    assert.equal(d.split('\n').filter((l) => l.startsWith('@@')).length, 2);
  });
});

describe('compareLines with deviations', () => {
  const dev = { pattern: /^S: a2 (NO|BAD) /, reason: 'BAD for syntax errors' };
  test('a listed deviation is left out on both sides', () => {
    const c = compareLines(['S: a1 OK', 'S: a2 NO Error'], ['S: a1 OK', 'S: a2 BAD Error'], [dev]);
    assert.ok(c.equal);
    assert.deepEqual(c.unusedDeviations, []);
    assert.equal(c.applied[0]!.lines, 2);
  });
  test("a rewrite turns our line into Courier's and still checks the rest", () => {
    const rw = { pattern: / MOVE UNSELECT(?= |$)/g, replacement: '', reason: 'extensions beyond Courier' };
    const ok = compareLines(
      ['S: * CAPABILITY IMAP4rev1 IDLE'],
      ['S: * CAPABILITY IMAP4rev1 IDLE MOVE UNSELECT'],
      [rw],
    );
    assert.ok(ok.equal);
    assert.equal(ok.applied[0]!.lines, 1);
    const bad = compareLines(
      ['S: * CAPABILITY IMAP4rev1 IDLE SORT'],
      ['S: * CAPABILITY IMAP4rev1 IDLE MOVE UNSELECT'],
      [rw],
    );
    assert.equal(bad.equal, false);
    assert.match(bad.diff, /^\+S: \* CAPABILITY IMAP4rev1 IDLE$/m);
  });
  test('an unlisted difference fails with a readable diff', () => {
    const c = compareLines(['S: a1 OK NOOP completed'], ['S: a1 OK Noop done'], [dev]);
    assert.equal(c.equal, false);
    assert.match(c.diff, /^-S: a1 OK NOOP completed$/m);
    assert.match(c.diff, /^\+S: a1 OK Noop done$/m);
    assert.deepEqual(c.unusedDeviations, [dev]);
  });
});

describe('transcript rendering', () => {
  const cases: Array<[string, string[]]> = [
    ['a OK\r\n', ['a OK']],
    ['a\r\nb\r\n', ['a', 'b']],
    ['bare\n', ['bare<LF>']],
    ['x\ry\r\n', ['x<CR>y']],
    ['cr cr lf\r\r\n', ['cr cr lf<CR>']],
    ['tail', ['tail<no-eol>']],
    ['\r\n', ['']],
  ];
  for (const [input, want] of cases)
    test(JSON.stringify(input), () => assert.deepEqual(renderLines(Buffer.from(input)), want));
  test('directions and notes', () => {
    const t = new Transcript();
    t.server(Buffer.from('* OK hi\r\n'));
    t.client(Buffer.from('a NOOP\r\n'));
    t.note('timeout');
    assert.deepEqual(t.render(), ['S: * OK hi', 'C: a NOOP', '!: timeout']);
  });
});
