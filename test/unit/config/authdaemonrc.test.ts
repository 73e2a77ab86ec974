import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadAuthdaemonrc, readAuthdaemondView } from '@courier-ts/config';
import { configDir } from './helpers.js';

describe("readAuthdaemondView (authdaemond's own parser)", () => {
  test('comments anywhere, quotes to the next quote, no expansion', () => {
    const v = readAuthdaemondView(
      '# x\nauthmodulelist="authuserdb authpam"\ndaemons= 5 # five\nA=x#y\nB="$C"\n\n',
    );
    assert.deepEqual(
      v.lines.map((l) => [l.name, l.value, l.line]),
      [
        ['authmodulelist', 'authuserdb authpam', 2],
        ['daemons', '5', 3],
        ['A', 'x', 4],
        ['B', '$C', 5],
      ],
    );
    assert.deepEqual(v.badLines, []);
  });

  test('lines without = are reported', () => {
    assert.deepEqual(readAuthdaemondView('ok=1\noops\n').badLines, [2]);
  });
});

describe('loadAuthdaemonrc', () => {
  test("sh reading, defaults, and differences from the daemon's reading", async () => {
    const t = await configDir({
      authdaemonrc: [
        'authmodulelist="authuserdb"#x', // sh: authuserdb#x ; daemon: "authuserdb" (comment)
        'daemons=3',
        "DEFAULTOPTIONS='disablepop3=1'",
        'DEBUG_LOGIN=7',
        'authmodulelistorig="authuserdb authfoo"',
        '',
      ].join('\n'),
    });
    try {
      const cfg = await loadAuthdaemonrc({ configDir: t.dir, env: {} });
      assert.equal(cfg.get('authmodulelist'), 'authuserdb#x');
      assert.equal(cfg.getInt('daemons'), 3);
      assert.equal(cfg.get('DEFAULTOPTIONS'), 'disablepop3=1');
      assert.equal(cfg.get('LOGGEROPTS'), '');
      assert.equal(cfg.entry('LOGGEROPTS')?.source.kind, 'default');
      const lines = cfg.problems.map((p) => `${p.line}:${p.severity}:${p.message}`);
      assert.equal(lines.length, 4, lines.join('\n'));
      assert.match(lines[0]!, /^1:error:authmodulelist: unknown value 'authuserdb#x'/);
      assert.match(
        lines[1]!,
        /^1:warning:authdaemond reads authmodulelist as 'authuserdb' but sh reads 'authuserdb#x'/,
      );
      assert.match(lines[2]!, /^4:error:DEBUG_LOGIN: '7' is not one of 0, 1, 2/);
      assert.match(lines[3]!, /^5:error:authmodulelistorig: unknown value 'authfoo'/);
    } finally {
      await t.cleanup();
    }
  });

  test('a line the daemon rejects is an error; env overrides', async () => {
    const t = await configDir({ authdaemonrc: 'authmodulelist="authuserdb"\nexport DEBUG_LOGIN\n' });
    try {
      const cfg = await loadAuthdaemonrc({ configDir: t.dir, env: { DEBUG_LOGIN: '2' } });
      assert.equal(cfg.get('DEBUG_LOGIN'), '2');
      assert.deepEqual(cfg.entry('DEBUG_LOGIN')?.source, { kind: 'env' });
      assert.deepEqual(
        cfg.problems.map((p) => [p.line, p.severity]),
        [[2, 'error']],
      );
      assert.match(cfg.problems[0]!.message, /authdaemond refuses to start/);
    } finally {
      await t.cleanup();
    }
  });
});
