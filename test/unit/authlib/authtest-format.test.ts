import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReplyKey } from '@courier-ts/authlib';
import { formatAuthtestSuccess, parseAuthtestArgs } from '@courier-ts/authlib/cli';

describe("authtest: Courier's option loop", () => {
  const cases: [string[], unknown][] = [
    [['u'], { kind: 'run', service: 'login', positional: ['u'] }],
    [['-s', 'imap', 'u', 'p'], { kind: 'run', service: 'imap', positional: ['u', 'p'] }],
    [['-simap', 'u'], { kind: 'run', service: 'imap', positional: ['u'] }],
    [['-s', 'a', '-s', 'b', 'u'], { kind: 'run', service: 'b', positional: ['u'] }],
    [['-', '-s', 'x'], { kind: 'run', service: 'login', positional: ['-s', 'x'] }],
    [['u', '-s', 'x'], { kind: 'run', service: 'login', positional: ['u', '-s', 'x'] }],
    [['u', 'p', 'n', 'extra'], { kind: 'run', service: 'login', positional: ['u', 'p', 'n', 'extra'] }],
    [[], { kind: 'usage' }],
    [['-s'], { kind: 'usage' }],
    [['-s', 'imap'], { kind: 'usage' }],
    [['-x', 'u'], { kind: 'usage' }],
    [['--', 'u'], { kind: 'usage' }],
    [['--help'], { kind: 'usage' }],
    [['-'], { kind: 'usage' }],
  ];
  for (const [args, want] of cases)
    test(JSON.stringify(args), () => assert.deepEqual(parseAuthtestArgs(args), want));
});

describe('authtest success block', () => {
  const f = (entries: [ReplyKey, string][]) => new Map(entries);
  test('virtual account (uid, gid)', () => {
    assert.equal(
      formatAuthtestSuccess(
        f([
          ['UID', '999'],
          ['GID', '995'],
          ['HOME', '/h'],
          ['ADDRESS', 't'],
          ['PASSWD', 'x'],
          ['PASSWD2', 'y'],
        ]),
      ),
      'Authentication succeeded.\n\n' +
        '     Authenticated: t  (uid 999, gid 995)\n' +
        '    Home Directory: /h\n' +
        '           Maildir: (none)\n' +
        '             Quota: (none)\n' +
        'Encrypted Password: x\n' +
        'Cleartext Password: y\n' +
        '           Options: (none)\n',
    );
  });
  test('system account and the no-uid error form', () => {
    assert.match(
      formatAuthtestSuccess(
        f([
          ['USERNAME', 'tic'],
          ['GID', '1'],
          ['ADDRESS', 'tic'],
        ]),
      ),
      /Authenticated: tic {2}\(system username: tic\)\n/,
    );
    assert.match(
      formatAuthtestSuccess(
        f([
          ['GID', '1'],
          ['ADDRESS', 'a'],
        ]),
      ),
      /Authenticated: a {2}\(\*\*\* UID\/GID initialization error\*\*\*\)\n/,
    );
  });
});
