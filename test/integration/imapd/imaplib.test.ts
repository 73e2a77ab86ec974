// Python's imaplib against `bin/imapd run` on loopback: plain LOGIN, STARTTLS, the common commands,
// and the failure delay. Real sockets, a real client, a temp maildir.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { type RunningServer, startRunningServer } from '../../support/server.js';

const SCRIPT = String.raw`
import imaplib, json, ssl, sys, time
port, mode = int(sys.argv[1]), sys.argv[2]
out = {}
M = imaplib.IMAP4('127.0.0.1', port)
out['greeting'] = M.welcome.decode()
if mode == 'starttls':
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    M.starttls(ssl_context=ctx)
    out['caps_tls'] = M.capability()[1][0].decode().split()
if mode == 'badpass':
    t = time.time()
    try:
        M.login('testuser', 'wrong')
        out['login'] = 'ok'
    except M.error as e:
        out['login'] = str(e)
    out['delay'] = time.time() - t
    M.logout(); print(json.dumps(out)); sys.exit(0)
out['login'] = M.login('testuser', 'testpass')[0]
out['caps'] = M.capability()[1][0].decode().split()
typ, data = M.select('INBOX'); out['select'] = [typ, data[0].decode()]
typ, data = M.fetch('1:*', '(UID FLAGS RFC822.SIZE)'); out['fetch'] = [d.decode() for d in data]
typ, data = M.fetch('1', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])'); out['subject'] = data[0][1].decode()
typ, data = M.fetch('3', '(BODY[])'); out['body_len'] = len(data[0][1]); out['seen'] = [d.decode() if isinstance(d, bytes) else d[0].decode() for d in data]
typ, data = M.store('1', '+FLAGS', '(\\Flagged)'); out['store'] = [d.decode() for d in data]
typ, data = M.append('INBOX', '(\\Seen)', None, b'From: a@example.com\r\nSubject: appended\r\n\r\nhello\r\n'); out['append'] = [typ, data[0].decode()]
typ, data = M.create('INBOX.Archive'); out['create'] = [typ, data[0].decode()]
typ, data = M.copy('1:2', 'INBOX.Archive'); out['copy'] = [typ, data[0].decode()]
typ, data = M.list('""', '*'); out['list'] = sorted(d.decode() for d in data)
typ, data = M.status('INBOX.Archive', '(MESSAGES UIDNEXT)'); out['status'] = data[0].decode()
typ, data = M.copy('1', 'INBOX.Nope'); out['copy_missing'] = [typ, data[0].decode()]
M.noop(); out['noop'] = [d.decode() for d in M.response('EXISTS')[1] if d]
M.store('2', '+FLAGS', '(\\Deleted)')
typ, data = M.expunge(); out['expunge'] = [d.decode() for d in data if d]
typ, data = M.fetch('1:*', '(UID)'); out['after'] = [d.decode() for d in data]
out['logout'] = M.logout()[0]
print(json.dumps(out))
`;

function runPython(port: number, mode: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', SCRIPT, String(port), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`python exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as Record<string, unknown>);
    });
  });
}

describe('imapd with Python imaplib', () => {
  let server: RunningServer;
  before(async () => {
    server = await startRunningServer({
      kind: 'imapd',
      maildir: { fixture: 'basic' },
      env: { COURIER_TS_LOGIN_FAIL_DELAY: '300' },
    });
  });
  after(async () => {
    await server?.stop();
  });

  test('a whole session: select, fetch, store, append, create, copy, list, status, expunge', async () => {
    const r = await runPython(server.port, 'plain');
    assert.match(String(r.greeting), /^\* OK \[CAPABILITY IMAP4rev1 .*STARTTLS.*\] Courier-IMAP ready\./);
    assert.equal(r.login, 'OK');
    assert.ok((r.caps as string[]).includes('MOVE'));
    assert.ok(!(r.caps as string[]).includes('STARTTLS'), 'no STARTTLS after login');
    assert.deepEqual(r.select, ['OK', '3']);
    assert.deepEqual(r.fetch, [
      '1 (UID 1 FLAGS (\\Seen \\Recent) RFC822.SIZE 356)',
      '2 (UID 2 FLAGS (\\Flagged \\Seen \\Recent) RFC822.SIZE 651)',
      '3 (UID 3 FLAGS (\\Recent) RFC822.SIZE 232)',
    ]);
    assert.equal(r.subject, 'Subject: Lunch on Friday?\r\n\r\n');
    assert.equal(r.body_len, 232);
    assert.ok(
      (r.seen as string[]).some((l) => l.includes('3 (FLAGS (\\Seen \\Recent))')),
      JSON.stringify(r.seen),
    );
    assert.deepEqual(r.store, ['1 (FLAGS (\\Flagged \\Seen \\Recent))']);
    assert.deepEqual(r.append, [
      'OK',
      `[APPENDUID ${String((r.append as string[])[1]).split(' ')[1]} 4] APPEND Ok.`,
    ]);
    assert.deepEqual(r.create, ['OK', '"INBOX.Archive" created.']);
    assert.match(String((r.copy as string[])[1]), /^\[COPYUID \d+ 1:2 1:2\] COPY completed\.$/);
    // INBOX: every message \Seen by now (FETCH 3 BODY[] set the last one), so Courier's \Unmarked.
    assert.deepEqual(r.list, [
      '(\\HasNoChildren) "." "INBOX.Archive"',
      '(\\Unmarked \\HasChildren) "." "INBOX"',
    ]);
    assert.match(String(r.status), /^"INBOX.Archive" \(MESSAGES 2 UIDNEXT 3\)$/);
    assert.deepEqual(r.copy_missing, ['NO', '[TRYCREATE] Mailbox does not exist.']);
    assert.equal((r.noop as string[]).at(-1), '4');
    assert.deepEqual(r.expunge, ['2']);
    assert.deepEqual(r.after, ['1 (UID 1)', '2 (UID 3)', '3 (UID 4)']);
    assert.equal(r.logout, 'BYE');
    await waitLog(
      server,
      /LOGOUT, user=testuser, ip=\[::ffff:127\.0\.0\.1\], port=\[\d+\], headers=\d+, body=\d+, rcvd=\d+, sent=\d+, time=\d+/,
    );
  });

  test('STARTTLS, then the TLS capability list', async () => {
    const r = await runPython(server.port, 'starttls');
    assert.equal(r.login, 'OK');
    assert.ok(!(r.caps_tls as string[]).includes('STARTTLS'));
    assert.ok((r.caps_tls as string[]).includes('AUTH=PLAIN'));
    await waitLog(server, /LOGOUT, user=testuser, .*starttls=1/);
  });

  test("a wrong password: NO after the failure delay, and Courier's log line", async () => {
    const r = await runPython(server.port, 'badpass');
    assert.match(String(r.login), /Login failed\./);
    assert.ok((r.delay as number) >= 0.29, `delay ${r.delay}`);
    await waitLog(server, /LOGIN FAILED, user=testuser, ip=\[::ffff:127\.0\.0\.1\], port=\[\d+\]/);
  });
});

async function waitLog(server: RunningServer, re: RegExp): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (re.test(server.logs.text())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`log line ${re} not found in:\n${server.logs.text()}`);
}
