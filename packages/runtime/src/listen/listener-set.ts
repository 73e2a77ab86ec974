import type { Server } from 'node:net';
import type { ListenBinding } from './port-list.js';

export interface BoundListener {
  readonly binding: ListenBinding;
  readonly address: string;
  readonly port: number;
}

/** What a SIGHUP rebind did: new listeners opened, old ones closed; or nothing, when a bind failed. */
export type RebindResult =
  | {
      readonly kind: 'ok';
      readonly opened: readonly BoundListener[];
      readonly closed: readonly BoundListener[];
    }
  | { readonly kind: 'failed'; readonly binding: ListenBinding; readonly reason: string };

interface Entry {
  readonly key: string;
  readonly server: Server;
  readonly bound: BoundListener;
}

/** Two bindings are the same listener when address, port and TLS mode agree. */
export function bindingKey(b: ListenBinding): string {
  return `${b.host ?? '*'}|${b.port}|${b.tls ? 'tls' : 'plain'}`;
}

function describe(b: ListenBinding): string {
  return `${b.host ?? '*'}:${b.port}${b.tls ? ' (TLS)' : ''}`;
}

function inUse(err: unknown): boolean {
  const cause = (err as { cause?: NodeJS.ErrnoException }).cause ?? (err as NodeJS.ErrnoException);
  return cause?.code === 'EADDRINUSE';
}

/**
 * The listening sockets of one server. `bound` is live: it always lists the sockets listening now.
 * A rebind opens the new sockets first and closes the unwanted ones only when every new one is
 * bound; accepted connections are not affected by closing the socket they came in on.
 */
export class ListenerSet {
  private entries: Entry[] = [];
  readonly bound: BoundListener[] = [];
  private readonly listen: (b: ListenBinding) => Promise<Server>;

  constructor(listen: (b: ListenBinding) => Promise<Server>) {
    this.listen = listen;
  }

  /** Startup: every binding, or none (throws the first failure). */
  async openAll(bindings: readonly ListenBinding[]): Promise<void> {
    const opened: Entry[] = [];
    try {
      for (const b of bindings) opened.push(await this.open(b));
    } catch (err) {
      for (const e of opened) e.server.close();
      throw err;
    }
    this.commit(opened);
  }

  async rebind(bindings: readonly ListenBinding[]): Promise<RebindResult> {
    const wanted = new Map(bindings.map((b) => [bindingKey(b), b] as const));
    const keep = this.entries.filter((e) => wanted.has(e.key));
    let drop = this.entries.filter((e) => !wanted.has(e.key));
    const current = new Set(this.entries.map((e) => e.key));
    const opened: Entry[] = [];
    const freedEarly: Entry[] = [];
    for (const [key, b] of wanted) {
      if (current.has(key)) continue;
      try {
        opened.push(await this.open(b));
      } catch (err) {
        // The port may be held by a listener that is going away (ADDRESS 0 <-> one address, PORT and
        // SSLPORT swapped): free it and try once more.
        const blockers = drop.filter((e) => e.bound.binding.port === b.port);
        if (inUse(err) && blockers.length > 0) {
          for (const e of blockers) e.server.close();
          freedEarly.push(...blockers);
          drop = drop.filter((e) => !blockers.includes(e));
          try {
            opened.push(await this.open(b));
            continue;
          } catch (retryErr) {
            return this.rollBack(keep, drop, opened, freedEarly, b, retryErr);
          }
        }
        return this.rollBack(keep, drop, opened, freedEarly, b, err);
      }
    }
    for (const e of drop) e.server.close();
    const closed = [...freedEarly, ...drop].map((e) => e.bound);
    this.commit([...keep, ...opened]);
    return { kind: 'ok', opened: opened.map((e) => e.bound), closed };
  }

  /** Stop listening everywhere. */
  closeAll(): void {
    for (const e of this.entries) e.server.close();
    this.commit([]);
  }

  private async rollBack(
    keep: readonly Entry[],
    drop: readonly Entry[],
    opened: readonly Entry[],
    freedEarly: readonly Entry[],
    failed: ListenBinding,
    err: unknown,
  ): Promise<RebindResult> {
    for (const e of opened) e.server.close();
    const restored: Entry[] = [];
    const lost: string[] = [];
    for (const e of freedEarly) {
      try {
        restored.push(await this.open(e.bound.binding));
      } catch {
        lost.push(describe(e.bound.binding));
      }
    }
    this.commit([...keep, ...drop, ...restored]);
    const cause = (err as { cause?: Error }).cause ?? (err as Error);
    const reason = `cannot listen on ${describe(failed)}: ${cause.message}${
      lost.length > 0 ? `; could not listen again on ${lost.join(', ')}` : ''
    }`;
    return { kind: 'failed', binding: failed, reason };
  }

  private async open(b: ListenBinding): Promise<Entry> {
    const server = await this.listen(b);
    const a = server.address();
    const bound =
      a && typeof a === 'object'
        ? { binding: b, address: a.address, port: a.port }
        : { binding: b, address: String(a ?? ''), port: b.port };
    return { key: bindingKey(b), server, bound };
  }

  private commit(entries: Entry[]): void {
    this.entries = entries;
    this.bound.splice(0, this.bound.length, ...entries.map((e) => e.bound));
  }
}
