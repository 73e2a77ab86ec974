/** Keys of /etc/courier/pop3d and /etc/courier/pop3d-ssl, with Debian 12's defaults. */

import { courierTsKeys, FLAG, listenerKeys, SASL_MECHS, STRING, tlsKeys, YESNO } from './common.js';
import type { Schema } from './types.js';

export const POP3D_SCHEMA: Schema = {
  kind: 'pop3d',
  keys: [
    ...listenerKeys({
      port: '110',
      pidfile: '/run/courier/pop3d.pid',
      maxperip: '4',
      loggerName: 'pop3d',
      service: 'pop3',
    }),
    ...courierTsKeys('pop3d'),
    {
      key: 'POP3AUTH',
      type: SASL_MECHS,
      default: '',
      meaning: 'SASL mechanisms announced by CAPA before TLS',
    },
    {
      key: 'POP3AUTH_ORIG',
      type: SASL_MECHS,
      default: 'PLAIN LOGIN CRAM-MD5 CRAM-SHA1 CRAM-SHA256',
      meaning: 'original mechanism list (webadmin only)',
    },
    {
      key: 'POP3AUTH_TLS',
      type: SASL_MECHS,
      default: '',
      meaning: 'SASL mechanisms announced once TLS is active',
    },
    {
      key: 'POP3AUTH_TLS_ORIG',
      type: SASL_MECHS,
      default: 'LOGIN PLAIN',
      meaning: 'original TLS mechanism list (webadmin only)',
    },
    { key: 'POP3_PROXY', type: FLAG, default: '0', meaning: "proxy logins to the account's mailhost" },
    {
      key: 'POP3DSTART',
      type: YESNO,
      default: 'YES',
      meaning: 'start the plain-text listener at boot (init script flag)',
    },
    { key: 'POP3_LOG_DELETIONS', type: FLAG, meaning: 'log every deleted message' },
    {
      key: 'MIME_UNICODE_MESSAGE_TYPE',
      type: STRING,
      default: 'message/global',
      meaning: 'content type of the original in the wrapper sent to non-UTF8 clients',
    },
    {
      key: 'MAILDIRQUOTA',
      type: STRING,
      meaning: 'maildir quota used when maildirsize has none, e.g. 100000000S',
    },
    {
      key: 'POP3_TLS',
      type: FLAG,
      meaning: 'the connection is TLS from the start (set by the start script)',
    },
  ],
};

export const POP3D_SSL_SCHEMA: Schema = {
  kind: 'pop3d-ssl',
  keys: [
    ...tlsKeys({
      sslPort: '995',
      sslPidfile: '/run/courier/pop3d-ssl.pid',
      loggerName: 'pop3d-ssl',
      startKey: 'POP3DSSLSTART',
      certfile: '/etc/courier/pop3d.pem',
      cachefile: '/var/lib/courier/couriersslimapcache',
      alpn: 'pop3',
    }),
    { key: 'POP3_STARTTLS', type: YESNO, default: 'YES', meaning: 'offer STLS on the plain-text port' },
    { key: 'POP3_TLS_REQUIRED', type: FLAG, default: '0', meaning: '1 = refuse logins until STLS' },
  ],
};
