// ReplyWriter: strings leave as latin1 bytes (8-bit clean) and are counted in bytes; held replies
// leave together on release(); a full stream makes write() wait for 'drain'.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { ReplyWriter } from '@courier-ts/runtime';

/** A sink that records every write() call's bytes; `highWaterMark` small to see backpressure. */
function sink(highWaterMark = 1 << 20, decodeStrings = true) {
  const calls: Buffer[] = [];
  let release: (() => void) | undefined;
  const w = new Writable({
    highWaterMark,
    decodeStrings,
    writev(chunks, cb) {
      calls.push(
        Buffer.concat(
          chunks.map((c) => (typeof c.chunk === 'string' ? Buffer.from(c.chunk, 'latin1') : c.chunk)),
        ),
      );
      if (release === undefined) cb();
      else release = cb;
    },
  });
  return {
    w,
    calls,
    stall() {
      release = () => {};
    },
    unstall() {
      const cb = release;
      release = undefined;
      cb?.();
    },
  };
}

describe('ReplyWriter', () => {
  for (const decodeStrings of [true, false]) {
    test(`a string is sent as latin1 and counted in bytes (decodeStrings ${decodeStrings})`, async () => {
      const s = sink(1 << 20, decodeStrings);
      const r = new ReplyWriter(s.w);
      await r.write('+OK caf\u00e9 \u00ff\r\n');
      await r.write(Buffer.from([0x2e, 0x0d, 0x0a]));
      await r.write('not counted\r\n', { count: false });
      assert.deepEqual(
        Buffer.concat(s.calls),
        Buffer.concat([
          Buffer.from('+OK caf\u00e9 \u00ff\r\n', 'latin1'),
          Buffer.from('.\r\n'),
          Buffer.from('not counted\r\n'),
        ]),
      );
      assert.equal(r.sent, 15);
    });
  }

  test('held replies leave in one write on release(); release() without hold is a no-op', async () => {
    const s = sink();
    const r = new ReplyWriter(s.w);
    await r.release();
    assert.equal(r.holding, false);
    r.hold();
    assert.equal(r.holding, true);
    await r.write('+OK 1 2\r\n');
    await r.write(Buffer.from('+OK Yup.\r\n'));
    assert.equal(s.calls.length, 0, 'nothing sent while holding');
    await r.release();
    assert.equal(r.holding, false);
    assert.deepEqual(
      s.calls.map((c) => c.toString('latin1')),
      ['+OK 1 2\r\n+OK Yup.\r\n'],
    );
    assert.equal(r.sent, 19);
  });

  test('a full stream: write() resolves only after drain', async () => {
    const s = sink(4);
    const r = new ReplyWriter(s.w);
    s.stall();
    let done = false;
    const p = r.write('+OK 12345678\r\n').then(() => {
      done = true;
    });
    await new Promise((res) => setImmediate(res));
    assert.equal(done, false, 'waiting for drain');
    s.unstall();
    await p;
    assert.equal(done, true);
  });

  test('after the stream is destroyed, writes are dropped', async () => {
    const s = sink();
    const r = new ReplyWriter(s.w);
    s.w.destroy();
    await r.write('+OK\r\n');
    assert.equal(r.writable, false);
    assert.equal(s.calls.length, 0);
  });
});
