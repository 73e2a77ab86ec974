// Raw POP3 sessions against our pop3d: Courier's exact replies for good and bad input, the session
// going on after errors, pipelining, and DELE applied only at QUIT.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Pop3Client } from '../../support/net.js';
import type { RunningServer } from '../../support/server.js';
import { listDir, sleep, startPop3d } from './helpers.js';

const b64 = (s: string): string => Buffer.from(s, 'latin1').toString('base64');

async function login(server: RunningServer): Promise<Pop3Client> {
  const c = await Pop3Client.connect(server.port);
  assert.equal(await c.greeting(), '+OK Hello there.\r\n');
  assert.equal(await c.command('USER testuser'), '+OK Password required.\r\n');
  assert.equal(await c.command('PASS testpass'), '+OK logged in.\r\n');
  return c;
}

describe('pop3d protocol', () => {
  let server: RunningServer;
  before(async () => {
    server = await startPop3d({ pop3d: ['MAXPERIP=40'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('AUTHORIZATION state: Courier wording for every mistake', async () => {
    const c = await Pop3Client.connect(server.port);
    await c.greeting();
    const script: Array<[string, string]> = [
      ['PASS x', '-ERR USER/PASS required.'],
      ['STAT', '-ERR Invalid command.'],
      ['USER', '-ERR Invalid command.'],
      ['APOP testuser 0123456789abcdef0123456789abcdef', '-ERR Invalid command.'],
      ['AUTH', '-ERR Invalid command.'],
      ['', '-ERR Invalid command.'],
      ['USER testuser', '+OK Password required.'],
      ['PASS ', '-ERR USER/PASS required.'],
      ['PASS wrong', '-ERR Login failed.'],
      ['AUTH PLAIN !!!!', '-ERR Authentication aborted.'],
      ['AUTH NOSUCHMECH', '-ERR Authentication failed.'],
      [`AUTH PLAIN ${b64('\0testuser\0wrong')}`, '-ERR Authentication failed.'],
      ['AUTH PLAIN', '+ '],
      ['*', '-ERR Authentication aborted.'],
      ['UTF8', '+OK UTF8 enabled'],
      ['STLS\x00junk', '-ERR Invalid command.'],
      ['QUIT', '+OK Better luck next time.'],
    ];
    for (const [cmd, want] of script) assert.equal(await c.command(cmd), `${want}\r\n`, cmd);
    assert.equal(await c.readLine(), undefined, 'closed after QUIT');
    const failed = await server.logs.waitFor((e) =>
      /^LOGIN FAILED, user=testuser, ip=\[::ffff:127\.0\.0\.1\], port=\[\d+\]$/.test(e.msg),
    );
    assert.ok(failed);
    assert.ok(
      await server.logs.waitFor((e) =>
        /^LOGIN FAILED, method=PLAIN, ip=\[::ffff:127\.0\.0\.1\], port=\[\d+\]$/.test(e.msg),
      ),
    );
    assert.ok(
      await server.logs.waitFor((e) => /^LOGOUT, ip=\[::ffff:127\.0\.0\.1\], port=\[\d+\]$/.test(e.msg)),
    );
  });

  test('AUTH PLAIN and AUTH LOGIN log in', async () => {
    const c = await Pop3Client.connect(server.port);
    await c.greeting();
    assert.equal(await c.command(`AUTH PLAIN ${b64('\0testuser\0testpass')}`), '+OK logged in.\r\n');
    assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
    const d = await Pop3Client.connect(server.port);
    await d.greeting();
    assert.equal(await d.command('AUTH LOGIN'), '+ VXNlcm5hbWU6\r\n');
    assert.equal(await d.command(b64('testuser')), '+ UGFzc3dvcmQ6\r\n');
    assert.equal(await d.command(b64('testpass')), '+OK logged in.\r\n');
    assert.match(await d.command('STAT'), /^\+OK 5 \d+\r\n$/);
    assert.equal(await d.command('QUIT'), '+OK Bye-bye.\r\n');
  });

  test('TRANSACTION state: bad numbers, junk, long lines; the session goes on', async () => {
    const c = await login(server);
    const script: Array<[string, RegExp | string]> = [
      ['STAT', /^\+OK 5 \d+$/],
      ['LIST 0', '-ERR Invalid message number.'],
      ['LIST -1', '-ERR Invalid message number.'],
      ['LIST abc', '-ERR Invalid message number.'],
      ['LIST 99999999999999999999', '-ERR Invalid message number.'],
      ['RETR 6', '-ERR Invalid message number.'],
      ['RETR', '-ERR Invalid message number.'],
      ['TOP 2', '-ERR Invalid command.'],
      ['DELE 1', '+OK Deleted.'],
      ['DELE 1', '-ERR Invalid message number.'],
      ['RETR 1', '-ERR Invalid message number.'],
      ['UIDL 1', '-ERR Invalid message number.'],
      ['STLS', '-ERR Invalid command.'],
      ['USER x', '-ERR Invalid command.'],
      ['FOO BAR', '-ERR Invalid command.'],
      ['\x01\x02\xff\xfe', '-ERR Invalid command.'],
      [`NOOP ${'x'.repeat(20000)}`, '-ERR Invalid command.'],
      ['noop', '+OK Yup.'],
      ['RSET', '+OK Resurrected.'],
      ['LIST 1', /^\+OK 1 \d+$/],
      ['UIDL 2', /^\+OK 2 UID2-\d+$/],
    ];
    for (const [cmd, want] of script) {
      const got = (await c.command(cmd)).replace(/\r\n$/, '');
      if (typeof want === 'string') assert.equal(got, want, cmd.slice(0, 40));
      else assert.match(got, want, cmd.slice(0, 40));
    }
    assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
  });

  test('RETR and TOP: dot-stuffing, octet count, missing final newline', async () => {
    const c = await login(server);
    const list = await c.command('LIST');
    const sizes = list
      .split('\r\n')
      .slice(1, -2)
      .map((l) => Number(l.split(' ')[1]));
    const r1 = await c.command('RETR 1');
    const body = r1.slice(r1.indexOf('\r\n') + 2, -3);
    assert.equal(r1.split('\r\n')[0], `+OK ${sizes[0]} octets follow.`);
    assert.match(r1, /\r\n\.\.dot line\r\n\.\.\.two dots\r\n\.\.\r\nend\r\n\.\r\n$/);
    assert.equal(Buffer.byteLength(body.replace(/\r\n\.\./g, '\r\n.'), 'latin1'), sizes[0]);
    const r5 = await c.command('RETR 5');
    assert.match(r5, /no body, no final newline\r\n\.\r\n$/);
    assert.equal(
      await c.command('TOP 2 1'),
      '+OK headers follow.\r\nFrom: c@example.com\r\nSubject: two\r\n\r\nline1\r\n.\r\n',
    );
    assert.equal(await c.command('UTF8'), '+OK UTF8 enabled\r\n');
    assert.match(
      await c.command('RETR 3'),
      /^\+OK \d+ octets follow\.\r\nFrom: =\?utf-8\?q\?x\?= <x@example\.com>\r\n/,
    );
    assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
  });

  test('pipelined commands are answered in order, PASS included', async () => {
    const c = await Pop3Client.connect(server.port);
    await c.greeting();
    c.write('USER testuser\r\nPASS testpass\r\nSTAT\r\nNOOP\r\nLIST 2\r\nQUIT\r\n');
    const lines: string[] = [];
    for (let l = await c.readLine(); l !== undefined; l = await c.readLine()) lines.push(l.trimEnd());
    assert.equal(lines.length, 6);
    assert.deepEqual(lines.slice(0, 2), ['+OK Password required.', '+OK logged in.']);
    assert.match(lines[2]!, /^\+OK 5 \d+$/);
    assert.deepEqual(lines.slice(3, 4), ['+OK Yup.']);
    assert.match(lines[4]!, /^\+OK 2 \d+$/);
    assert.equal(lines[5], '+OK Bye-bye.');
  });

  test('pipelined RETRs, then a bad and an overlong command, then half a line: nothing is held back', async () => {
    const c = await login(server);
    const one = await c.command('RETR 1');
    const two = await c.command('RETR 2');
    c.write(`RETR 1\r\nRETR 2\r\nRETR 1\r\nBOGUS\r\nNOOP ${'x'.repeat(9000)}\r\n`);
    let got = '';
    while (got.length < 2 * one.length + two.length) got += `${await c.readLine()}`;
    assert.equal(got, one + two + one);
    assert.equal(await c.readLine(), '-ERR Invalid command.\r\n');
    assert.equal(await c.readLine(), '-ERR Invalid command.\r\n');
    // a complete command followed by part of the next one is answered at once
    c.write('NOOP\r\nNO');
    assert.equal(await c.readLine(), '+OK Yup.\r\n');
    c.write('OP\r\n');
    assert.equal(await c.readLine(), '+OK Yup.\r\n');
    assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
  });

  test('STAT, LIST and UIDL follow DELE and RSET (asked twice each time)', async () => {
    const c = await login(server);
    const lines = (r: string): string[] => r.split('\r\n').slice(1, -2);
    const stat = await c.command('STAT');
    const [, count, octets] = /^\+OK (\d+) (\d+)\r\n$/.exec(stat)!;
    const list = await c.command('LIST');
    assert.equal(await c.command('LIST'), list);
    const uidl = await c.command('UIDL');
    assert.equal(await c.command('UIDL'), uidl);
    assert.equal(lines(list).length, Number(count));
    const sizes = lines(list).map((l) => Number(l.split(' ')[1]));
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      Number(octets),
    );
    assert.equal(await c.command('DELE 2'), '+OK Deleted.\r\n');
    assert.equal(await c.command('DELE 4'), '+OK Deleted.\r\n');
    const left = Number(octets) - sizes[1]! - sizes[3]!;
    for (let i = 0; i < 2; i++) {
      assert.equal(await c.command('STAT'), `+OK ${Number(count) - 2} ${left}\r\n`);
      assert.deepEqual(
        lines(await c.command('LIST')),
        lines(list).filter((_, k) => k !== 1 && k !== 3),
      );
      assert.deepEqual(
        lines(await c.command('UIDL')),
        lines(uidl).filter((_, k) => k !== 1 && k !== 3),
      );
    }
    assert.equal(await c.command('RSET'), '+OK Resurrected.\r\n');
    assert.equal(await c.command('STAT'), stat);
    assert.equal(await c.command('LIST'), list);
    assert.equal(await c.command('UIDL'), uidl);
    assert.equal(await c.command('QUIT'), '+OK Bye-bye.\r\n');
  });

  test('DELE then a dropped connection deletes nothing; DELE then QUIT deletes', async () => {
    const cur = join(server.maildir!, 'cur');
    const before = await listDir(cur);
    const c = await login(server);
    assert.equal(await c.command('DELE 1'), '+OK Deleted.\r\n');
    assert.equal(await c.command('DELE 2'), '+OK Deleted.\r\n');
    c.close();
    await server.logs.waitFor((e) => /^DISCONNECTED, user=testuser,/.test(e.msg));
    await sleep(100);
    assert.deepEqual(await listDir(cur), before);
    const d = await login(server);
    const uidl = await d.command('UIDL 1');
    assert.equal(await d.command('DELE 1'), '+OK Deleted.\r\n');
    assert.match(await d.command('STAT'), /^\+OK 4 /);
    assert.equal(await d.command('QUIT'), '+OK Bye-bye.\r\n');
    assert.equal((await listDir(cur)).length, before.length - 1);
    const e = await login(server);
    assert.notEqual(await e.command('UIDL 1'), uidl, 'the deleted message is gone');
    assert.match(await e.command('STAT'), /^\+OK 4 /);
    await e.command('QUIT');
    assert.ok(
      await server.logs.waitFor((x) =>
        /^LOGOUT, user=testuser, ip=\[::ffff:127\.0\.0\.1\], port=\[\d+\], top=0, retr=0, rcvd=\d+, sent=\d+, time=\d+$/.test(
          x.msg,
        ),
      ),
    );
  });
});
