// FETCH of whole bodies (BODY.PEEK[], RFC822, partials): the literal is the stored file with each LF
// sent as CRLF and nothing else changed (CRLF-stored lines, bare CRs, no final newline, dots), for
// small messages (read whole, stored bytes not kept) and large ones (streamed in chunks, a CR at a
// chunk's end and its LF in the next); a section or BODYSTRUCTURE in the same or a later command
// still sees the message as stored; a renamed or rewritten file is read anew.
import assert from 'node:assert/strict';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { lfToCrlf } from '@courier-ts/maildir/internals';
import { makeTempDir } from '../../../support/tmp.js';
import { runEngine } from '../session/engine-helpers.js';

const big = Buffer.alloc(1024 * 1024 + 300 * 1024, 'b');
for (let i = 80; i < big.length; i += 81) big[i] = 0x0a;
big[1024 * 1024 - 1] = 0x0d; // a CR ending the first 1 MiB read, its LF starting the next
big[1024 * 1024] = 0x0a;
big.write('Subject: big\n\n', 0, 'latin1');

const BODIES: readonly Buffer[] = [
  Buffer.from('Subject: lf\n\nbody\n.dot line\n', 'latin1'),
  Buffer.from('Subject: crlf\r\n\r\nbody\r\n', 'latin1'),
  Buffer.from('Subject: cr\n\na\rb\n\rc\r', 'latin1'),
  Buffer.from('Subject: no newline\n\nlast', 'latin1'),
  Buffer.from(
    'Subject: parts\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\none\n--x--\n',
    'latin1',
  ),
  big,
];
const name = (i: number): string => `17000000${i}0.M${i}P1.host:2,S`;

/** The literals labelled `LABEL {size}` in the output, in order (each skipped whole before the next). */
function literals(output: Buffer, label: string): Buffer[] {
  const out: Buffer[] = [];
  const text = output.toString('latin1');
  const re = new RegExp(`${label.replace(/[[\]<>.]/g, '\\$&')} \\{(\\d+)\\}\\r\\n`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    out.push(output.subarray(start, start + Number(m[1])));
    re.lastIndex = start + Number(m[1]);
  }
  return out;
}

let dir: { path: string; dispose(): Promise<void> };
before(async () => {
  dir = await makeTempDir('courier-ts-imapd-body-');
  await mkdir(join(dir.path, 'cur'), { recursive: true });
  for (const [i, b] of BODIES.entries()) await writeFile(join(dir.path, 'cur', name(i)), b);
});
after(() => dir.dispose());

async function run(lines: readonly string[]): Promise<Buffer> {
  const { output } = await runEngine(
    ['a EXAMINE INBOX', ...lines, 'z LOGOUT'].map((l) => `${l}\r\n`).join(''),
    'whole',
    {},
    dir.path,
  );
  return Buffer.from(output, 'latin1');
}

test('BODY.PEEK[] one by one: the served form of each stored file', async () => {
  const out = await run(BODIES.map((_, i) => `f${i} FETCH ${i + 1} BODY.PEEK[]`));
  const got = literals(out, 'BODY[]');
  assert.equal(got.length, BODIES.length);
  for (const [i, b] of BODIES.entries()) assert.deepEqual(got[i], lfToCrlf(b), `message ${i + 1}`);
});

test('RFC822 and partials of the whole message; then sections and BODYSTRUCTURE from the stored bytes', async () => {
  const out = await run([
    'f FETCH 1:* (BODY.PEEK[]<3.20>)',
    'g FETCH 5 (BODY.PEEK[] BODY.PEEK[1] BODYSTRUCTURE)',
    'h FETCH 5 (BODY.PEEK[1])',
  ]);
  const partials = literals(out, 'BODY[]<3>');
  for (const [i, b] of BODIES.entries())
    assert.deepEqual(partials[i], lfToCrlf(b).subarray(3, 23), `message ${i + 1}`);
  const part1 = literals(out, 'BODY[1]');
  assert.deepEqual(
    part1.map((p) => p.toString('latin1')),
    ['one', 'one'],
  );
  assert.match(out.toString('latin1'), /BODYSTRUCTURE \(\("text" "plain" .*"mixed"/);
});

test('a message renamed (flag change) or rewritten between sessions is served as it is now', async () => {
  const first = literals(await run(['f FETCH 1 BODY.PEEK[]']), 'BODY[]')[0]!;
  assert.deepEqual(first, lfToCrlf(BODIES[0]!));
  await rename(join(dir.path, 'cur', name(0)), join(dir.path, 'cur', `${name(0)}F`));
  const renamed = literals(await run(['f FETCH 1 BODY.PEEK[]']), 'BODY[]')[0]!;
  assert.deepEqual(renamed, lfToCrlf(BODIES[0]!));
  const other = Buffer.from('Subject: lf\n\nBODY\n,dot line\n', 'latin1');
  await writeFile(join(dir.path, 'cur', `${name(0)}F`), other);
  const rewritten = literals(await run(['f FETCH 1 BODY.PEEK[]']), 'BODY[]')[0]!;
  assert.deepEqual(rewritten, lfToCrlf(other));
});
