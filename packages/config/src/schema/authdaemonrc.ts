/** Keys of /etc/courier/authdaemonrc, with Debian 12's defaults. */

import { nonNegative, PATH, STRING } from './common.js';
import type { Schema, ValueType } from './types.js';

/** Module names Courier's authlib knows. */
export const AUTH_MODULES: readonly string[] = [
  'authuserdb',
  'authpam',
  'authpwd',
  'authshadow',
  'authpgsql',
  'authldap',
  'authmysql',
  'authsqlite',
  'authcustom',
  'authpipe',
];

const MODULES: ValueType = { kind: 'words', allowed: AUTH_MODULES };

export const AUTHDAEMONRC_SCHEMA: Schema = {
  kind: 'authdaemonrc',
  keys: [
    {
      key: 'authmodulelist',
      type: MODULES,
      default: 'authpam',
      meaning: 'authentication modules, tried in this order',
    },
    {
      key: 'authmodulelistorig',
      type: MODULES,
      default: 'authuserdb authpam authpgsql authldap authmysql authsqlite authcustom authpipe',
      meaning: 'every module built (webadmin only)',
    },
    {
      key: 'daemons',
      type: nonNegative,
      default: '5',
      meaning: 'number of authentication worker processes (0 = 1)',
    },
    {
      key: 'authdaemonvar',
      type: PATH,
      default: '/run/courier/authdaemon',
      meaning: 'directory of the socket (informational)',
    },
    {
      key: 'DEBUG_LOGIN',
      type: { kind: 'enum', values: ['0', '1', '2'] },
      default: '0',
      meaning: '1 = log authentication steps, 2 = also log passwords',
    },
    {
      key: 'DEFAULTOPTIONS',
      type: {
        kind: 'pattern',
        re: /^(|[A-Za-z0-9_-]+(=[^,]*)?(,[A-Za-z0-9_-]+(=[^,]*)?)*)$/,
        expected: 'a list opt=value,opt=value',
      },
      default: '',
      meaning: 'account options applied when the account does not set them',
    },
    { key: 'LOGGEROPTS', type: STRING, default: '', meaning: 'courierlogger options' },
    { key: 'LDAPTLS_CACERT', type: PATH, meaning: 'CA certificate for LDAP over TLS (libldap)' },
    {
      key: 'LDAPTLS_REQCERT',
      type: STRING,
      meaning: 'LDAP server certificate policy, e.g. demand (libldap)',
    },
    { key: 'LDAPTLS_CERT', type: PATH, meaning: 'client certificate for LDAP over TLS (libldap)' },
    { key: 'LDAPTLS_KEY', type: PATH, meaning: 'client key for LDAP over TLS (libldap)' },
  ],
};
