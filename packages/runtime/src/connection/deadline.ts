/**
 * A restartable timer: the idle timeout (reset on every command) and the pre-login cap
 * (never reset) are both one of these. A reset only notes the time: the one timer, when it
 * fires early, re-arms itself for what is left (no timer work per command).
 */
export class Deadline {
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  /** Counting down (reset() called, not paused or cleared since). */
  private running = false;
  private readonly ms: number;
  private readonly onExpire: () => void;
  private readonly now: () => number;

  /** `now`: the clock (ms); by default a monotonic one (a wall-clock step changes nothing). */
  constructor(ms: number, onExpire: () => void, now: () => number = () => performance.now()) {
    this.ms = ms;
    this.onExpire = onExpire;
    this.now = now;
  }

  /** (Re)start the countdown. A non-positive duration disables it. */
  reset(): void {
    if (this.ms <= 0) return;
    this.last = this.now();
    this.running = true;
    if (!this.timer) this.arm(this.ms);
  }

  /**
   * Stop counting while a command runs; reset() starts again. Cheaper than clear() + reset() per
   * command: the timer stays armed (and lapses if it fires meanwhile). Use clear() at the end.
   */
  pause(): void {
    this.running = false;
  }

  /** Stop for good (or until the next reset()): the timer is removed. */
  clear(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delay: number): void {
    this.timer = setTimeout(this.fire, delay);
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    if (!this.running) return;
    const left = this.last + this.ms - this.now();
    if (left > 0) this.arm(left);
    else this.onExpire();
  };
}
