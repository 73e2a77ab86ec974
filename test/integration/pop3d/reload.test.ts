// SIGHUP re-reads the configuration for new connections; POP3_RESP_CODES (ours) adds RFC 2449/3206 codes.
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Pop3Client } from '../../support/net.js';
import { startPop3d } from './helpers.js';

describe('pop3d reload and response codes', () => {
  test('SIGHUP: a changed POP3AUTH shows in CAPA of the next connection', async () => {
    const server = await startPop3d();
    try {
      const a = await Pop3Client.connect(server.port);
      await a.greeting();
      assert.doesNotMatch(await a.command('CAPA'), /SASL/);
      a.close();
      await appendFile(join(server.configDir, 'pop3d'), 'POP3AUTH="PLAIN LOGIN"\n');
      process.kill(server.pid, 'SIGHUP');
      await server.logs.waitFor((e) => /SIGHUP: reloading/.test(e.msg));
      await new Promise((r) => setTimeout(r, 300));
      const b = await Pop3Client.connect(server.port);
      await b.greeting();
      assert.match(await b.command('CAPA'), /^\+OK Here's what I can do:\r\nSASL PLAIN LOGIN\r\nSTLS\r\n/);
      b.close();
    } finally {
      await server.stop();
    }
  });

  test('POP3_RESP_CODES=1: advertised, and failures carry [AUTH]', async () => {
    const server = await startPop3d({ pop3d: ['POP3_RESP_CODES=1'] });
    try {
      const c = await Pop3Client.connect(server.port);
      await c.greeting();
      assert.match(await c.command('CAPA'), /\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n/);
      await c.command('USER testuser');
      assert.equal(await c.command('PASS wrong'), '-ERR [AUTH] Login failed.\r\n');
      c.close();
    } finally {
      await server.stop();
    }
  });
});

describe('pop3d LOGIN-DELAY', () => {
  test('COURIER_TS_LOGIN_DELAY: advertised, and a second login too soon is refused', async () => {
    const server = await startPop3d({ pop3d: ['COURIER_TS_LOGIN_DELAY=30'] });
    try {
      const a = await Pop3Client.connect(server.port);
      await a.greeting();
      assert.match(await a.command('CAPA'), /\r\nLOGIN-DELAY 30\r\n/);
      await a.command('USER testuser');
      assert.equal(await a.command('PASS testpass'), '+OK logged in.\r\n');
      assert.equal(await a.command('QUIT'), '+OK Bye-bye.\r\n');
      const b = await Pop3Client.connect(server.port);
      await b.greeting();
      await b.command('USER testuser');
      assert.equal(
        await b.command('PASS testpass'),
        '-ERR [LOGIN-DELAY] Too soon since the last login, try again later.\r\n',
      );
      assert.equal(await b.command('QUIT'), '+OK Better luck next time.\r\n');
      assert.ok(
        !server.logs.entries.some((e) => /^LOGIN FAILED/.test(e.msg)),
        'not logged as a failed login',
      );
    } finally {
      await server.stop();
    }
  });
});
