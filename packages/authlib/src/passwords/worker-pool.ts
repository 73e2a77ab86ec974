import { Worker } from 'node:worker_threads';
import type { CryptReply } from './crypt-worker.js';

interface Pending {
  readonly resolve: (v: string | undefined) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  busy: number;
}

export interface CryptPool {
  crypt(password: Buffer, setting: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * A small pool of worker threads for the pure-JS crypt schemes (SHA-crypt rounds, bcrypt, MD5-crypt,
 * DES), so hashing never runs on the event loop. Workers start lazily and are unref'd while idle.
 */
export function createCryptPool(size = 2): CryptPool {
  const slots: Slot[] = [];
  const pending = new Map<number, Pending & { slot: Slot }>();
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(new URL('./crypt-worker.js', import.meta.url));
    const slot: Slot = { worker, busy: 0 };
    worker.unref();
    worker.on('message', (m: CryptReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (--slot.busy === 0) worker.unref();
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result ?? undefined);
    });
    worker.on('error', (err) => {
      for (const [id, p] of pending) {
        if (p.slot !== slot) continue;
        pending.delete(id);
        p.reject(err);
      }
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
    });
    slots.push(slot);
    return slot;
  };

  const pick = (): Slot => {
    const idle = slots.find((s) => s.busy === 0);
    if (idle) return idle;
    if (slots.length < size) return spawn();
    return slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  };

  return {
    crypt(password, setting) {
      if (closed) return Promise.reject(new Error('crypt pool closed'));
      const slot = pick();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, slot });
        if (slot.busy++ === 0) slot.worker.ref();
        slot.worker.postMessage({ id, password: new Uint8Array(password), setting });
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
