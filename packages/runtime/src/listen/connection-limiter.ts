import { plainAddress } from '../log/courier-address.js';

export type Admission = { readonly kind: 'admit' } | { readonly kind: 'wait' } | { readonly kind: 'per-ip' };

/** A limit as configured: 0 or less means none. */
function limit(n: number): number {
  return n > 0 ? n : Number.POSITIVE_INFINITY;
}

/**
 * MAXDAEMONS / MAXPERIP bookkeeping. A connection over MAXPERIP is refused at once (Courier
 * accepts and closes it); one over MAXDAEMONS waits until a slot frees.
 */
export class ConnectionLimiter {
  private active = 0;
  private readonly perIp = new Map<string, number>();
  private daemons: number;
  private ipLimit: number;

  constructor(maxDaemons: number, maxPerIp: number) {
    this.daemons = limit(maxDaemons);
    this.ipLimit = limit(maxPerIp);
  }

  get maxDaemons(): number {
    return this.daemons;
  }

  get maxPerIp(): number {
    return this.ipLimit;
  }

  /**
   * SIGHUP: new limits for the connections that come (or wait) from now on. The connections
   * admitted stay and still count: after lowering a limit, new ones wait (or are refused) until
   * enough of them ended.
   */
  setLimits(maxDaemons: number, maxPerIp: number): void {
    this.daemons = limit(maxDaemons);
    this.ipLimit = limit(maxPerIp);
  }

  get activeCount(): number {
    return this.active;
  }

  hasSlot(): boolean {
    return this.active < this.daemons;
  }

  /** Decide for a new connection; on `admit` the slot is taken and must be released. */
  admit(remote: string): Admission {
    const ip = plainAddress(remote);
    // couriertcpd accepts only when a process slot is free, and checks the per-IP count then.
    if (this.active >= this.daemons) return { kind: 'wait' };
    if ((this.perIp.get(ip) ?? 0) >= this.ipLimit) return { kind: 'per-ip' };
    this.active++;
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    return { kind: 'admit' };
  }

  release(remote: string): void {
    const ip = plainAddress(remote);
    this.active = Math.max(0, this.active - 1);
    const n = (this.perIp.get(ip) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
  }
}
