// A temporary Courier-format configuration directory for our servers: imapd, imapd-ssl, pop3d, pop3d-ssl,
// authdaemonrc and a userdb text file, with Debian's stock values except for the listeners, which are
// on loopback at the ports given.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** md5-crypt of "testpass" (Courier's `userdbpw -md5` form), so no hashing code is needed to make an account. */
export const TEST_PASSWORD_HASH = '$1$UOUAAfe6$NZIEGBplpVrIh5vHQuv6E.';
export const TEST_USER = 'testuser';
export const TEST_PASSWORD = 'testpass';

export interface UserdbAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly maildir: string;
  /** A hash in any scheme authlib accepts (default: TEST_PASSWORD_HASH). */
  readonly systempw?: string;
  readonly extra?: Readonly<Record<string, string>>;
}

export interface ConfigPorts {
  readonly imap?: number;
  readonly imaps?: number;
  readonly pop3?: number;
  readonly pop3s?: number;
}

export interface ConfigDirOptions {
  readonly dir: string;
  readonly ports: ConfigPorts;
  readonly address?: string;
  /** TLS_CERTFILE for both servers (key + cert). */
  readonly certFile?: string;
  readonly accounts: readonly UserdbAccount[];
  /** Extra `KEY=value` lines (values already quoted as sh wants) per file, appended last. */
  readonly extra?: Readonly<Partial<Record<ConfigFileName, readonly string[]>>>;
  /**
   * Keep the servers' spare worker (their default as root). Off unless asked: a test server that
   * never serves a login need not warm a process up, and process-tree checks stay simple.
   */
  readonly spareWorker?: boolean;
}

export type ConfigFileName = 'imapd' | 'imapd-ssl' | 'pop3d' | 'pop3d-ssl' | 'authdaemonrc';

export function userdbLine(a: UserdbAccount): string {
  const fields: string[] = [`uid=${a.uid}`, `gid=${a.gid}`, `home=${a.home}`, `mail=${a.maildir}`];
  for (const [k, v] of Object.entries(a.extra ?? {})) fields.push(`${k}=${v}`);
  fields.push(`systempw=${a.systempw ?? TEST_PASSWORD_HASH}`);
  return `${a.name}\t${fields.join('|')}`;
}

function files(o: ConfigDirOptions): Record<ConfigFileName, string[]> {
  const addr = o.address ?? '127.0.0.1';
  const d = o.dir;
  const cert = o.certFile ?? join(d, 'server.pem');
  return {
    imapd: [
      `ADDRESS=${addr}`,
      `PORT=${o.ports.imap ?? 143}`,
      'MAXDAEMONS=40',
      'MAXPERIP=20',
      `PIDFILE=${join(d, 'imapd.pid')}`,
      'TCPDOPTS="-nodnslookup -noidentlookup"',
      'IMAP_CAPABILITY="IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE"',
      'IMAP_KEYWORDS=1',
      'IMAP_ACL=1',
      'IMAP_CAPABILITY_TLS="$IMAP_CAPABILITY AUTH=PLAIN"',
      'IMAP_PROXY=0',
      'IMAP_IDLE_TIMEOUT=60',
      'IMAP_MAILBOX_SANITY_CHECK=1',
      'IMAP_DISABLETHREADSORT=0',
      'IMAP_CHECK_ALL_FOLDERS=0',
      'IMAP_OBSOLETE_CLIENT=0',
      'IMAP_UMASK=022',
      'IMAP_USELOCKS=1',
      'IMAP_TRASHFOLDERNAME=Trash',
      'IMAP_EMPTYTRASH=Trash:7',
      'IMAP_MOVE_EXPUNGE_TO_TRASH=0',
      'IMAPDSTART=YES',
      'MAILDIRPATH=Maildir',
      ...(o.spareWorker ? [] : ['COURIER_TS_SPARE_WORKER=0']),
    ],
    'imapd-ssl': [
      `SSLPORT=${o.ports.imaps ?? 993}`,
      `SSLADDRESS=${addr}`,
      `SSLPIDFILE=${join(d, 'imapd-ssl.pid')}`,
      'IMAPDSSLSTART=YES',
      'IMAPDSTARTTLS=YES',
      'IMAP_TLS_REQUIRED=0',
      `TLS_CERTFILE=${cert}`,
      'TLS_VERIFYPEER=NONE',
      'TLS_DHPARAMS=',
      'MAILDIRPATH=Maildir',
    ],
    pop3d: [
      `PIDFILE=${join(d, 'pop3d.pid')}`,
      'MAXDAEMONS=40',
      'MAXPERIP=4',
      'POP3AUTH=""',
      'POP3AUTH_TLS=""',
      'POP3_PROXY=0',
      `PORT=${o.ports.pop3 ?? 110}`,
      `ADDRESS=${addr}`,
      'TCPDOPTS="-nodnslookup -noidentlookup"',
      'POP3DSTART=YES',
      'MAILDIRPATH=Maildir',
      ...(o.spareWorker ? [] : ['COURIER_TS_SPARE_WORKER=0']),
      'MIME_UNICODE_MESSAGE_TYPE="message/global"',
    ],
    'pop3d-ssl': [
      `SSLPORT=${o.ports.pop3s ?? 995}`,
      `SSLADDRESS=${addr}`,
      `SSLPIDFILE=${join(d, 'pop3d-ssl.pid')}`,
      'POP3DSSLSTART=YES',
      'POP3_STARTTLS=YES',
      'POP3_TLS_REQUIRED=0',
      `TLS_CERTFILE=${cert}`,
      'TLS_VERIFYPEER=NONE',
      'TLS_DHPARAMS=',
      'MAILDIRPATH=Maildir',
    ],
    authdaemonrc: ['authmodulelist="authuserdb"', 'daemons=5', 'DEBUG_LOGIN=0', 'DEFAULTOPTIONS=""'],
  };
}

/** Write the five config files and `userdb` (mode 600) into `o.dir` (which must exist). */
export async function writeConfigDir(o: ConfigDirOptions): Promise<void> {
  const all = files(o);
  for (const [name, lines] of Object.entries(all) as Array<[ConfigFileName, string[]]>) {
    const extra = o.extra?.[name] ?? [];
    const text = `# written by test/support/config-dir.ts\n${[...lines, ...extra].join('\n')}\n`;
    await writeFile(join(o.dir, name), text, { mode: 0o644 });
  }
  await writeFile(join(o.dir, 'userdb'), `${o.accounts.map(userdbLine).join('\n')}\n`, { mode: 0o600 });
}
