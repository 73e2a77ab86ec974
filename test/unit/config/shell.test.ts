// biome-ignore-all lint/suspicious/noTemplateCurlyInString: sh ${...} syntax is what these strings test
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readShellText } from '@courier-ts/config';

interface Case {
  readonly name: string;
  readonly text: string;
  readonly env?: Record<string, string>;
  readonly vars?: Record<string, string>;
  /** Expected key -> value after the file (the last assignment of each key). */
  readonly want: Record<string, string>;
  /** Expected problems as "line:severity:substring". */
  readonly problems?: readonly string[];
  /** False when our reading deliberately differs from sh (env wins inside expansions, CRLF). */
  readonly sh?: false;
}

const CASES: readonly Case[] = [
  { name: 'plain assignment', text: 'PORT=143\n', want: { PORT: '143' } },
  { name: 'no trailing newline', text: 'PORT=143', want: { PORT: '143' } },
  { name: 'empty value', text: 'A=\nB=""\nC=\'\'\n', want: { A: '', B: '', C: '' } },
  {
    name: 'double quotes keep spaces',
    text: 'TCPDOPTS="-nodnslookup -noidentlookup"\n',
    want: { TCPDOPTS: '-nodnslookup -noidentlookup' },
  },
  {
    name: 'single quotes are literal',
    text: 'A=\'$HOME \\n "x"\'\n',
    env: { HOME: '/h' },
    want: { A: '$HOME \\n "x"' },
  },
  {
    name: 'Debian IMAP_CAPABILITY_TLS expands the earlier key',
    text: 'IMAP_CAPABILITY="IMAP4rev1 IDLE"\nIMAP_CAPABILITY_TLS="$IMAP_CAPABILITY AUTH=PLAIN"\n',
    want: { IMAP_CAPABILITY: 'IMAP4rev1 IDLE', IMAP_CAPABILITY_TLS: 'IMAP4rev1 IDLE AUTH=PLAIN' },
  },
  { name: '${VAR} form', text: 'A=x\nB="${A}y"\nC=${A}z\n', want: { A: 'x', B: 'xy', C: 'xz' } },
  { name: 'unset variable expands to nothing', text: 'B="[$NOPE]"\n', want: { B: '[]' } },
  {
    name: '${VAR:-default}',
    text: 'A=\nB=${A:-dflt}\nC=${A-kept}\nD=${NOPE:-"two words"}\n',
    want: { A: '', B: 'dflt', C: '', D: 'two words' },
  },
  { name: '${VAR:+alt}', text: 'A=1\nB=${A:+yes}\nC=${NOPE:+yes}\n', want: { A: '1', B: 'yes', C: '' } },
  {
    name: 'expansion is not re-split or re-expanded',
    text: "A='$B x'\nC=$A\n",
    want: { A: '$B x', C: '$B x' },
  },
  { name: 'later key does not affect earlier expansion', text: 'A="$B"\nB=1\n', want: { A: '', B: '1' } },
  {
    name: 'env is visible to expansion',
    text: 'A="$HOME/Maildir"\n',
    env: { HOME: '/home/u' },
    want: { A: '/home/u/Maildir' },
  },
  {
    name: 'env wins over an earlier file value inside expansions',
    text: 'A=file\nB="$A!"\n',
    env: { A: 'env' },
    want: { A: 'file', B: 'env!' },
    sh: false,
  },
  { name: 'vars from a previous file', text: 'B="$A+"\n', vars: { A: 'base' }, want: { B: 'base+' } },
  {
    name: 'backslash escapes inside double quotes',
    text: 'A="a\\"b \\$c \\\\ \\n"\n',
    want: { A: 'a"b $c \\ \\n' },
  },
  { name: 'backslash outside quotes', text: 'A=a\\ b\\$c\n', want: { A: 'a b$c' } },
  {
    name: 'adjacent quoted parts concatenate',
    text: 'A="x y"\'$z\'w"$Q"\n',
    env: { Q: 'q' },
    want: { A: 'x y$zwq' },
  },
  {
    name: 'comment lines and trailing comments',
    text: '# c\n  # indented\nA=1 # trailing\nB=2#kept\n',
    want: { A: '1', B: '2#kept' },
  },
  { name: '# at value start is kept', text: 'A=#x\n', want: { A: '#x' } },
  { name: '# inside quotes is kept', text: 'A="1 # 2"\n', want: { A: '1 # 2' } },
  {
    name: '##NAME markers are comments',
    text: '##VERSION: $Id: x$\n##NAME: PORT:1\nPORT=143\n',
    want: { PORT: '143' },
  },
  {
    name: 'blank lines and CRLF',
    text: '\n\nA=1\r\nB=2\r\n',
    want: { A: '1', B: '2' },
    problems: ['3:warning:carriage return'],
    sh: false,
  },
  { name: 'two assignments on a line', text: 'A=1 B=$A\n', want: { A: '1', B: '1' } },
  { name: 'semicolons separate statements', text: 'A=1; B=2\n', want: { A: '1', B: '2' } },
  { name: 'export and set -a style', text: 'export A=1 B\nexport C\n', want: { A: '1' } },
  { name: 'multi-line double quotes', text: 'A="one\ntwo"\nB=3\n', want: { A: 'one\ntwo', B: '3' } },
  { name: 'backslash-newline continuation', text: 'A=one\\\ntwo\nB=3\n', want: { A: 'onetwo', B: '3' } },
  { name: 'last assignment wins', text: 'A=1\nA=2\n', want: { A: '2' } },
  {
    name: 'key = value form with spaces (warning)',
    text: 'address = 192.0.2.1\nMAILDIRPATH=Maildir\n',
    want: { address: '192.0.2.1', MAILDIRPATH: 'Maildir' },
    problems: ['1:warning:spaces around'],
  },
  {
    name: 'key =value and key= value',
    text: 'a =1\nb= two words\n',
    want: { a: '1', b: 'two words' },
    problems: ['1:warning:', '2:warning:'],
  },
  { name: 'key = "quoted value"', text: 'port = "1 2"\n', want: { port: '1 2' }, problems: ['1:warning:'] },
  { name: 'lower-case key is kept as written', text: 'daemons=5\n', want: { daemons: '5' } },
  {
    name: 'unquoted space runs a command: error, not applied',
    text: 'IMAP_CAPABILITY=IMAP4rev1 IDLE\nB=1\n',
    want: { B: '1' },
    problems: ['1:error:unquoted space in the value of IMAP_CAPABILITY'],
  },
  {
    name: 'a bare word is not an assignment',
    text: 'hello\nB=1\n',
    want: { B: '1' },
    problems: ['1:error:not an assignment'],
  },
  {
    name: 'command substitution is reported',
    text: 'A=$(date)\nB=`date`\nC=1\n',
    want: { C: '1' },
    problems: ['1:error:$(...)', '2:error:`'],
  },
  { name: 'pipes are reported', text: 'A=1 | cat\nB=2\n', want: { B: '2' }, problems: ['1:error:operator'] },
  {
    name: 'special parameters are reported',
    text: 'A=$1\nB=$$\n',
    want: {},
    problems: ['1:error:$1', '2:error:$$'],
  },
  {
    name: 'unterminated double quote stops the file',
    text: 'A=1\nB="oops\nC=3\n',
    want: { A: '1' },
    problems: ['2:error:unterminated double quote'],
  },
  {
    name: 'unterminated single quote',
    text: "A='x\n",
    want: {},
    problems: ['1:error:unterminated single quote'],
  },
  { name: 'lone $ is literal', text: 'A="cost $ 5" B=a$\n', want: { A: 'cost $ 5', B: 'a$' } },
  {
    name: 'several problems are all reported',
    text: 'A=$(x)\nok=1\nB=one two\nc = 3\n',
    want: { ok: '1', c: '3' },
    problems: ['1:error:', '3:error:', '4:warning:'],
  },
];

describe('readShellText', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const r = readShellText(c.text, {
        ...(c.env ? { overrides: c.env } : {}),
        ...(c.vars ? { vars: new Map(Object.entries(c.vars)) } : {}),
      });
      const got: Record<string, string> = {};
      for (const a of r.assignments) got[a.key] = a.value;
      assert.deepEqual(got, c.want);
      const want = c.problems ?? [];
      assert.equal(r.problems.length, want.length, JSON.stringify(r.problems));
      want.forEach((w, i) => {
        const [line, severity, ...rest] = w.split(':');
        const p = r.problems[i]!;
        assert.equal(p.line, Number(line), JSON.stringify(p));
        assert.equal(p.severity, severity);
        assert.ok(p.message.includes(rest.join(':')), `${p.message} should contain ${rest.join(':')}`);
      });
    });
  }

  test('line numbers of assignments (multi-line values count from their first line)', () => {
    const r = readShellText('# x\n\nA="1\n2"\nB=3 C=4\n');
    assert.deepEqual(
      r.assignments.map((a) => [a.key, a.line]),
      [
        ['A', 3],
        ['B', 5],
        ['C', 5],
      ],
    );
  });

  test('spaced assignments are flagged as such', () => {
    const r = readShellText('a = 1\nB=2\n');
    assert.deepEqual(
      r.assignments.map((a) => a.spaced),
      [true, false],
    );
  });

  test('unset references are recorded, guarded ones are not', () => {
    const r = readShellText('A="$X"\nB=${Y:-z}\n');
    assert.deepEqual(r.unsetReferences, [{ name: 'X', line: 1 }]);
  });

  test('the input vars map is not modified', () => {
    const vars = new Map([['A', '1']]);
    const r = readShellText('A=2\nB=3\n', { vars });
    assert.deepEqual([...vars], [['A', '1']]);
    assert.equal(r.vars.get('A'), '2');
  });
});

/** What /bin/sh itself assigns when it sources the text with `set -a` (values of the given keys). */
function shAssignments(
  text: string,
  env: Record<string, string>,
  keys: readonly string[],
): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'courier-ts-sh-'));
  try {
    const file = join(dir, 'conf');
    writeFileSync(file, text);
    const script = `set -a; . "$0"; for k in ${keys.join(' ')}; do eval "v=\\\${$k-__UNSET__}"; printf '%s=%s\\0' "$k" "$v"; done`;
    const r = spawnSync('/bin/sh', ['-c', script, file], { env, encoding: 'utf8' });
    const out: Record<string, string> = {};
    for (const item of r.stdout.split('\0')) {
      const eq = item.indexOf('=');
      if (eq > 0 && item.slice(eq + 1) !== '__UNSET__') out[item.slice(0, eq)] = item.slice(eq + 1);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('readShellText agrees with /bin/sh', () => {
  for (const c of CASES) {
    const valid = c.sh !== false && !c.vars && (c.problems ?? []).every((p) => !p.includes('error'));
    const spaced = (c.problems ?? []).some((p) => p.includes('warning'));
    if (!valid || spaced) continue;
    test(c.name, () => {
      const keys = Object.keys(c.want);
      assert.deepEqual(shAssignments(c.text, c.env ?? {}, keys), c.want);
    });
  }
});
