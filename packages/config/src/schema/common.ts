/** Key specs shared by the imapd and pop3d schemas (listener, limits, login). */

import type { KeySpec, ValueType } from './types.js';

export const STRING: ValueType = { kind: 'string' };
export const PATH: ValueType = { kind: 'path' };
export const YESNO: ValueType = { kind: 'yesno' };
export const FLAG: ValueType = { kind: 'flag' };
export const PORTS: ValueType = { kind: 'ports' };
export const ADDRESS: ValueType = { kind: 'address' };
export const WORDS: ValueType = { kind: 'words' };
export const SASL_MECHS: ValueType = {
  kind: 'words',
  allowed: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'CRAM-SHA1', 'CRAM-SHA256', 'EXTERNAL'],
};
export const positive = (max?: number): ValueType => ({ kind: 'integer', min: 1, ...(max ? { max } : {}) });
export const nonNegative: ValueType = { kind: 'integer', min: 0 };

export interface ListenerDefaults {
  readonly port: string;
  readonly pidfile: string;
  readonly maxperip: string;
  readonly loggerName: string;
  readonly service: string;
}

export function listenerKeys(d: ListenerDefaults): KeySpec[] {
  return [
    { key: 'ADDRESS', type: ADDRESS, default: '0', meaning: 'address to listen on (0 = every address)' },
    { key: 'PORT', type: PORTS, default: d.port, meaning: 'ports to listen on: port[,ip.port]...' },
    {
      key: 'AUTHSERVICE<port>',
      keyPattern: /^AUTHSERVICE[0-9]+$/,
      type: STRING,
      meaning: `authentication service name for connections on that local port (default ${d.service})`,
    },
    {
      key: 'MAXDAEMONS',
      type: positive(),
      default: '40',
      meaning: 'most connections served at once; more wait',
    },
    {
      key: 'MAXPERIP',
      type: nonNegative,
      default: d.maxperip,
      meaning: 'most connections from one client address; more are closed at once',
    },
    { key: 'PIDFILE', type: PATH, default: d.pidfile, meaning: 'pid file of the plain-text listener' },
    {
      key: 'TCPDOPTS',
      type: STRING,
      default: '-nodnslookup -noidentlookup',
      meaning: 'extra couriertcpd options',
    },
    {
      key: 'LOGGEROPTS',
      type: STRING,
      default: `-name=${d.loggerName}`,
      meaning: 'courierlogger options (syslog name)',
    },
    {
      key: 'DEFDOMAIN',
      type: STRING,
      meaning: 'domain appended to login names that have none, e.g. @example.com',
    },
    {
      key: 'DOMAINSEP',
      type: STRING,
      meaning: 'characters that mark a login name as already having a domain',
    },
    { key: 'PROXY_HOSTNAME', type: STRING, meaning: "this server's name when proxying logins" },
    { key: 'AUTH_MKHOMEDIR_SKEL', type: PATH, meaning: 'skeleton copied to create a missing home directory' },
    {
      key: 'MAILDIRPATH',
      type: PATH,
      default: 'Maildir',
      meaning: 'maildir under the home directory when the account names none',
    },
    {
      key: 'HOSTNAME',
      type: STRING,
      meaning: 'host name used in new maildir file names (else the system name)',
    },
  ];
}

export interface TlsDefaults {
  readonly sslPort: string;
  readonly sslPidfile: string;
  readonly loggerName: string;
  readonly startKey: string;
  readonly certfile: string;
  readonly cachefile: string;
  readonly alpn: string;
}

export function tlsKeys(d: TlsDefaults): KeySpec[] {
  return [
    { key: 'SSLPORT', type: PORTS, default: d.sslPort, meaning: 'ports for TLS-from-the-start connections' },
    {
      key: 'SSLADDRESS',
      type: ADDRESS,
      default: '0',
      meaning: 'address for the TLS listener (0 = every address)',
    },
    { key: 'SSLPIDFILE', type: PATH, default: d.sslPidfile, meaning: 'pid file of the TLS listener' },
    {
      key: 'SSLLOGGEROPTS',
      type: STRING,
      default: `-name=${d.loggerName}`,
      meaning: 'courierlogger options of the TLS listener',
    },
    {
      key: d.startKey,
      type: YESNO,
      default: 'YES',
      meaning: 'start the TLS listener at boot (init script flag)',
    },
    {
      key: 'COURIERTLS',
      type: PATH,
      default: '/usr/bin/couriertls',
      meaning: "Courier's TLS wrapper program (unused by courier-ts)",
    },
    { key: 'TLS_PRIORITY', type: STRING, meaning: 'GnuTLS priority string, e.g. NORMAL' },
    {
      key: 'TLS_PROTOCOL',
      type: {
        kind: 'pattern',
        re: /^(|(SSL|TLS)v[0-9.]+(\+\+)?)$/,
        expected: 'a protocol such as TLSv1.2 or TLSv1.2++',
      },
      meaning: 'TLS protocol version(s) for implicit TLS',
    },
    { key: 'TLS_CIPHER_LIST', type: STRING, meaning: 'OpenSSL cipher list' },
    {
      key: 'TLS_STARTTLS_PROTOCOL',
      type: {
        kind: 'pattern',
        re: /^(|(SSL|TLS)v[0-9.]+(\+\+)?)$/,
        expected: 'a protocol such as TLSv1.2 or TLSv1.2++',
      },
      default: '$TLS_PROTOCOL',
      meaning: 'TLS protocol version(s) after STARTTLS',
    },
    {
      key: 'TLS_MIN_DH_BITS',
      type: nonNegative,
      meaning: 'smallest Diffie-Hellman key accepted',
      notHonoured: {
        when: (v) => v.trim() !== '',
        what: 'GnuTLS checks it on the peer as a TLS client; an OpenSSL server has no such check',
      },
    },
    {
      key: 'TLS_TIMEOUT',
      type: nonNegative,
      meaning: 'TLS timeout in seconds (documented, unimplemented by Courier)',
    },
    {
      key: 'TLS_CERTFILE',
      type: { kind: 'file' },
      default: d.certfile,
      meaning: 'server certificate and private key (PEM, one file)',
    },
    {
      key: 'TLS_PRIVATE_KEYFILE',
      type: { kind: 'file' },
      meaning: 'private key, when not inside TLS_CERTFILE',
    },
    {
      key: 'TLS_DHPARAMS',
      type: { kind: 'file' },
      default: '/etc/courier/dhparams.pem',
      meaning: 'Diffie-Hellman parameters (PEM)',
    },
    {
      key: 'TLS_TRUSTCERTS',
      type: PATH,
      default: '/etc/ssl/certs/ca-certificates.crt',
      meaning: 'CA certificates for verifying client certificates',
    },
    {
      key: 'TLS_VERIFYPEER',
      type: { kind: 'enum', values: ['NONE', 'PEER', 'REQUIREPEER'], caseInsensitive: true },
      default: 'NONE',
      meaning:
        'client certificates: NONE, PEER (asked for, verified if sent; what couriertls does when the key is unset), REQUIREPEER (demanded)',
    },
    {
      key: 'TLS_EXTERNAL',
      type: STRING,
      meaning: 'certificate subject field used as the login for AUTH EXTERNAL',
    },
    {
      key: 'TLS_CACHEFILE',
      type: { kind: 'path', allowEmpty: true },
      default: d.cachefile,
      meaning: 'TLS session cache file (courier-ts keeps its session cache in memory, per server process)',
    },
    {
      key: 'TLS_CACHESIZE',
      type: nonNegative,
      default: '524288',
      meaning: 'TLS session cache size in bytes',
    },
    { key: 'TLS_ALPN', type: STRING, meaning: `ALPN protocol name offered (Courier 5.1+, e.g. ${d.alpn})` },
    {
      key: 'MAILDIRPATH',
      type: PATH,
      default: 'Maildir',
      meaning: 'maildir under the home directory when the account names none',
    },
  ];
}

/**
 * courier-ts's own keys (Courier ignores them), in the server's config file beside Courier's. The
 * defaults differ per server where noted, so none is given here: unset means the server's default.
 */
export function courierTsKeys(server: 'imapd' | 'pop3d'): KeySpec[] {
  const imap = server === 'imapd';
  return [
    {
      key: 'COURIER_TS_SPARE_WORKER',
      type: FLAG,
      meaning:
        'as root: keep one warmed-up session worker ready for the next account (default 1; 0 = start workers on demand)',
    },
    {
      key: 'COURIER_TS_LOG_FORMAT',
      type: STRING,
      meaning: 'log lines: json (default) or text (syslog-style)',
    },
    { key: 'COURIER_TS_LOG_LEVEL', type: STRING, meaning: 'pino log level (default info)' },
    {
      key: 'COURIER_TS_IDLE_TIMEOUT',
      type: positive(),
      meaning: `autologout after this many seconds without a command (default ${imap ? 1800 : 300})`,
    },
    {
      key: 'COURIER_TS_PRELOGIN_TIMEOUT',
      type: positive(),
      meaning: 'cap on the pre-login phase, seconds (default 60)',
    },
    {
      key: 'COURIER_TS_LOGIN_FAIL_DELAY',
      type: nonNegative,
      meaning: 'delay before a failed-login reply, ms (default 5000, as Courier)',
    },
    {
      key: 'COURIER_TS_MAX_BAD_COMMANDS',
      type: positive(),
      meaning: `invalid commands in a row before the session is closed (default ${imap ? 10 : 50})`,
    },
    ...(imap
      ? [
          {
            key: 'COURIER_TS_MAX_LINE',
            type: positive(),
            meaning: 'longest command line, bytes (default 65536)',
          },
          {
            key: 'COURIER_TS_MAX_LITERAL',
            type: positive(),
            meaning: 'largest literal, bytes; advertised as APPENDLIMIT (default 4294967295)',
          },
        ]
      : [
          {
            key: 'COURIER_TS_LOGIN_DELAY',
            type: nonNegative,
            meaning:
              'seconds between logins of one account; advertised as LOGIN-DELAY and enforced (default 0)',
          },
        ]),
  ];
}
