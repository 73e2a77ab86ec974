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
