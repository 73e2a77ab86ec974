// Deadline with a clock of our own: a reset only notes the time, the one timer re-arms itself for what
// is left when it fires early, and expires only once the full duration passed since the last reset.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Deadline } from '@courier-ts/runtime';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Deadline', () => {
  test('a reset after the start pushes the expiry back; it fires once the clock says so', async () => {
    let clock = 1_000;
    let fired = 0;
    const d = new Deadline(
      30,
      () => fired++,
      () => clock,
    );
    d.reset();
    clock += 20;
    d.reset(); // activity: the deadline is now clock + 30 = 1050
    clock += 20; // 1040: the timer armed at 1000 fires (real time) with 10 ms left on this clock
    await tick(60);
    assert.equal(fired, 0, 'not expired: 10 ms were still left at the first firing');
    clock += 10; // 1050: due now
    await tick(60);
    assert.equal(fired, 1);
    d.clear();
  });

  test('never reset again: expires after its duration (the pre-login cap)', async () => {
    let fired = 0;
    const d = new Deadline(10, () => fired++);
    d.reset();
    await tick(80);
    assert.equal(fired, 1);
  });

  test('clear() stops it; a non-positive duration never arms', async () => {
    let fired = 0;
    const a = new Deadline(10, () => fired++);
    a.reset();
    a.clear();
    const b = new Deadline(0, () => fired++);
    b.reset();
    await tick(50);
    assert.equal(fired, 0);
  });

  test('reset after expiry arms it again', async () => {
    let clock = 0;
    let fired = 0;
    const d = new Deadline(
      5,
      () => fired++,
      () => clock,
    );
    d.reset();
    clock = 10;
    await tick(40);
    assert.equal(fired, 1);
    d.reset();
    clock = 20;
    await tick(40);
    assert.equal(fired, 2);
  });

  test('pause(): no expiry while paused, even past the deadline; reset() counts from then', async () => {
    let clock = 0;
    let fired = 0;
    const d = new Deadline(
      10,
      () => fired++,
      () => clock,
    );
    d.reset();
    d.pause();
    clock = 100;
    await tick(50);
    assert.equal(fired, 0, 'paused through the deadline');
    d.reset(); // 100: due at 110
    clock = 105;
    await tick(40);
    assert.equal(fired, 0);
    clock = 110;
    await tick(40);
    assert.equal(fired, 1);
    d.clear();
  });
});
