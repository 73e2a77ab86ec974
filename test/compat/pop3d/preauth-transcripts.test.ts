// The same scripted POP3 sessions against Courier's courierpop3d and our `pop3d preauth`, each on its
// own copy of one fixture maildir: normalised transcripts and the maildir afterwards must be identical.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { courierAvailability, startCourierPreauth } from '../../support/courier.js';
import { createMaildir } from '../../support/maildir-fixture.js';
import { startPreauth } from '../../support/server.js';
import type { StdioSession } from '../../support/stdio.js';
import { makeTempDir } from '../../support/tmp.js';
import { isRoot, mailUser } from '../../support/users.js';
import { pop3IsMultiline } from '../../support/wire.js';

interface Script {
  readonly name: string;
  readonly env: NodeJS.ProcessEnv;
  readonly commands: readonly string[];
}

const SCRIPTS: readonly Script[] = [
  {
    name: 'every command, UTF8 client',
    env: { UTF8: '1' },
    commands: [
      'CAPA',
      'STAT',
      'LIST',
      'UIDL',
      'LIST 2',
      'UIDL 2',
      'LIST 9',
      'LIST 0',
      'LIST -1',
      'LIST abc',
      'RETR 1',
      'TOP 2 1',
      'TOP 2',
      'TOP 2 0',
      'TOP 1 100',
      'RETR 3',
      'RETR 4',
      'RETR 5',
      'DELE 1',
      'DELE 1',
      'RETR 1',
      'STAT',
      'LIST',
      'UIDL',
      'RSET',
      'STAT',
      'NOOP',
      'noop',
      'FOO',
      'USER x',
      'PASS y',
      'STLS',
      'APOP a b',
      'AUTH',
      '',
      'UTF8',
      'DELE 2',
      'DELE 5',
      'QUIT',
    ],
  },
  {
    name: 'dropped connection after DELE',
    env: { UTF8: '1' },
    commands: ['DELE 1', 'DELE 2', 'STAT'],
  },
  {
    name: 'legacy client: TOP of a wrapped message, then UTF8',
    env: { UTF8: '0' },
    commands: ['TOP 3 0', 'UTF8', 'RETR 3', 'QUIT'],
  },
];

/** Run a script; read each reply (multi-line where POP3 says so). */
async function transcript(s: StdioSession, commands: readonly string[]): Promise<string> {
  let out = `${(await s.reader.readLine())?.toString('latin1') ?? '<EOF>'}`;
  for (const c of commands) {
    s.write(`${c}\r\n`);
    const r = await s.reader.readPop3Reply(pop3IsMultiline(c));
    out += `C: ${c}\n${r?.toString('latin1') ?? '<EOF>\n'}`;
  }
  await s.finish();
  return out;
}

/** Courier's UIDVALIDITY is the time of the first scan, and the wrapper boundary holds pid and time. */
function normalise(t: string): string {
  return t.replace(/UID(\d+)-\d+/g, 'UID$1-V').replace(/=_\d+-\d+/g, '=_BOUNDARY');
}

async function state(maildir: string): Promise<{ cur: string[]; new: string[]; sizelist: string }> {
  const sizelist = await readFile(join(maildir, 'courierpop3dsizelist'), 'latin1').catch(() => '');
  return {
    cur: (await readdir(join(maildir, 'cur'))).sort(),
    new: (await readdir(join(maildir, 'new'))).sort(),
    sizelist: sizelist.replace(/^\/3 (\d+) \d+$/m, '/3 $1 V').replace(/:\d+:([01])$/gm, ':V:$1'),
  };
}

const avail = courierAvailability(false);

describe('pop3d vs courierpop3d (preauth, stdio)', { skip: !avail.ok && avail.reason }, () => {
  for (const script of SCRIPTS) {
    test(script.name, async () => {
      const tmp = await makeTempDir('courier-ts-pop3-compat-');
      const user = mailUser();
      try {
        const theirs = join(tmp.path, 'courier', 'Maildir');
        const ours = join(tmp.path, 'ours', 'Maildir');
        await mkdir(join(tmp.path, 'courier'), { mode: 0o755 });
        await mkdir(join(tmp.path, 'ours'), { mode: 0o755 });
        await createMaildir(theirs, { fixture: 'pop3', owner: user, useOurMaildirmake: false });
        await createMaildir(ours, { fixture: 'pop3', owner: user, useOurMaildirmake: false });
        const env = {
          AUTHENTICATED: 'testuser',
          TCPREMOTEIP: '127.0.0.1',
          TCPREMOTEPORT: '1',
          ...script.env,
        };
        const courier = startCourierPreauth({ kind: 'pop3d', maildir: theirs, env });
        const expected = await transcript(courier, script.commands);
        const p = await startPreauth({
          kind: 'pop3d',
          maildir: ours,
          env,
          ...(isRoot() ? { uid: user.uid, gid: user.gid } : {}),
        });
        if (p.status !== 'running') throw new Error(p.reason);
        const actual = await transcript(p.session, script.commands);
        let a = normalise(actual);
        const e = normalise(expected);
        if (script.env.UTF8 === '0') {
          // Deliberate difference: Courier announces the wrapped size counting the wrapper's line ends
          // as LF (wrong by one octet per wrapper line); we announce the octets really sent.
          a = a.replace(/\+OK \d+ octets follow\.\r\nFrom: Mail Delivery/g, 'X');
          assert.equal(a, e.replace(/\+OK \d+ octets follow\.\r\nFrom: Mail Delivery/g, 'X'));
        } else {
          assert.equal(a, e);
        }
        assert.deepEqual(await state(ours), await state(theirs));
        // the LOGOUT line's counters are Courier's too (the wrapper's boundary length aside)
        const logout = (t: string) =>
          /LOGOUT, user=testuser, .*$/m.exec(t)?.[0].replace(/time=\d+/, 'time=T');
        if (script.env.UTF8 === '1') assert.equal(logout(p.session.logs.text()), logout(courier.logs.text()));
      } finally {
        await tmp.dispose();
      }
    });
  }
});
