// The session gathers a command's replies into one write (one TCP segment for a client waiting on
// it), joins the replies of commands pipelined together, and still sends everything a client
// waits on before it reads again (continuations, IDLE).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { after, before, test } from 'node:test';
import { createMaildir } from '../../../support/maildir-fixture.js';
import { makeTempDir } from '../../../support/tmp.js';
import { preauthInit, startSession } from './engine-helpers.js';

/** A client end that records each write the server makes (a writev counts once). */
class Recorder extends Duplex {
  readonly writes: string[] = [];
  private waiters: (() => void)[] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.record(chunk.toString('latin1'));
    cb();
  }
  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this.record(chunks.map((c) => c.chunk.toString('latin1')).join(''));
    cb();
  }
  private record(s: string): void {
    this.writes.push(s);
    for (const w of this.waiters.splice(0)) w();
  }
  get text(): string {
    return this.writes.join('');
  }
  /** Waits for `re` in the output (fails after 10 s rather than hanging). */
  async until(re: RegExp): Promise<void> {
    const limit = Date.now() + 10_000;
    while (!re.test(this.text)) {
      if (Date.now() > limit) assert.fail(`no ${re} in ${JSON.stringify(this.text)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 100);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
}

let dir: { path: string; dispose(): Promise<void> };
let maildir: string;
before(async () => {
  dir = await makeTempDir('courier-ts-imapd-gather-');
  maildir = join(dir.path, 'Maildir');
  await createMaildir(maildir, { fixture: 'basic' });
});
after(() => dir.dispose());

function start(stream: Recorder): Promise<void> {
  return startSession(stream, preauthInit(maildir));
}

test('a command answers in one write; pipelined commands share writes; IDLE is not held back', async () => {
  const c = new Recorder();
  const done = start(c);
  await c.until(/PREAUTH/);

  let from = c.writes.length;
  c.push('a SELECT INBOX\r\n');
  await c.until(/a OK \[READ-WRITE\]/);
  const select = c.writes.slice(from);
  assert.equal(select.length, 1, `SELECT in ${select.length} writes: ${JSON.stringify(select)}`);
  assert.match(select[0]!, /^\* FLAGS [\s\S]*\* 3 EXISTS\r\n[\s\S]*a OK \[READ-WRITE\] Ok\r\n$/);

  from = c.writes.length;
  c.push('b FETCH 1:3 (UID FLAGS)\r\nc NOOP\r\nd FETCH 2 (BODY.PEEK[HEADER.FIELDS (Subject)])\r\n');
  await c.until(/d OK FETCH completed/);
  const piped = c.writes.slice(from);
  assert.equal(piped.length, 1, `3 pipelined commands in ${piped.length} writes`);
  assert.match(
    piped[0]!,
    /\* 3 FETCH \(UID \d+ FLAGS \([^)]*\)\)\r\nb OK [\s\S]*c OK [\s\S]*d OK FETCH completed\.\r\n$/,
  );

  // IDLE: the continuation goes out while the server waits for DONE, and so do the updates.
  c.push('e IDLE\r\n');
  await c.until(/\+ entering idle mode\r\n/);
  c.push('DONE\r\n');
  await c.until(/e OK IDLE completed/);

  c.push('z LOGOUT\r\n');
  await c.until(/z OK LOGOUT completed/);
  c.push(null);
  await done;
  assert.match(c.text, /\* BYE Courier-IMAP server shutting down\r\nz OK LOGOUT completed\r\n$/);
});
