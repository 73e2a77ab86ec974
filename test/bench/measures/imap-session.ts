// IMAP session helpers shared by the IMAP measures: a logged-in connection, and the server's names for
// the generated folders (Courier and courier-ts say INBOX.Sent, Dovecot's default namespace says Sent).
import { ImapConnection } from '../client/imap-client.js';
import type { Endpoint } from '../servers/server.js';

export async function imapSession(ep: Endpoint, timeoutMs = 120_000): Promise<ImapConnection> {
  const c = await ImapConnection.open(ep.port, ep.host, timeoutMs);
  try {
    await c.login(ep.user, ep.pass);
  } catch (err) {
    c.destroy();
    throw err;
  }
  return c;
}

/** Map of last name component (Sent, Drafts, devel ...) -> full mailbox name, from LIST "" "*". */
export async function folderNames(c: ImapConnection): Promise<Map<string, string>> {
  const r = await c.command('LIST "" "*"', { keep: true });
  const out = new Map<string, string>();
  for (const line of r.untagged) {
    const m = /^\* LIST \([^)]*\) (?:"[^"]*"|NIL) (.+)$/i.exec(line);
    if (!m) continue;
    const name = m[1]!.replace(/^"(.*)"$/, '$1');
    const base = name.split(/[./]/).pop() ?? name;
    out.set(base, name);
    out.set(name.replace(/^INBOX\./, ''), name);
  }
  return out;
}
