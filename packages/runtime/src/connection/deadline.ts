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
    if (this.ms <= 0) return;
    // Called for every command: refresh() re-arms the same timer (no clearTimeout + setTimeout).
    if (this.timer) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(this.onExpire, this.ms);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
