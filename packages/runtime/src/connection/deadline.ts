/**
 * A restartable timer: the idle timeout (reset on every command) and the pre-login cap
 * (never reset) are both one of these.
 */
export class Deadline {
  private timer: NodeJS.Timeout | undefined;
  private readonly ms: number;
  private readonly onExpire: () => void;

  constructor(ms: number, onExpire: () => void) {
    this.ms = ms;
    this.onExpire = onExpire;
  }

  /** (Re)start the countdown. A non-positive duration disables it. */
  reset(): void {
    this.clear();
    if (this.ms > 0) {
      this.timer = setTimeout(this.onExpire, this.ms);
      this.timer.unref();
    }
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
