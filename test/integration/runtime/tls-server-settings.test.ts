// The TLS_* keys through a real server (bin/pop3d run): TLS_VERIFYPEER=REQUIREPEER on the implicit-TLS
// port and after STLS, and TLS_PRIORITY / TLS_MIN_DH_BITS (mapped, or warned about at start).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { Pop3Client } from '../../support/net.js';
import type { RunningServer } from '../../support/server.js';
import { makeTempDir, type TempDir } from '../../support/tmp.js';
import { startPop3d } from '../pop3d/helpers.js';
import { type ClientPki, makeClientPki } from './pki.js';

/** The server ended the connection without a reply (an alert, or a close after the handshake). */
const REFUSED = /^(closed|error \w+)$/;

/** First reply over TLS (to `send`, written once the handshake is done), or the error/close instead. */
function firstReply(o: ConnectionOptions, send?: string): Promise<string> {
  return new Promise((resolve) => {
    const t = tlsConnect({ rejectUnauthorized: false, ...o }, () => {
      if (send !== undefined) t.write(send);
    });
    let data = '';
    t.setEncoding('latin1');
    t.on('data', (d: string) => {
      data += d;
      if (data.endsWith('\r\n')) {
        t.destroy();
        resolve(data);
      }
    });
    t.once('error', (err: NodeJS.ErrnoException) => resolve(`error ${err.code ?? err.message}`));
    t.once('close', () => resolve(data === '' ? 'closed' : data));
  });
}

/** STLS on a plain connection, then CAPA over TLS; the first reply line, or how it ended. */
async function stlsThenCapa(port: number, o: ConnectionOptions): Promise<string> {
  const c = await Pop3Client.connect(port);
  await c.greeting();
  assert.match(await c.command('STLS'), /^\+OK/);
  return firstReply({ socket: c.socket, ...o }, 'CAPA\r\n');
}

function sClientLine(port: number, args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...args], { stdio: 'pipe' });
    let out = '';
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (/^\+OK/m.test(out)) child.stdin.end();
    });
    child.stderr.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('close', () => {
      clearTimeout(timer);
      resolve(/^(New|Reused), .*$/m.exec(out)?.[0] ?? 'no handshake');
    });
  });
}

describe('TLS_VERIFYPEER=REQUIREPEER (bin/pop3d)', () => {
  let tmp: TempDir;
  let pki: ClientPki;
  let server: RunningServer;
  before(async () => {
    tmp = await makeTempDir('courier-ts-peer-srv-');
    pki = await makeClientPki(tmp.path);
    server = await startPop3d({
      'pop3d-ssl': [
        'TLS_VERIFYPEER=REQUIREPEER',
        `TLS_TRUSTCERTS=${pki.caFile}`,
        'TLS_EXTERNAL=emailaddress',
      ],
    });
  });
  after(async () => {
    await server?.stop();
    await tmp?.dispose();
  });

  test('implicit TLS: refused without a certificate, refused with an untrusted one, served with a trusted one', async () => {
    const base = { port: server.tlsPort!, host: '127.0.0.1' };
    assert.match(await firstReply(base), REFUSED);
    assert.match(await firstReply({ ...base, key: pki.impostor.key, cert: pki.impostor.cert }), REFUSED);
    assert.match(await firstReply({ ...base, key: pki.client.key, cert: pki.client.cert }), /^\+OK/);
  });

  test('STLS: the same rules after the upgrade', async () => {
    assert.match(await stlsThenCapa(server.port, {}), REFUSED);
    assert.match(
      await stlsThenCapa(server.port, { key: pki.impostor.key, cert: pki.impostor.cert }),
      REFUSED,
    );
    assert.match(await stlsThenCapa(server.port, { key: pki.client.key, cert: pki.client.cert }), /^\+OK/);
  });
});

describe('TLS_PRIORITY and TLS_MIN_DH_BITS (bin/pop3d)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startPop3d({
      'pop3d-ssl': ['TLS_PRIORITY="NORMAL:-VERS-ALL:+VERS-TLS1.3:+CAMELLIA-128-CBC"', 'TLS_MIN_DH_BITS=1024'],
    });
  });
  after(async () => server?.stop());

  test('the unmapped parts are warned about at start', async () => {
    // Said once the listeners are up, just before "listening on": the port can open a moment earlier.
    await server.logs.waitFor((e) => /^listening on /.test(e.msg));
    const warns = server.logs.entries.filter((e) => e.level === 40).map((e) => e.msg);
    assert.ok(
      warns.includes(
        'TLS_PRIORITY="NORMAL:-VERS-ALL:+VERS-TLS1.3:+CAMELLIA-128-CBC": not supported (no OpenSSL equivalent), ignored: +CAMELLIA-128-CBC',
      ),
      warns.join('\n'),
    );
    assert.ok(
      warns.some((w) => /^TLS_MIN_DH_BITS: not supported/.test(w)),
      warns.join('\n'),
    );
  });

  test('-VERS-ALL:+VERS-TLS1.3: a TLS 1.2 client is refused, a TLS 1.3 one served', async () => {
    assert.match(await sClientLine(server.tlsPort!, ['-tls1_3']), /^New, TLSv1\.3/);
    assert.doesNotMatch(await sClientLine(server.tlsPort!, ['-tls1_2']), /^New, TLSv1\.2/);
  });
});
