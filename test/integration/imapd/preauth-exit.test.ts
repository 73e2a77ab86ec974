// Like Courier's own binaries, `imapd preauth` ends at LOGOUT and `pop3d preauth` after QUIT even when
// the other side keeps its end of stdin open (an ssh tunnel does): checked with stdin left open.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMaildir } from '../../support/maildir-fixture.js';
import { binPath } from '../../support/paths.js';
import { makeTempDir } from '../../support/tmp.js';

async function endsAfter(kind: 'imapd' | 'pop3d', command: string): Promise<string> {
  const tmp = await makeTempDir(`courier-ts-${kind}-preauth-exit-`);
  try {
    const maildir = join(tmp.path, 'Maildir');
    await createMaildir(maildir, { fixture: 'basic' });
    const child = spawn(process.execPath, [binPath(kind), 'preauth', maildir], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('latin1');
    });
    child.stdin.write(command); // and stdin stays open
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(guard);
    child.stdin.destroy();
    assert.equal(signal, null, `${kind} preauth did not end by itself; output:\n${out}`);
    assert.equal(code, 0);
    return out;
  } finally {
    await tmp.dispose();
  }
}

test('imapd preauth exits at LOGOUT with stdin still open', async () => {
  const out = await endsAfter('imapd', 'a LOGOUT\r\n');
  assert.match(
    out,
    /^\* PREAUTH Ready\.\r\n\* BYE Courier-IMAP server shutting down\r\na OK LOGOUT completed\r\n$/,
  );
});

test('pop3d preauth exits after QUIT with stdin still open', async () => {
  const out = await endsAfter('pop3d', 'QUIT\r\n');
  assert.match(out, /^\+OK logged in\.\r\n\+OK Bye-bye\.\r\n$/);
});
