import { Duplex, PassThrough } from 'node:stream';
import { createImapSessionMain, imapRegistry, resolveImapdSettings } from '@courier-ts/imapd';
import { envSource } from '@courier-ts/runtime';
import { pino } from 'pino';
const settings = resolveImapdSettings(envSource({}), {});
const toServer = new PassThrough(); const fromServer = new PassThrough();
let buf = '';
const waiters = [];
fromServer.on('data', (c) => { buf += c.toString('latin1'); if (buf.length > 4096) buf = buf.slice(-512); for (const w of [...waiters]) w(); });
const until = (tag) => new Promise((res) => { const chk = () => { if (buf.includes(`\r\n${tag} OK`) || buf.startsWith(`${tag} OK`)) { waiters.splice(waiters.indexOf(chk), 1); buf=''; res(); } }; waiters.push(chk); chk(); });
const main = createImapSessionMain({ registry: imapRegistry() });
const done = main(Duplex.from({ readable: toServer, writable: fromServer }), { init: { user: 'x', maildir: '/tmp/imx/BB', tls: false, starttls: false, utf8: false, remoteIp: '127.0.0.1', remotePort: 0, startedAt: Date.now(), greeting: '* PREAUTH Ready.', disableImap: false, settings: settings.session }, pending: Buffer.alloc(0), log: pino({ level: 'silent' }), signal: new AbortController().signal });
for (const [tag, cmd] of [['a', 'SELECT INBOX'], ['b', process.argv[2]], ['c', process.argv[2]]]) {
  const t = performance.now(); toServer.write(`${tag} ${cmd}\r\n`); await until(tag); console.log(tag, cmd, (performance.now() - t).toFixed(0), 'ms');
}
toServer.end(); await done;
