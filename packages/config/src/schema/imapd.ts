/** Keys of /etc/courier/imapd and /etc/courier/imapd-ssl, with Debian 12's defaults. */

import {
  courierTsKeys,
  FLAG,
  listenerKeys,
  PATH,
  positive,
  STRING,
  tlsKeys,
  WORDS,
  YESNO,
} from './common.js';
import type { KeySpec, Schema } from './types.js';

/** C atoi() != 0, how Courier's imapd tests these switches. */
const atoiOn = (v: string): boolean => {
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m !== null && Number.parseInt(m[1]!, 10) !== 0;
};
const nonEmpty = (v: string): boolean => v.trim() !== '';
const PROXY: KeySpec['notHonoured'] = { when: atoiOn, what: 'login proxying is not implemented' };

const CAPABILITY =
  'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE';
const CAPABILITY_ORIG =
  'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA AUTH=CRAM-MD5 ' +
  'AUTH=CRAM-SHA1 AUTH=CRAM-SHA256 IDLE';

export const IMAPD_SCHEMA: Schema = {
  kind: 'imapd',
  keys: [
    ...listenerKeys({
      port: '143',
      pidfile: '/run/courier/imapd.pid',
      maxperip: '20',
      loggerName: 'imapd',
      service: 'imap',
    }),
    ...courierTsKeys('imapd'),
    {
      key: 'IMAPACCESSFILE',
      type: PATH,
      default: '/etc/courier/imapaccess',
      meaning: 'client address access list (uses <file>.dat)',
    },
    {
      key: 'IMAP_CAPABILITY',
      type: WORDS,
      default: CAPABILITY,
      meaning: 'capabilities announced before TLS',
    },
    {
      key: 'IMAP_CAPABILITY_TLS',
      type: WORDS,
      default: '$IMAP_CAPABILITY AUTH=PLAIN',
      meaning: 'capabilities announced once TLS is active',
    },
    {
      key: 'IMAP_CAPABILITY_ORIG',
      type: WORDS,
      default: CAPABILITY_ORIG,
      meaning: 'original capability list (webadmin only)',
    },
    {
      key: 'IMAP_CAPABILITY_TLS_ORIG',
      type: WORDS,
      default: '$IMAP_CAPABILITY_ORIG AUTH=PLAIN',
      meaning: 'original TLS capability list (webadmin only)',
    },
    {
      key: 'IMAP_KEYWORDS',
      type: { kind: 'enum', values: ['0', '1', '2'] },
      default: '1',
      meaning: 'custom keywords: 1 on, 2 on (slower, safer), 0 off',
    },
    { key: 'IMAP_ACL', type: FLAG, default: '1', meaning: 'access control lists (ACL, ACL2=UNION)' },
    {
      key: 'SMAP_CAPABILITY',
      type: STRING,
      meaning: 'SMAP1 to enable the experimental SMAP protocol',
      notHonoured: { when: nonEmpty, what: 'SMAP is not implemented' },
    },
    {
      key: 'IMAP_PROXY',
      type: FLAG,
      default: '0',
      meaning: "proxy logins to the account's mailhost",
      notHonoured: PROXY,
    },
    {
      key: 'IMAP_PROXY_FOREIGN',
      type: FLAG,
      default: '0',
      meaning: 'proxy to non-Courier servers too',
      notHonoured: PROXY,
    },
    {
      key: 'IMAP_IDLE_TIMEOUT',
      type: positive(),
      default: '60',
      meaning: 'seconds between mailbox checks during IDLE',
    },
    {
      key: 'IMAP_MAILBOX_SANITY_CHECK',
      type: FLAG,
      default: '1',
      meaning: "refuse a home or maildir not owned by the account's uid and gid",
    },
    {
      key: 'IMAP_DISABLETHREADSORT',
      type: FLAG,
      default: '0',
      meaning: 'announce but refuse SORT and THREAD',
    },
    {
      key: 'IMAP_CHECK_ALL_FOLDERS',
      type: FLAG,
      default: '0',
      meaning: 'LIST / LSUB mark every folder \\Marked or \\Unmarked (new mail), not only INBOX',
    },
    {
      key: 'IMAP_OBSOLETE_CLIENT',
      type: FLAG,
      default: '0',
      meaning: 'send \\NoInferiors instead of \\HasNoChildren',
    },
    { key: 'IMAP_UMASK', type: { kind: 'umask' }, default: '022', meaning: 'umask of the server processes' },
    {
      key: 'IMAP_ULIMITD',
      type: { kind: 'integer', min: 0, allowEmpty: true },
      default: '131072',
      meaning: 'virtual memory limit in KB (ulimit -v); empty = none',
    },
    { key: 'IMAP_USELOCKS', type: FLAG, default: '1', meaning: 'dot-lock the maildir while scanning it' },
    {
      key: 'IMAP_SHAREDINDEXFILE',
      type: PATH,
      default: '/etc/courier/shared/index',
      meaning: 'index of virtual shared folders',
    },
    { key: 'IMAP_ENHANCEDIDLE', type: FLAG, default: '0', meaning: 'instant IDLE notification through FAM' },
    { key: 'IMAP_TRASHFOLDERNAME', type: STRING, default: 'Trash', meaning: 'name of the trash folder' },
    {
      key: 'IMAP_EMPTYTRASH',
      type: {
        kind: 'pattern',
        re: /^(|[^:,\s]+:[0-9]+(,[^:,\s]+:[0-9]+)*)$/,
        expected: 'folder:days[,folder:days]...',
      },
      default: 'Trash:7',
      meaning: 'purge messages older than N days from these folders at login and logout',
    },
    {
      key: 'IMAP_MOVE_EXPUNGE_TO_TRASH',
      type: FLAG,
      default: '0',
      meaning: 'EXPUNGE moves messages to the trash',
    },
    { key: 'IMAP_LOG_DELETIONS', type: FLAG, meaning: 'log every deleted message' },
    {
      key: 'IMAPDEBUGFILE',
      type: STRING,
      meaning: 'per-account protocol trace file name in the maildir',
      notHonoured: { when: nonEmpty, what: 'per-account protocol traces are not implemented' },
    },
    {
      key: 'OUTBOX',
      type: STRING,
      meaning: 'folder that sends messages copied into it, e.g. .Outbox',
      notHonoured: { when: nonEmpty, what: 'the send-by-copy Outbox folder is not implemented' },
    },
    { key: 'OUTBOX_MULTIPLE_SEND', type: FLAG, meaning: 'allow one message to be sent more than once' },
    {
      key: 'SENDMAIL',
      type: PATH,
      default: '/usr/sbin/sendmail',
      meaning: 'mail submission program used by OUTBOX',
    },
    {
      key: 'HEADERFROM',
      type: STRING,
      default: 'X-IMAP-Sender',
      meaning: 'header naming the sender of OUTBOX mail',
    },
    { key: 'IMAP_ID_FIELDS', type: STRING, meaning: 'fields returned by the ID command' },
    {
      key: 'IMAPDSTART',
      type: YESNO,
      default: 'YES',
      meaning: 'start the plain-text listener at boot (init script flag)',
    },
    {
      key: 'IMAP_SHAREDMUNGENAMES',
      type: FLAG,
      meaning: 'replace awkward characters in shared folder names',
    },
    { key: 'IMAP_BROKENUIDV', type: FLAG, meaning: 'work around clients that mishandle UIDVALIDITY changes' },
    {
      key: 'MAILDIRQUOTA',
      type: STRING,
      meaning: 'maildir quota used when maildirsize has none, e.g. 100000000S',
    },
    {
      key: 'IMAP_STARTTLS',
      type: YESNO,
      meaning: 'offer STARTTLS (set by the start script from IMAPDSTARTTLS)',
    },
    {
      key: 'IMAP_TLS',
      type: FLAG,
      meaning: 'the connection is TLS from the start (set by the start script)',
    },
  ],
};

export const IMAPD_SSL_SCHEMA: Schema = {
  kind: 'imapd-ssl',
  keys: [
    ...tlsKeys({
      sslPort: '993',
      sslPidfile: '/run/courier/imapd-ssl.pid',
      loggerName: 'imapd-ssl',
      startKey: 'IMAPDSSLSTART',
      certfile: '/etc/courier/imapd.pem',
      cachefile: '/var/lib/courier/couriersslpop3cache',
      alpn: 'imap',
    }),
    { key: 'IMAPDSTARTTLS', type: YESNO, default: 'YES', meaning: 'offer STARTTLS on the plain-text port' },
    {
      key: 'IMAP_TLS_REQUIRED',
      type: FLAG,
      default: '0',
      meaning: '1 = refuse logins until STARTTLS (LOGINDISABLED)',
    },
  ],
};
