import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type FileKind,
  findKeySpec,
  schemaFor,
  serverSchema,
  suggestKey,
  type ValueType,
  validateValue,
} from '@courier-ts/config';

const KINDS: readonly FileKind[] = [
  'imapd',
  'imapd-ssl',
  'pop3d',
  'pop3d-ssl',
  'authdaemonrc',
  'authmysqlrc',
  'authpgsqlrc',
  'authsqliterc',
  'authldaprc',
];

/** Debian 12's defaults (courier-behaviour.md §2); undefined = documented but unset. */
const DEBIAN: Readonly<Partial<Record<FileKind, Record<string, string | undefined>>>> = {
  imapd: {
    ADDRESS: '0',
    PORT: '143',
    MAXDAEMONS: '40',
    MAXPERIP: '20',
    PIDFILE: '/run/courier/imapd.pid',
    TCPDOPTS: '-nodnslookup -noidentlookup',
    IMAPACCESSFILE: '/etc/courier/imapaccess',
    LOGGEROPTS: '-name=imapd',
    DEFDOMAIN: undefined,
    IMAP_CAPABILITY:
      'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE',
    IMAP_CAPABILITY_TLS: '$IMAP_CAPABILITY AUTH=PLAIN',
    IMAP_KEYWORDS: '1',
    IMAP_ACL: '1',
    IMAP_PROXY: '0',
    IMAP_PROXY_FOREIGN: '0',
    PROXY_HOSTNAME: undefined,
    IMAP_IDLE_TIMEOUT: '60',
    IMAP_MAILBOX_SANITY_CHECK: '1',
    IMAP_DISABLETHREADSORT: '0',
    IMAP_CHECK_ALL_FOLDERS: '0',
    IMAP_OBSOLETE_CLIENT: '0',
    IMAP_UMASK: '022',
    IMAP_ULIMITD: '131072',
    IMAP_USELOCKS: '1',
    IMAP_SHAREDINDEXFILE: '/etc/courier/shared/index',
    IMAP_ENHANCEDIDLE: '0',
    IMAP_TRASHFOLDERNAME: 'Trash',
    IMAP_EMPTYTRASH: 'Trash:7',
    IMAP_MOVE_EXPUNGE_TO_TRASH: '0',
    IMAP_LOG_DELETIONS: undefined,
    AUTH_MKHOMEDIR_SKEL: undefined,
    IMAPDEBUGFILE: undefined,
    OUTBOX: undefined,
    OUTBOX_MULTIPLE_SEND: undefined,
    IMAP_ID_FIELDS: undefined,
    SMAP_CAPABILITY: undefined,
    SENDMAIL: '/usr/sbin/sendmail',
    HEADERFROM: 'X-IMAP-Sender',
    IMAPDSTART: 'YES',
    MAILDIRPATH: 'Maildir',
    AUTHSERVICE143: undefined,
  },
  'imapd-ssl': {
    SSLPORT: '993',
    SSLADDRESS: '0',
    SSLPIDFILE: '/run/courier/imapd-ssl.pid',
    SSLLOGGEROPTS: '-name=imapd-ssl',
    IMAPDSSLSTART: 'YES',
    IMAPDSTARTTLS: 'YES',
    IMAP_TLS_REQUIRED: '0',
    COURIERTLS: '/usr/bin/couriertls',
    TLS_STARTTLS_PROTOCOL: '$TLS_PROTOCOL',
    TLS_CERTFILE: '/etc/courier/imapd.pem',
    TLS_DHPARAMS: '/etc/courier/dhparams.pem',
    TLS_TRUSTCERTS: '/etc/ssl/certs/ca-certificates.crt',
    TLS_VERIFYPEER: 'NONE',
    TLS_CACHEFILE: '/var/lib/courier/couriersslpop3cache',
    TLS_CACHESIZE: '524288',
    MAILDIRPATH: 'Maildir',
    TLS_PRIORITY: undefined,
    TLS_PROTOCOL: undefined,
    TLS_CIPHER_LIST: undefined,
    TLS_MIN_DH_BITS: undefined,
    TLS_TIMEOUT: undefined,
    TLS_PRIVATE_KEYFILE: undefined,
    TLS_EXTERNAL: undefined,
  },
  pop3d: {
    PIDFILE: '/run/courier/pop3d.pid',
    MAXDAEMONS: '40',
    MAXPERIP: '4',
    POP3AUTH: '',
    POP3AUTH_TLS: '',
    POP3_PROXY: '0',
    PORT: '110',
    ADDRESS: '0',
    TCPDOPTS: '-nodnslookup -noidentlookup',
    LOGGEROPTS: '-name=pop3d',
    POP3DSTART: 'YES',
    MAILDIRPATH: 'Maildir',
    MIME_UNICODE_MESSAGE_TYPE: 'message/global',
    AUTHSERVICE110: undefined,
    DEFDOMAIN: undefined,
    PROXY_HOSTNAME: undefined,
    POP3_LOG_DELETIONS: undefined,
    AUTH_MKHOMEDIR_SKEL: undefined,
  },
  'pop3d-ssl': {
    SSLPORT: '995',
    SSLPIDFILE: '/run/courier/pop3d-ssl.pid',
    SSLLOGGEROPTS: '-name=pop3d-ssl',
    POP3DSSLSTART: 'YES',
    POP3_STARTTLS: 'YES',
    POP3_TLS_REQUIRED: '0',
    TLS_CERTFILE: '/etc/courier/pop3d.pem',
    TLS_CACHEFILE: '/var/lib/courier/couriersslimapcache',
  },
  authdaemonrc: {
    authmodulelist: 'authpam',
    daemons: '5',
    authdaemonvar: '/run/courier/authdaemon',
    DEBUG_LOGIN: '0',
    DEFAULTOPTIONS: '',
    LOGGEROPTS: '',
    LDAPTLS_CACERT: undefined,
  },
};

describe('schemas', () => {
  for (const [kind, keys] of Object.entries(DEBIAN) as [FileKind, Record<string, string | undefined>][]) {
    test(`${kind}: every documented key with Debian's default`, () => {
      const schema = schemaFor(kind);
      for (const [key, def] of Object.entries(keys)) {
        const spec = findKeySpec(schema, key);
        assert.ok(spec, `${kind} lacks ${key}`);
        assert.equal(spec.default, def, `${kind} ${key}`);
      }
    });
  }

  for (const kind of KINDS) {
    test(`${kind}: unique keys, a meaning each, defaults valid for their own type`, () => {
      const schema = schemaFor(kind);
      const names = schema.keys.map((k) => k.key);
      assert.equal(new Set(names).size, names.length, 'duplicate keys');
      for (const spec of schema.keys) {
        assert.ok(spec.meaning.length > 5, `${spec.key} has no meaning`);
        if (spec.default !== undefined && !spec.default.includes('$')) {
          assert.equal(validateValue(spec.type, spec.default), undefined, `${kind} ${spec.key} default`);
        }
      }
    });
  }

  test('server schemas are the union of base and -ssl keys', () => {
    assert.ok(findKeySpec(serverSchema('imapd'), 'IMAPDSTARTTLS'));
    assert.ok(findKeySpec(serverSchema('imapd'), 'IMAP_CAPABILITY'));
    assert.ok(findKeySpec(serverSchema('pop3d'), 'POP3_STARTTLS'));
    assert.equal(findKeySpec(serverSchema('pop3d'), 'IMAP_CAPABILITY'), undefined);
    assert.equal(
      findKeySpec(serverSchema('imapd'), 'imap_capability'),
      undefined,
      'lookup is case-sensitive',
    );
  });
});

const VALUES: readonly [ValueType, string, boolean][] = [
  [{ kind: 'integer', min: 1 }, '40', true],
  [{ kind: 'integer', min: 1 }, '0', false],
  [{ kind: 'integer', min: 1 }, '-1', false],
  [{ kind: 'integer', min: 1 }, '4x', false],
  [{ kind: 'integer', min: 1 }, '', false],
  [{ kind: 'integer', min: 0, allowEmpty: true }, '', true],
  [{ kind: 'integer', max: 10 }, '11', false],
  [{ kind: 'yesno' }, 'YES', true],
  [{ kind: 'yesno' }, 'no', true],
  [{ kind: 'yesno' }, 'y', true],
  [{ kind: 'yesno' }, '1', true],
  [{ kind: 'yesno' }, 'maybe', false],
  [{ kind: 'flag' }, '1', true],
  [{ kind: 'flag' }, '2', false],
  [{ kind: 'ports' }, '143', true],
  [{ kind: 'ports' }, '143,993', true],
  [{ kind: 'ports' }, '127.0.0.1.143,192.0.2.1.900', true],
  [{ kind: 'ports' }, '::1.143', true],
  [{ kind: 'ports' }, '0', true],
  [{ kind: 'ports' }, 'abc', false],
  [{ kind: 'ports' }, '65536', false],
  [{ kind: 'ports' }, '143,', false],
  [{ kind: 'ports' }, '300.1.1.1.143', false],
  [{ kind: 'address' }, '0', true],
  [{ kind: 'address' }, '192.0.2.1', true],
  [{ kind: 'address' }, '::1', true],
  [{ kind: 'address' }, 'mail.example.com', true],
  [{ kind: 'address' }, 'not an address', false],
  [{ kind: 'umask' }, '022', true],
  [{ kind: 'umask' }, '0077', true],
  [{ kind: 'umask' }, '8', false],
  [{ kind: 'enum', values: ['NONE', 'PEER'] }, 'PEER', true],
  [{ kind: 'enum', values: ['NONE', 'PEER'] }, 'peer', false],
  [{ kind: 'enum', values: ['NONE', 'PEER'], caseInsensitive: true }, 'peer', true],
  [{ kind: 'words', allowed: ['PLAIN', 'LOGIN'] }, '', true],
  [{ kind: 'words', allowed: ['PLAIN', 'LOGIN'] }, 'PLAIN  LOGIN', true],
  [{ kind: 'words', allowed: ['PLAIN', 'LOGIN'] }, 'PLAIN XOAUTH', false],
  [{ kind: 'path' }, '', false],
  [{ kind: 'path', allowEmpty: true }, '', true],
  [{ kind: 'pattern', re: /^a+$/, expected: 'a run of a' }, 'aaa', true],
  [{ kind: 'pattern', re: /^a+$/, expected: 'a run of a' }, 'b', false],
];

describe('validateValue', () => {
  for (const [type, value, ok] of VALUES) {
    test(`${JSON.stringify(type)} ${JSON.stringify(value)} -> ${ok ? 'ok' : 'error'}`, () => {
      const err = validateValue(type, value);
      if (ok) assert.equal(err, undefined);
      else assert.equal(typeof err, 'string');
    });
  }
});

describe('suggestKey', () => {
  const known = ['IMAP_CAPABILITY', 'IMAP_CAPABILITY_TLS', 'PORT', 'ADDRESS', 'MAXDAEMONS', 'TLS_CERTFILE'];
  const cases: [string, string | undefined][] = [
    ['IMAP_CAPABILTY', 'IMAP_CAPABILITY'],
    ['IMAP_CAPABILITY_TSL', 'IMAP_CAPABILITY_TLS'],
    ['address', 'ADDRESS'],
    ['PORTS', 'PORT'],
    ['MAXDEAMONS', 'MAXDAEMONS'],
    ['TLS_CERT_FILE', 'TLS_CERTFILE'],
    ['HOSTNAME_X', undefined],
    ['XYZ', undefined],
  ];
  for (const [input, want] of cases) {
    test(`${input} -> ${want ?? '(none)'}`, () => assert.equal(suggestKey(input, known), want));
  }
});
