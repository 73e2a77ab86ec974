/**
 * A value read from some directories, kept until inotify reports a change in any of them.
 *
 * The loader registers each directory with `watch(dir)` before it reads it, so a change made while
 * it reads is seen as well (the value is then not kept). Any event (an entry created, removed,
 * renamed or modified, the directory itself deleted) drops the value and closes the watches; the
 * next `get` reads again.
 *
 * Before a kept value is handed out, `settleEvents()` lets the current poll phase finish. A change
 * that completed before the command was read (in another process, whose reply the client waited
 * for; or our own write, whose completion reached this thread after the kernel queued its inotify
 * event) made the inotify descriptor ready no later than the input or completion that led here, and
 * the poll phase dispatches every ready descriptor before the check phase runs: the event has been
 * handled by then. A command settles once, then reads all it needs (`settled: true`).
 */
import { type FSWatcher, watch } from 'node:fs';

export type WatchDir = (dir: string, options?: { readonly optional?: boolean }) => boolean;

/** Resolves in the check phase, after the poll phase now running has dispatched its events. */
export function settleEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class WatchedValue<T> {
  private kept: { readonly value: T } | undefined;
  private watchers: FSWatcher[] = [];
  private generation = 0;
  private loading: { readonly generation: number; readonly promise: Promise<T> } | undefined;

  /** The kept value, or undefined (call after `settleEvents()`); nothing is read. */
  get value(): T | undefined {
    return this.kept?.value;
  }

  /** Drop the value and close the watches. */
  invalidate(): void {
    this.generation++;
    this.kept = undefined;
    this.loading = undefined;
    const ws = this.watchers;
    this.watchers = [];
    for (const w of ws) w.close();
  }

  /**
   * The kept value, or a fresh one from `load`. `watch(dir)` returns false when the directory cannot
   * be watched; a missing `optional` directory is fine (its creation shows in its parent, which the
   * loader watches too). A value is kept only when every required watch was set and no event came.
   */
  async get(load: (watch: WatchDir) => Promise<T>, settled = false): Promise<T> {
    if (!settled) await settleEvents();
    if (this.kept) return this.kept.value;
    if (this.loading?.generation === this.generation) return this.loading.promise;
    this.invalidate();
    const generation = this.generation;
    let complete = true;
    const watchDir: WatchDir = (dir, options) => {
      if (generation !== this.generation) return false;
      try {
        const w = watch(dir, { persistent: false }, () => {
          if (generation === this.generation) this.invalidate();
        });
        w.on('error', () => {
          if (generation === this.generation) this.invalidate();
        });
        this.watchers.push(w);
        return true;
      } catch (err) {
        if (!(options?.optional && (err as NodeJS.ErrnoException).code === 'ENOENT')) complete = false;
        return false;
      }
    };
    const promise = load(watchDir).then(
      (value) => {
        if (generation !== this.generation) return value;
        this.loading = undefined;
        if (complete) this.kept = { value };
        else this.invalidate();
        return value;
      },
      (err: unknown) => {
        if (generation === this.generation) this.invalidate();
        throw err;
      },
    );
    this.loading = { generation, promise };
    return promise;
  }
}
