import { Server } from 'node:net';

interface Entry {
  readonly data: Buffer;
  readonly expiresAt: number;
}

export interface SessionCacheOptions {
  /** Total bytes of stored sessions (TLS_CACHESIZE); 0 = no cache. */
  readonly maxBytes: number;
  /** How long a session may be resumed (OpenSSL's default: 300 s). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/**
 * The server-side TLS session-ID cache of one server process, for clients that resume by session
 * ID rather than by ticket (TLS 1.2 without tickets). OpenSSL's internal cache is off in Node:
 * sessions are only kept through `newSession` / `resumeSession` events, which a TLSSocket emits on
 * its `server` option. `events` is that emitter (a net.Server that never listens). Bounded by the
 * total size of the stored sessions, oldest first out.
 */
export class TlsSessionCache {
  readonly events = new Server();
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private maxBytes: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(o: SessionCacheOptions) {
    this.maxBytes = o.maxBytes;
    this.ttlMs = o.ttlMs ?? 300_000;
    this.now = o.now ?? Date.now;
    this.listen();
  }

  /** A new TLS_CACHESIZE (SIGHUP): drop the oldest sessions over it; 0 turns the cache off. */
  resize(maxBytes: number): void {
    this.maxBytes = maxBytes;
    if (maxBytes <= 0) {
      this.clear();
      this.events.removeAllListeners('newSession');
      this.events.removeAllListeners('resumeSession');
      return;
    }
    this.listen();
    for (const [k] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
  }

  /** Without listeners Node does not offer sessions at all (maxBytes 0). */
  private listen(): void {
    if (this.maxBytes <= 0 || this.events.listenerCount('newSession') > 0) return;
    this.events.on('newSession', (id: Buffer, data: Buffer, done: () => void) => {
      this.put(id.toString('hex'), data);
      done();
    });
    this.events.on('resumeSession', (id: Buffer, cb: (err: Error | null, data: Buffer | null) => void) => {
      cb(null, this.get(id.toString('hex')) ?? null);
    });
  }

  get size(): number {
    return this.entries.size;
  }

  get storedBytes(): number {
    return this.bytes;
  }

  put(key: string, data: Buffer): void {
    if (data.length > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, { data, expiresAt: this.now() + this.ttlMs });
    this.bytes += data.length;
    for (const [k] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
  }

  get(key: string): Buffer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.delete(key);
      return undefined;
    }
    return e.data;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.data.length;
  }
}
