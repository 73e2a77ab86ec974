/** Change notification for IDLE: fs.watch on new/, cur/ and the keyword dir, with polling as fallback. */
import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FolderChangeListener, FolderWatch } from '../types.js';

const DEBOUNCE_MS = 50;

export function watchFolder(folderDir: string, onChange: FolderChangeListener, pollMs: number): FolderWatch {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const fire = (): void => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) onChange();
    }, DEBOUNCE_MS);
    timer.unref();
  };
  for (const sub of ['new', 'cur', 'courierimapkeywords']) {
    try {
      const w = watch(join(folderDir, sub), { persistent: false }, fire);
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // no inotify here (NFS, limits): polling covers it
    }
  }
  // Polling fallback: compare directory mtimes (also catches events fs.watch misses).
  let last = '';
  const poll = async (): Promise<void> => {
    const parts: string[] = [];
    for (const sub of ['new', 'cur', 'courierimapkeywords']) {
      const st = await stat(join(folderDir, sub), { bigint: true }).catch(() => undefined);
      parts.push(st ? String(st.mtimeNs) : '-');
    }
    const now = parts.join('|');
    if (last !== '' && now !== last) fire();
    last = now;
  };
  void poll();
  const interval = setInterval(() => void poll(), watchers.length === 3 ? pollMs : Math.min(pollMs, 5000));
  interval.unref();
  return {
    close(): void {
      closed = true;
      clearInterval(interval);
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

/**
 * One set of watchers for a folder, shared by every session of this process that IDLEs on it
 * (inotify watches and a poll timer per folder, not per connection). Each `add` returns its own
 * handle; the watchers close with the last one.
 */
export class WatchHub {
  private readonly listeners = new Set<FolderChangeListener>();
  private inner: FolderWatch | undefined;

  constructor(private readonly folderDir: string) {}

  add(onChange: FolderChangeListener, pollMs: number): FolderWatch {
    const own: FolderChangeListener = () => onChange();
    this.listeners.add(own);
    this.inner ??= watchFolder(
      this.folderDir,
      () => {
        for (const l of [...this.listeners]) l();
      },
      pollMs,
    );
    return {
      close: (): void => {
        if (!this.listeners.delete(own) || this.listeners.size > 0) return;
        this.inner?.close();
        this.inner = undefined;
      },
    };
  }

  close(): void {
    this.listeners.clear();
    this.inner?.close();
    this.inner = undefined;
  }
}
