/** Keys of authlib's SQL and LDAP module files (authmysqlrc, authpgsqlrc, authsqliterc, authldaprc). */

import { FLAG, nonNegative, PATH, positive, STRING } from './common.js';
import type { KeySpec, Schema } from './types.js';

/** The column/clause keys the three SQL modules share, under their prefix. */
function sqlKeys(p: 'MYSQL' | 'PGSQL' | 'SQLITE'): KeySpec[] {
  return [
    { key: `${p}_USER_TABLE`, type: STRING, meaning: 'table holding the accounts' },
    { key: `${p}_CRYPT_PWFIELD`, type: STRING, meaning: 'column with the hashed password' },
    { key: `${p}_CLEAR_PWFIELD`, type: STRING, meaning: 'column with the clear-text password' },
    { key: `${p}_UID_FIELD`, type: STRING, default: 'uid', meaning: 'column with the numeric uid' },
    { key: `${p}_GID_FIELD`, type: STRING, default: 'gid', meaning: 'column with the numeric gid' },
    { key: `${p}_LOGIN_FIELD`, type: STRING, default: 'id', meaning: 'column with the login name' },
    { key: `${p}_HOME_FIELD`, type: STRING, default: 'home', meaning: 'column with the home directory' },
    { key: `${p}_NAME_FIELD`, type: STRING, meaning: 'column with the full name' },
    { key: `${p}_MAILDIR_FIELD`, type: STRING, meaning: 'column with the maildir path' },
    {
      key: `${p}_DEFAULTDELIVERY_FIELD`,
      type: STRING,
      meaning: 'column with the default delivery instruction',
    },
    { key: `${p}_DEFAULTDELIVERY`, type: STRING, meaning: 'column with the default delivery instruction' },
    { key: `${p}_QUOTA_FIELD`, type: STRING, meaning: 'column with the maildir quota' },
    { key: `${p}_AUXOPTIONS_FIELD`, type: STRING, meaning: 'column with account options (opt=val,...)' },
    {
      key: `${p}_WHERE_CLAUSE`,
      type: STRING,
      default: '1=1',
      meaning: 'extra condition added to every lookup',
    },
    {
      key: `${p}_SELECT_CLAUSE`,
      type: STRING,
      meaning: 'custom lookup query ($(local_part), $(domain), $(service))',
    },
    { key: `${p}_ENUMERATE_CLAUSE`, type: STRING, meaning: 'custom query listing every account' },
    {
      key: `${p}_CHPASS_CLAUSE`,
      type: STRING,
      meaning: 'custom password change query ($(newpass), $(newpass_crypt))',
    },
    { key: `${p}_CHARACTER_SET`, type: STRING, meaning: 'connection character set' },
    { key: 'DEFAULT_DOMAIN', type: STRING, meaning: 'domain appended to login names without one' },
  ];
}

export const AUTHMYSQLRC_SCHEMA: Schema = {
  kind: 'authmysqlrc',
  keys: [
    { key: 'MYSQL_SERVER', type: STRING, meaning: 'database host' },
    { key: 'MYSQL_SOCKET', type: PATH, meaning: 'database unix socket (instead of MYSQL_SERVER)' },
    { key: 'MYSQL_USERNAME', type: STRING, meaning: 'database user' },
    { key: 'MYSQL_PASSWORD', type: STRING, meaning: 'database password' },
    { key: 'MYSQL_DATABASE', type: STRING, meaning: 'database name' },
    {
      key: 'MYSQL_PORT',
      type: { kind: 'integer', min: 0, max: 65535 },
      meaning: 'database port (0 = default)',
    },
    { key: 'MYSQL_OPT', type: nonNegative, meaning: 'client flags' },
    { key: 'MYSQL_SSL_KEY', type: PATH, meaning: 'TLS client key' },
    { key: 'MYSQL_SSL_CERT', type: PATH, meaning: 'TLS client certificate' },
    { key: 'MYSQL_SSL_CACERT', type: PATH, meaning: 'TLS CA certificate' },
    { key: 'MYSQL_SSL_CAPATH', type: PATH, meaning: 'TLS CA directory' },
    { key: 'MYSQL_SSL_CIPHER', type: STRING, meaning: 'TLS cipher list' },
    ...sqlKeys('MYSQL'),
  ],
};

export const AUTHPGSQLRC_SCHEMA: Schema = {
  kind: 'authpgsqlrc',
  keys: [{ key: 'PGSQL_CONNECTION', type: STRING, meaning: 'libpq connection string' }, ...sqlKeys('PGSQL')],
};

export const AUTHSQLITERC_SCHEMA: Schema = {
  kind: 'authsqliterc',
  keys: [{ key: 'SQLITE_DATABASE', type: PATH, meaning: 'database file' }, ...sqlKeys('SQLITE')],
};

export const AUTHLDAPRC_SCHEMA: Schema = {
  kind: 'authldaprc',
  keys: [
    { key: 'LDAP_URI', type: STRING, meaning: 'server URIs, comma-separated' },
    {
      key: 'LDAP_PROTOCOL_VERSION',
      type: { kind: 'enum', values: ['2', '3'] },
      meaning: 'LDAP protocol version',
    },
    { key: 'LDAP_BASEDN', type: STRING, meaning: 'search base' },
    { key: 'LDAP_BINDDN', type: STRING, meaning: 'DN to bind as for lookups' },
    { key: 'LDAP_BINDPW', type: STRING, meaning: 'password of LDAP_BINDDN' },
    { key: 'LDAP_INITBIND', type: FLAG, meaning: 'bind before searching' },
    { key: 'LDAP_AUTHBIND', type: FLAG, meaning: 'check passwords by binding as the user' },
    { key: 'LDAP_TIMEOUT', type: positive(), default: '5', meaning: 'query timeout in seconds' },
    { key: 'LDAP_TLS', type: FLAG, default: '0', meaning: 'use STARTTLS' },
    {
      key: 'LDAP_DEREF',
      type: { kind: 'enum', values: ['never', 'searching', 'finding', 'always'] },
      meaning: 'alias dereferencing',
    },
    { key: 'LDAP_FILTER', type: STRING, meaning: 'extra search filter' },
    { key: 'LDAP_DOMAIN', type: STRING, meaning: 'domain appended to login names without one' },
    { key: 'LDAP_MAIL', type: STRING, default: 'mail', meaning: 'attribute holding the login address' },
    { key: 'LDAP_UID', type: STRING, meaning: 'attribute holding the uid' },
    { key: 'LDAP_GID', type: STRING, meaning: 'attribute holding the gid' },
    { key: 'LDAP_GLOB_UID', type: STRING, meaning: 'uid (number or name) for every account' },
    { key: 'LDAP_GLOB_GID', type: STRING, meaning: 'gid (number or name) for every account' },
    {
      key: 'LDAP_HOMEDIR',
      type: STRING,
      default: 'homeDir',
      meaning: 'attribute holding the home directory',
    },
    { key: 'LDAP_MAILROOT', type: PATH, meaning: 'prefix for relative home directories' },
    { key: 'LDAP_MAILDIR', type: STRING, meaning: 'attribute holding the maildir' },
    { key: 'LDAP_DEFAULTDELIVERY', type: STRING, meaning: 'attribute holding the default delivery' },
    { key: 'LDAP_FULLNAME', type: STRING, meaning: 'attribute holding the full name' },
    { key: 'LDAP_CLEARPW', type: STRING, meaning: 'attribute holding the clear-text password' },
    { key: 'LDAP_CRYPTPW', type: STRING, meaning: 'attribute holding the hashed password' },
    { key: 'LDAP_MAILDIRQUOTA', type: STRING, meaning: 'attribute holding the maildir quota' },
    { key: 'LDAP_AUXOPTIONS', type: STRING, meaning: 'attributes mapped to account options: attr=opt,...' },
    { key: 'LDAP_ENUMERATE_FILTER', type: STRING, meaning: 'filter listing every account' },
    {
      key: 'LDAP_EMAILMAP<...>',
      keyPattern: /^LDAP_EMAILMAP[A-Z_]*$/,
      type: STRING,
      meaning: 'e-mail to account mapping settings',
    },
  ],
};
