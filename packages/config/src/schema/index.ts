/** Schema lookup: one schema per file kind, and the union a server load checks against. */

import type { FileKind, ServerName } from '../types.js';
import { AUTHDAEMONRC_SCHEMA } from './authdaemonrc.js';
import { IMAPD_SCHEMA, IMAPD_SSL_SCHEMA } from './imapd.js';
import { POP3D_SCHEMA, POP3D_SSL_SCHEMA } from './pop3d.js';
import {
  AUTHLDAPRC_SCHEMA,
  AUTHMYSQLRC_SCHEMA,
  AUTHPGSQLRC_SCHEMA,
  AUTHSQLITERC_SCHEMA,
} from './rc-files.js';
import type { KeySpec, Schema } from './types.js';

const BY_KIND: Readonly<Record<FileKind, Schema>> = {
  imapd: IMAPD_SCHEMA,
  'imapd-ssl': IMAPD_SSL_SCHEMA,
  pop3d: POP3D_SCHEMA,
  'pop3d-ssl': POP3D_SSL_SCHEMA,
  authdaemonrc: AUTHDAEMONRC_SCHEMA,
  authmysqlrc: AUTHMYSQLRC_SCHEMA,
  authpgsqlrc: AUTHPGSQLRC_SCHEMA,
  authsqliterc: AUTHSQLITERC_SCHEMA,
  authldaprc: AUTHLDAPRC_SCHEMA,
};

/** The schema of one file kind. */
export function schemaFor(kind: FileKind): Schema {
  return BY_KIND[kind];
}

/** Several schemas as one: a key listed twice keeps the later spec (the -ssl file's, for MAILDIRPATH). */
export function mergeSchemas(kind: string, schemas: readonly Schema[]): Schema {
  const byKey = new Map<string, KeySpec>();
  for (const s of schemas) for (const k of s.keys) byKey.set(k.key, k);
  return { kind, keys: [...byKey.values()] };
}

/** Every key a server reads: base file plus -ssl file (sh does not care which file sets what). */
export function serverSchema(server: ServerName): Schema {
  return server === 'imapd'
    ? mergeSchemas('imapd', [IMAPD_SCHEMA, IMAPD_SSL_SCHEMA])
    : mergeSchemas('pop3d', [POP3D_SCHEMA, POP3D_SSL_SCHEMA]);
}

/** The spec for a key (exact, case-sensitive, as Courier reads its environment), including key families. */
export function findKeySpec(schema: Schema, key: string): KeySpec | undefined {
  return schema.keys.find((k) => (k.keyPattern ? k.keyPattern.test(key) : k.key === key));
}

/** Plain key names usable as did-you-mean candidates (families such as AUTHSERVICE<port> excluded). */
export function candidateKeys(schema: Schema): string[] {
  return schema.keys.filter((k) => !k.keyPattern).map((k) => k.key);
}
