import { plainAddress } from '../log/courier-address.js';

export type Admission = { readonly kind: 'admit' } | { readonly kind: 'wait' } | { readonly kind: 'per-ip' };

/**
 * MAXDAEMONS / MAXPERIP bookkeeping. A connection over MAXPERIP is refused at once (Courier
 * accepts and closes it); one over MAXDAEMONS waits until a slot frees.
 */
export class ConnectionLimiter {
  private active = 0;
  private readonly perIp = new Map<string, number>();
  readonly maxDaemons: number;
  readonly maxPerIp: number;

  constructor(maxDaemons: number, maxPerIp: number) {
    this.maxDaemons = maxDaemons > 0 ? maxDaemons : Number.POSITIVE_INFINITY;
    this.maxPerIp = maxPerIp > 0 ? maxPerIp : Number.POSITIVE_INFINITY;
  }

  get activeCount(): number {
    return this.active;
  }

  hasSlot(): boolean {
    return this.active < this.maxDaemons;
  }

  /** Decide for a new connection; on `admit` the slot is taken and must be released. */
  admit(remote: string): Admission {
    const ip = plainAddress(remote);
    // couriertcpd accepts only when a process slot is free, and checks the per-IP count then.
    if (this.active >= this.maxDaemons) return { kind: 'wait' };
    if ((this.perIp.get(ip) ?? 0) >= this.maxPerIp) return { kind: 'per-ip' };
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
