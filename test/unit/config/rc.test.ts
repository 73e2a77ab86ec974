import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadRcFile, parseRcText } from '@courier-ts/config';
import { configDir } from './helpers.js';

const MARK = '##NAME: MARKER:0\n';

const CASES: readonly {
  name: string;
  text: string;
  want: [string, string, number][];
  problems?: string[];
}[] = [
  {
    name: 'name and value',
    text: `${MARK}MYSQL_SERVER\tdb.example.com\n`,
    want: [['MYSQL_SERVER', 'db.example.com', 2]],
  },
  {
    name: 'spaces inside the value are kept',
    text: `${MARK}MYSQL_WHERE_CLAUSE  a = 1 and b = 2\n`,
    want: [['MYSQL_WHERE_CLAUSE', 'a = 1 and b = 2', 2]],
  },
  {
    name: 'trailing whitespace trimmed',
    text: `${MARK}MYSQL_PORT 3306 \t \n`,
    want: [['MYSQL_PORT', '3306', 2]],
  },
  { name: 'comments and blank lines', text: `${MARK}# c\n   # indented\n\nA 1\n`, want: [['A', '1', 5]] },
  { name: 'name without value', text: `${MARK}MYSQL_OPT\n`, want: [['MYSQL_OPT', '', 2]] },
  {
    name: 'first occurrence wins',
    text: `${MARK}A first\nA second\n`,
    want: [['A', 'first', 2]],
    problems: ['3:warning:first one'],
  },
  {
    name: 'backslash continues the value',
    text: `${MARK}MYSQL_SELECT_CLAUSE SELECT id, \\\n  crypt \\\n  FROM users\nB 1\n`,
    want: [
      ['MYSQL_SELECT_CLAUSE', 'SELECT id,    crypt    FROM users', 2],
      ['B', '1', 5],
    ],
  },
  {
    name: 'CRLF',
    text: `${MARK}A 1\r\nB 2\r\n`,
    want: [
      ['A', '1', 2],
      ['B', '2', 3],
    ],
  },
  { name: 'missing marker', text: 'A 1\n', want: [['A', '1', 1]], problems: ['0:error:##NAME'] },
];

describe('parseRcText', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const r = parseRcText(c.text);
      assert.deepEqual(
        r.assignments.map((a) => [a.key, a.value, a.line]),
        c.want,
      );
      const want = c.problems ?? [];
      assert.equal(r.problems.length, want.length, JSON.stringify(r.problems));
      want.forEach((w, i) => {
        const [line, severity, text] = w.split(':');
        assert.equal(r.problems[i]!.line ?? 0, Number(line));
        assert.equal(r.problems[i]!.severity, severity);
        assert.ok(r.problems[i]!.message.includes(text!), r.problems[i]!.message);
      });
    });
  }
});

describe('loadRcFile', () => {
  test('schema by file name: defaults, unknown keys with did-you-mean, bad values with file:line', async () => {
    const t = await configDir({
      authmysqlrc: `${MARK}MYSQL_SERVER localhost\nMYSQL_PORT abc\nMYSQL_USRENAME mail\n`,
    });
    try {
      const path = join(t.dir, 'authmysqlrc');
      const cfg = await loadRcFile(path);
      assert.equal(cfg.name, 'authmysqlrc');
      assert.equal(cfg.get('MYSQL_SERVER'), 'localhost');
      assert.equal(cfg.get('MYSQL_UID_FIELD'), 'uid');
      assert.equal(cfg.entry('MYSQL_UID_FIELD')?.source.kind, 'default');
      assert.deepEqual(cfg.entry('MYSQL_SERVER')?.source, { kind: 'file', file: path, line: 2 });
      const msgs = cfg.problems.map((p) => `${p.line}:${p.severity}:${p.message}`);
      assert.equal(msgs.length, 2, msgs.join('\n'));
      assert.match(msgs[0]!, /^3:error:MYSQL_PORT: 'abc' is not an integer/);
      assert.match(msgs[1]!, /^4:warning:unknown key MYSQL_USRENAME .*did you mean MYSQL_USERNAME\?/);
      assert.equal(cfg.problems[1]!.suggestion, 'MYSQL_USERNAME');
    } finally {
      await t.cleanup();
    }
  });

  test('ldap file with an explicit kind and a missing marker', async () => {
    const t = await configDir({ 'ldap.conf': 'LDAP_URI ldap://localhost\nLDAP_TLS 1\n' });
    try {
      const cfg = await loadRcFile(join(t.dir, 'ldap.conf'), { kind: 'authldaprc' });
      assert.equal(cfg.get('LDAP_TLS'), '1');
      assert.equal(cfg.getBool('LDAP_TLS'), true);
      assert.equal(cfg.get('LDAP_TIMEOUT'), '5');
      assert.equal(cfg.hasErrors(), true);
      assert.match(cfg.problems[0]!.message, /##NAME/);
    } finally {
      await t.cleanup();
    }
  });

  test('a file name that names no module needs an explicit kind', async () => {
    await assert.rejects(
      loadRcFile('/etc/courier/whatever.conf'),
      (err: unknown) => err instanceof ConfigError,
    );
    const cfg = await loadRcFile('/nonexistent/authsqliterc.local');
    assert.equal(cfg.name, 'authsqliterc');
  });

  test('a missing file is a warning, not an exception', async () => {
    const cfg = await loadRcFile('/nonexistent/authpgsqlrc');
    assert.equal(cfg.files[0]!.status, 'missing');
    assert.deepEqual(
      cfg.problems.map((p) => p.severity),
      ['warning'],
    );
    assert.equal(cfg.get('PGSQL_LOGIN_FIELD'), 'id');
  });
});
