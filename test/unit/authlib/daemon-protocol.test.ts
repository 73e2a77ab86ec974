import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  accountToReplyFields,
  applyDefDomain,
  authServiceName,
  buildAuthRequest,
  formatAuthLogLine,
  formatReply,
  mergeOptions,
  optionValueIsTrue,
  parseAccountOptions,
  parseAuthdaemonrc,
  parseReply,
  parseSaslExternal,
  RequestReader,
} from '@courier-ts/authlib';

describe('authdaemond reply format', () => {
  test('fields in Courier order, USERNAME instead of UID for system accounts', () => {
    const options = parseAccountOptions('disablepop3=1');
    const sys = {
      address: 'alice',
      systemUser: 'alice',
      uid: 1000,
      gid: 1000,
      home: '/home/alice',
      fullName: 'Alice',
      encryptedPassword: '$6$x$y',
      options: parseAccountOptions(''),
    };
    assert.equal(
      formatReply(accountToReplyFields(sys)),
      'USERNAME=alice\nGID=1000\nHOME=/home/alice\nADDRESS=alice\nNAME=Alice\nPASSWD=$6$x$y\n.\n',
    );
    const virt = {
      address: 'a@example.com',
      uid: 1000,
      gid: 1000,
      home: '/h',
      maildir: '/h/Maildir',
      encryptedPassword: '{SHA512}z',
      clearPassword: 'secret',
      options,
    };
    assert.equal(
      formatReply(accountToReplyFields(virt)),
      'UID=1000\nGID=1000\nHOME=/h\nADDRESS=a@example.com\nMAILDIR=/h/Maildir\nPASSWD={SHA512}z\nPASSWD2=secret\nOPTIONS=disablepop3=1\n.\n',
    );
  });
  test('client parser: ., FAIL, garbled', () => {
    assert.deepEqual(parseReply('FAIL\n'), { kind: 'fail' });
    assert.deepEqual(parseReply('UID=1\njunk\nFOO=bar\n'), { kind: 'eio' });
    const ok = parseReply('UID=1\nGID=2\nFOO=bar\nnoequals\n.\n');
    assert.equal(ok.kind, 'ok');
    if (ok.kind === 'ok')
      assert.deepEqual(
        [...ok.fields],
        [
          ['UID', '1'],
          ['GID', '2'],
        ],
      );
  });
  test('AUTH request byte count', () => {
    assert.equal(
      buildAuthRequest(
        'imap',
        { mechanism: 'login', user: 'alice', password: 'secret' },
        '::ffff:192.0.2.10',
      ),
      'TCPREMOTEIP=::ffff:192.0.2.10\nAUTH 24\nimap\nlogin\nalice\nsecret\n',
    );
  });
});

describe('request reader (whole and byte by byte)', () => {
  const cases: [string, string, unknown][] = [
    [
      'PRE with meta',
      'TCPREMOTEIP=::1\nPRE . login alice\n',
      { kind: 'pre', module: '.', service: 'login', userid: 'alice', ip: '::1' },
    ],
    [
      'PRE extra spaces',
      'PRE  authuserdb   imap  bob\n',
      { kind: 'pre', module: 'authuserdb', service: 'imap', userid: 'bob', ip: undefined },
    ],
    [
      'AUTH',
      'TCPREMOTEIP=::1\nAUTH 24\nimap\nlogin\nalice\nsecret\n',
      { kind: 'auth', service: 'imap', authtype: 'login', authdata: 'alice\nsecret\n' },
    ],
    [
      'PASSWD',
      'PASSWD imap\talice\told\tnew\n',
      { kind: 'passwd', fields: ['imap', 'alice', 'old', 'new'], hasControl: false },
    ],
    [
      'PASSWD control char',
      'PASSWD imap\talice\to\x01ld\tnew\n',
      { kind: 'passwd', fields: ['imap', 'alice', 'o\x01ld', 'new'], hasControl: true },
    ],
    ['ENUMERATE', 'ENUMERATE\n', { kind: 'enumerate' }],
    ['AUTH too big', 'AUTH 9000\n', { kind: 'bad', reason: 'AUTH size' }],
  ];
  const simplify = (r: ReturnType<RequestReader['push']>): unknown => {
    if (!r) return r;
    if (r.kind === 'pre')
      return {
        kind: r.kind,
        module: r.module,
        service: r.service,
        userid: r.userid,
        ip: r.meta.get('TCPREMOTEIP'),
      };
    if (r.kind === 'auth')
      return { kind: r.kind, service: r.service, authtype: r.authtype, authdata: r.authdata };
    return r;
  };
  for (const [name, input, want] of cases) {
    test(name, () => {
      assert.deepEqual(simplify(new RequestReader().push(Buffer.from(input))), want);
      const rr = new RequestReader();
      let got: ReturnType<RequestReader['push']>;
      for (const byte of Buffer.from(input)) got = rr.push(Buffer.from([byte])) ?? got!;
      assert.deepEqual(simplify(got), want);
    });
  }
  test('line too long', () => {
    assert.deepEqual(new RequestReader().push(Buffer.alloc(8200, 0x41)), {
      kind: 'bad',
      reason: 'line too long',
    });
  });
});

describe('options and settings', () => {
  test('OPTIONS merge', () => {
    assert.equal(mergeOptions('disableimap=1', 'disableimap=0,disablepop3=1'), 'disableimap=1,disablepop3=1');
    assert.equal(mergeOptions('', 'a=1'), 'a=1');
    assert.equal(mergeOptions(undefined, ''), '');
    assert.equal(mergeOptions('group=x', ''), 'group=x');
  });
  test('option truth and typed view', () => {
    for (const [v, want] of [
      ['1', true],
      ['0', false],
      ['yes', true],
      ['Y', true],
      ['true', true],
      ['no', false],
      ['', false],
      ['12abc', true],
    ] as const) {
      assert.equal(optionValueIsTrue(v), want, v);
    }
    const o = parseAccountOptions('group=a,group=b,mailhost=h1,h2,sharedgroup=s,disableinsecureimap=1');
    assert.deepEqual(o.groups, ['a', 'b']);
    assert.equal(o.sharedGroup, 's');
    assert.equal(o.disableInsecureImap, true);
    assert.deepEqual(o.mailhosts, ['h1']);
  });
  test("authdaemonrc: authdaemond's own parser", () => {
    const m = parseAuthdaemonrc(
      '# c\nauthmodulelist="authuserdb authpam"   # x\ndaemons=  5\nDEFAULTOPTIONS=""\nX=a#b\n',
    );
    assert.deepEqual(
      [...m],
      [
        ['authmodulelist', 'authuserdb authpam'],
        ['daemons', '5'],
        ['DEFAULTOPTIONS', ''],
        ['X', 'a'],
      ],
    );
    assert.throws(() => parseAuthdaemonrc('nonsense\n'), /syntax error/);
  });
  test('DEFDOMAIN', () => {
    assert.equal(applyDefDomain('alice', { DEFDOMAIN: '@example.com' }), 'alice@example.com');
    assert.equal(applyDefDomain('alice@x.org', { DEFDOMAIN: '@example.com' }), 'alice@x.org');
    assert.equal(applyDefDomain('alice%x', { DEFDOMAIN: '@example.com', DOMAINSEP: '%' }), 'alice%x');
    assert.equal(applyDefDomain('alice', {}), 'alice');
  });
});

describe('helpers for the servers', () => {
  test("Courier's login log lines (fail2ban courierauth filter)", () => {
    assert.equal(
      formatAuthLogLine('LOGIN FAILED', { user: 'alice', ip: '192.0.2.10', port: 4711 }),
      'LOGIN FAILED, user=alice, ip=[::ffff:192.0.2.10], port=[4711]',
    );
    assert.equal(
      formatAuthLogLine('LOGIN FAILED', { method: 'PLAIN', ip: '::1', port: 1 }),
      'LOGIN FAILED, method=PLAIN, ip=[::1], port=[1]',
    );
    assert.equal(
      formatAuthLogLine('LOGIN', { user: 'a', ip: '::ffff:127.0.0.1', port: 2, protocol: 'IMAP' }),
      'LOGIN, user=a, ip=[::ffff:127.0.0.1], port=[2], protocol=IMAP',
    );
    assert.match(
      'LOGIN FAILED, user=alice, ip=[::ffff:192.0.2.10], port=[4711]',
      /LOGIN FAILED, user=\S+, ip=\[\S+\]/,
    );
  });
  test('AUTHSERVICE<port>', () => {
    assert.equal(authServiceName('imap', { TCPLOCALPORT: '993', AUTHSERVICE993: 'imaps' }), 'imaps');
    assert.equal(authServiceName('imap', { TCPLOCALPORT: '143', AUTHSERVICE993: 'imaps' }), 'imap');
    assert.equal(authServiceName('pop3', { AUTHSERVICE995: 'x' }, 995), 'x');
  });
  test('EXTERNAL hook', () => {
    assert.deepEqual(parseSaslExternal(undefined), { authzid: '' });
    assert.deepEqual(parseSaslExternal('='), { authzid: '' });
    assert.deepEqual(parseSaslExternal(Buffer.from('bob').toString('base64')), { authzid: 'bob' });
    assert.equal(parseSaslExternal('*'), 'abort');
    assert.equal(parseSaslExternal('%%'), 'error');
  });
});
