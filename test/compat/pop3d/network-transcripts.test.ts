// The same scripted POP3 sessions over the network against the real Courier (courier-reference
// instance) and our pop3d: plain, STLS, the SSL port. Normalised transcripts, maildirs and log lines
// must match.
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { startPop3d } from '../../integration/pop3d/helpers.js';
import { type CourierInstance, courierAvailability, startCourier } from '../../support/courier.js';
import { createMaildir } from '../../support/maildir-fixture.js';
import type { RunningServer } from '../../support/server.js';
import { pop3IsMultiline, StreamReader } from '../../support/wire.js';

const b64 = (s: string): string => Buffer.from(s, 'latin1').toString('base64');

interface Script {
  readonly name: string;
  readonly tls: 'none' | 'stls' | 'implicit';
  readonly commands: readonly string[];
}

const SCRIPTS: readonly Script[] = [
  {
    name: 'login phase mistakes, then a whole session',
    tls: 'none',
    commands: [
      'CAPA',
      'PASS x',
      'USER',
      'STAT',
      '',
      'AUTH',
      'APOP a b',
      'AUTH PLAIN',
      '*',
      'AUTH PLAIN !!!!',
      'AUTH PLAIN =',
      'USER testuser',
      'PASS ',
      'UTF8',
      'noop',
      'USER testuser',
      'PASS wrong',
      `AUTH PLAIN ${b64('\0testuser\0testpass')}`,
      'STAT',
      'LIST',
      'UIDL',
      'CAPA',
      'RETR 1',
      'TOP 2 1',
      'RETR 3',
      'TOP 5 0',
      'RETR 5',
      'LIST 9',
      'DELE 1',
      'DELE 1',
      'STAT',
      'STLS',
      'DELE 4',
      'QUIT',
    ],
  },
  {
    name: 'STLS, then login under TLS',
    tls: 'stls',
    commands: ['CAPA', 'STLS', 'USER testuser', 'PASS testpass', 'CAPA', 'STAT', 'QUIT'],
  },
  {
    name: 'SSL port',
    tls: 'implicit',
    commands: ['CAPA', 'STLS', 'AUTH LOGIN', b64('testuser'), b64('testpass'), 'UIDL', 'QUIT'],
  },
  {
    name: 'QUIT before login',
    tls: 'none',
    commands: ['USER testuser', 'QUIT'],
  },
];

function open(port: number, implicitTls: boolean): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const s = implicitTls
      ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => resolve(s))
      : connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
}

async function transcript(script: Script, port: number, tlsPort: number): Promise<string> {
  let stream = await open(script.tls === 'implicit' ? tlsPort : port, script.tls === 'implicit');
  let reader = new StreamReader(stream, 20_000);
  let out = (await reader.readLine())?.toString('latin1') ?? '<EOF>\n';
  for (const c of script.commands) {
    stream.write(`${c}\r\n`);
    const multi = pop3IsMultiline(c) && !c.startsWith('AUTH');
    const r = (await reader.readPop3Reply(multi))?.toString('latin1') ?? '<EOF>\n';
    out += `C: ${c}\n${r}`;
    if (c === 'STLS' && r.startsWith('+OK')) {
      const plain = stream;
      stream = await new Promise<Duplex>((resolve, reject) => {
        const t = tlsConnect({ socket: plain as never, rejectUnauthorized: false }, () => resolve(t));
        t.once('error', reject);
      });
      reader = new StreamReader(stream, 20_000);
    }
  }
  stream.destroy();
  return out;
}

function normalise(t: string): string {
  return t.replace(/UID(\d+)-\d+/g, 'UID$1-V').replace(/=_\d+-\d+/g, '=_BOUNDARY');
}

/** Courier's session log lines, ports and times blanked. */
function sessionLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/^(?:INFO|DEBUG): /, ''))
    .filter((l) => /^(LOGIN|LOGIN FAILED|LOGOUT),/.test(l))
    .map((l) =>
      l
        .replace(/port=\[\d+\]/, 'port=[P]')
        .replace(/time=\d+/, 'time=T')
        .replace(/sent=\d+/, 'sent=S'),
    );
}

const avail = courierAvailability(true);

describe('pop3d vs Courier over the network', { skip: !avail.ok && avail.reason }, () => {
  let courier: CourierInstance;
  let ours: RunningServer;
  before(async () => {
    courier = await startCourier();
    ours = await startPop3d({ pop3d: ['MAXPERIP=20'] });
  });
  after(async () => {
    await ours?.stop();
    await courier?.stop();
  });

  for (const script of SCRIPTS) {
    test(script.name, async () => {
      await courier.resetMaildir({ fixture: 'pop3' });
      await rm(ours.maildir!, { recursive: true, force: true });
      await createMaildir(ours.maildir!, { fixture: 'pop3', owner: ours.user.system });
      const expected = normalise(await transcript(script, courier.ports.pop3, courier.ports.pop3s));
      const actual = normalise(await transcript(script, ours.port, ours.tlsPort!));
      // Deliberate difference: for a wrapped (raw UTF-8 header) message Courier announces the octet
      // count with the wrapper's line ends counted as LF; we announce what is really sent.
      const fix = (t: string) =>
        t.replace(
          /\+OK \d+ octets follow\.\r\nFrom: Mail Delivery/g,
          '+OK N octets follow.\r\nFrom: Mail Delivery',
        );
      assert.equal(fix(actual), fix(expected));
    });
  }

  test('maildirs and log lines agree after the scripts', async () => {
    const listing = async (dir: string) => ({
      cur: (await readdir(join(dir, 'cur'))).sort(),
      new: (await readdir(join(dir, 'new'))).sort(),
    });
    // the last script that touched the maildir was run on a fresh copy each time
    assert.deepEqual(await listing(ours.maildir!), await listing(courier.maildir));
    const theirs = sessionLines(await courier.logs());
    const mine = sessionLines(
      ours.logs
        .text()
        .split('\n')
        .map((l) => {
          try {
            return (JSON.parse(l) as { msg?: string }).msg ?? '';
          } catch {
            return l;
          }
        })
        .join('\n'),
    );
    // Courier's lines come from two log files (pop3d, pop3d-ssl): compare as sets.
    assert.deepEqual([...mine].sort(), [...theirs].sort());
  });
});
