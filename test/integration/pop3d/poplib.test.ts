// Python's poplib against our pop3d (bin/pop3d run): plain, STLS and the SSL port; keep and delete.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../../support/server.js';
import { listDir, POPLIB_CLIENT, runPython, startPop3d } from './helpers.js';

interface PoplibResult {
  welcome: string;
  stls?: string;
  capa: string[];
  pass: string;
  stat: [number, number];
  uidl: string[];
  list: string[];
  messages: Array<{ resp: string; lines: number; octets: number; first: string }>;
  top1: string[];
  quit: string | null;
}

async function poplib(
  server: RunningServer,
  mode: string,
  port: number,
  action: string,
): Promise<PoplibResult> {
  const r = await runPython([
    POPLIB_CLIENT,
    mode,
    String(port),
    server.user.name,
    server.user.password,
    action,
  ]);
  assert.equal(r.code, 0, `poplib failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PoplibResult;
}

describe('poplib', () => {
  let server: RunningServer;
  before(async () => {
    server = await startPop3d();
  });
  after(async () => {
    await server?.stop();
  });

  test('plain: fetch and keep; UIDLs stable across sessions', async () => {
    const a = await poplib(server, 'plain', server.port, 'fetch');
    assert.equal(a.welcome, '+OK Hello there.');
    assert.equal(a.pass, '+OK logged in.');
    assert.deepEqual(a.capa, [
      'IMPLEMENTATION',
      'LOGIN-DELAY',
      'PIPELINING',
      'STLS',
      'TOP',
      'UIDL',
      'USER',
      'UTF8',
    ]);
    assert.equal(a.stat[0], 5);
    assert.equal(a.uidl.length, 5);
    assert.match(a.uidl[0]!, /^1 UID1-\d+$/);
    assert.equal(a.messages[0]!.first, 'From: a@example.com');
    // poplib un-stuffs the dots: the body line ".dot line" arrives as sent.
    assert.equal(a.messages[0]!.resp, `+OK ${a.list[0]!.split(' ')[1]} octets follow.`);
    // message 3 has raw UTF-8 headers and the client did not send UTF8: Courier's wrapper
    assert.equal(a.messages[2]!.first, 'From: Mail Delivery Subsystem <postmaster>');
    assert.deepEqual(a.top1.slice(-1), ['']);
    assert.equal(a.quit, '+OK Bye-bye.');
    const b = await poplib(server, 'plain', server.port, 'fetch');
    assert.deepEqual(b.uidl, a.uidl);
    // RETR set \Seen: every message is in cur/ with S now
    const cur = await listDir(join(server.maildir!, 'cur'));
    assert.equal(cur.length, 5);
    for (const f of cur) assert.match(f, /:2,[A-Z]*S/);
  });

  test('STLS upgrade, then the session runs under TLS', async () => {
    const r = await poplib(server, 'stls', server.port, 'fetch');
    assert.equal(r.stls, '+OK Begin SSL/TLS negotiation now.');
    assert.equal(r.capa.includes('STLS'), false, 'no STLS offered once under TLS');
    assert.equal(r.stat[0], 5);
    const line = await server.logs.waitFor((e) => /^LOGOUT, user=testuser, .*, stls=1$/.test(e.msg));
    assert.ok(line, 'LOGOUT line with stls=1');
  });

  test('SSL port: delete everything; dropped connection after DELE deleted nothing before', async () => {
    const dropped = await poplib(server, 'ssl', server.tlsPort!, 'drop-after-dele');
    assert.equal(dropped.quit, null);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await listDir(join(server.maildir!, 'cur'))).length, 5, 'nothing deleted without QUIT');
    const r = await poplib(server, 'ssl', server.tlsPort!, 'fetch-delete');
    assert.equal(r.quit, '+OK Bye-bye.');
    assert.deepEqual(await listDir(join(server.maildir!, 'cur')), []);
    const again = await poplib(server, 'plain', server.port, 'fetch');
    assert.deepEqual(again.stat, [0, 0]);
  });
});
