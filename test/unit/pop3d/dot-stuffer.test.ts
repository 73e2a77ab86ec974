import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DotStuffer } from '@courier-ts/pop3d';

function run(
  input: string,
  topLines: number | undefined,
  bytewise: boolean,
): { out: string; consumed: number } {
  const st = new DotStuffer(topLines === undefined ? {} : { topLines });
  const src = Buffer.from(input, 'latin1');
  const parts: Buffer[] = [];
  if (bytewise) for (let i = 0; i < src.length && !st.done; i++) parts.push(st.push(src.subarray(i, i + 1)));
  else parts.push(st.push(src));
  parts.push(st.finish());
  return { out: Buffer.concat(parts).toString('latin1'), consumed: st.consumed };
}

const CASES: ReadonlyArray<{ name: string; input: string; top?: number; want: string }> = [
  { name: 'plain', input: 'A: b\r\n\r\nbody\r\n', want: 'A: b\r\n\r\nbody\r\n.\r\n' },
  {
    name: 'dot lines stuffed',
    input: 'S: x\r\n\r\n.dot\r\n..two\r\n.\r\nend\r\n',
    want: 'S: x\r\n\r\n..dot\r\n...two\r\n..\r\nend\r\n.\r\n',
  },
  { name: 'dot at the very start', input: '.x\r\n', want: '..x\r\n.\r\n' },
  {
    name: 'missing final CRLF added',
    input: 'A: b\r\n\r\nno newline',
    want: 'A: b\r\n\r\nno newline\r\n.\r\n',
  },
  { name: 'empty message', input: '', want: '.\r\n' },
  { name: 'dot not at line start untouched', input: 'a.b\r\n', want: 'a.b\r\n.\r\n' },
  {
    name: 'TOP 0: headers and blank line',
    input: 'A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n',
    top: 0,
    want: 'A: 1\r\nB: 2\r\n\r\n.\r\n',
  },
  { name: 'TOP 1', input: 'A: 1\r\n\r\nl1\r\n.l2\r\nl3\r\n', top: 1, want: 'A: 1\r\n\r\nl1\r\n.\r\n' },
  {
    name: 'TOP 2 stuffs body dots',
    input: 'A: 1\r\n\r\nl1\r\n.l2\r\nl3\r\n',
    top: 2,
    want: 'A: 1\r\n\r\nl1\r\n..l2\r\n.\r\n',
  },
  { name: 'TOP more than there is', input: 'A: 1\r\n\r\nl1\r\n', top: 50, want: 'A: 1\r\n\r\nl1\r\n.\r\n' },
  { name: 'TOP of a header-only message', input: 'A: 1\r\nB: 2\r\n', top: 3, want: 'A: 1\r\nB: 2\r\n.\r\n' },
  {
    name: 'TOP on a CRLF-stored file (CR CR LF): no header end seen, whole message (as Courier)',
    input: 'A: 1\r\r\n\r\r\nl1\r\r\nl2\r\r\n',
    top: 0,
    want: 'A: 1\r\r\n\r\r\nl1\r\r\nl2\r\r\n.\r\n',
  },
  {
    name: 'TOP: bare-LF blank line ends the header',
    input: 'A: 1\n\nl1\nl2\n',
    top: 1,
    want: 'A: 1\n\nl1\n.\r\n',
  },
];

describe('DotStuffer', () => {
  for (const c of CASES) {
    for (const bytewise of [false, true]) {
      test(`${c.name} (${bytewise ? 'byte by byte' : 'whole'})`, () => {
        assert.equal(run(c.input, c.top, bytewise).out, c.want);
      });
    }
  }
  test("counts source bytes in LF form (Courier's retr=)", () => {
    assert.equal(run('A: b\r\n\r\nbody\r\n', undefined, false).consumed, 'A: b\n\nbody\n'.length);
  });
});
