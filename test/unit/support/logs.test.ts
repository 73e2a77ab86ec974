import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { userdbLine } from '../../support/config-dir.js';
import { LogCapture, parseLogLine } from '../../support/logs.js';

describe('parseLogLine', () => {
  const cases: Array<[string, number, string]> = [
    ['{"level":30,"msg":"LOGIN, user=a"}', 30, 'LOGIN, user=a'],
    ['{"level":50,"msg":"connection failed"}', 50, 'connection failed'],
    ['{"level":"error","msg":"boom"}', 50, 'boom'],
    ['{"level":"warn","msg":"careful"}', 40, 'careful'],
    ['{"level":60}', 60, ''],
    [
      'INFO: LOGIN, user=testuser, ip=[::ffff:127.0.0.1]',
      30,
      'INFO: LOGIN, user=testuser, ip=[::ffff:127.0.0.1]',
    ],
    [
      "ERR: testuser: Account's mailbox directory is not owned",
      50,
      "ERR: testuser: Account's mailbox directory is not owned",
    ],
    ['TypeError: x is not a function', 50, 'TypeError: x is not a function'],
    ['node:internal/process/promises:289', 50, 'node:internal/process/promises:289'],
    ['DEBUG: Connection, ip=[::ffff:127.0.0.1]', 20, 'DEBUG: Connection, ip=[::ffff:127.0.0.1]'],
    ['{not json', 30, '{not json'],
  ];
  for (const [raw, level, msg] of cases) {
    test(raw, () => {
      const e = parseLogLine(raw, 'stderr');
      assert.equal(e.level, level);
      assert.equal(e.msg, msg);
    });
  }
});

describe('LogCapture', () => {
  test('splits chunks into lines, reports unexpected errors, honours allowed ones', async () => {
    const s = new PassThrough();
    const cap = new LogCapture();
    cap.attach(s, 'stdout');
    s.write('{"level":30,"msg":"a"}\n{"level":50,"ms');
    s.write('g":"TLS disabled"}\n{"level":50,"msg":"lost data"}');
    s.end();
    await new Promise((r) => setImmediate(r));
    assert.equal(cap.entries.length, 3);
    assert.deepEqual(
      cap.unexpectedErrors([/TLS disabled/]).map((e) => e.msg),
      ['lost data'],
    );
    assert.throws(
      () => cap.assertNoErrors([/TLS disabled/], 'imapd'),
      /imapd logged 1 unexpected error line/,
    );
    assert.doesNotThrow(() => cap.assertNoErrors([/TLS disabled/, /lost/]));
    assert.equal((await cap.waitFor((e) => e.msg === 'a', 10))?.level, 30);
    assert.equal(await cap.waitFor((e) => e.msg === 'never', 10), undefined);
  });
});

describe('userdbLine', () => {
  test('Courier userdb text form, password last', () => {
    assert.equal(
      userdbLine({
        name: 'testuser',
        uid: 995,
        gid: 994,
        home: '/h',
        maildir: '/h/Maildir',
        extra: { quota: '1000S' },
      }),
      'testuser\tuid=995|gid=994|home=/h|mail=/h/Maildir|quota=1000S|systempw=$1$UOUAAfe6$NZIEGBplpVrIh5vHQuv6E.',
    );
  });
});
