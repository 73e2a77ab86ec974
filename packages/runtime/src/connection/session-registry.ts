/**
 * The sessions a server process is running, so SIGTERM can end them cleanly: each session gets
 * an AbortSignal and is removed when it finishes.
 */
export class SessionRegistry {
  private readonly sessions = new Map<AbortController, Promise<unknown>>();

  get size(): number {
    return this.sessions.size;
  }

  /** Run a session under the registry; the signal fires on shutdown. */
  run<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ac = new AbortController();
    const p = body(ac.signal).finally(() => this.sessions.delete(ac));
    this.sessions.set(ac, p);
    return p;
  }

  /** Abort every session and wait (at most `graceMs`) for them to finish. */
  async shutdown(graceMs = 5000): Promise<void> {
    const running = [...this.sessions.entries()];
    for (const [ac] of running) ac.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(running.map(([, p]) => p)),
      new Promise((r) => {
        timer = setTimeout(r, graceMs);
        timer.unref();
      }),
    ]);
    if (timer) clearTimeout(timer);
  }
}
