import { MAX_AUTH_BYTES, MAX_LINE } from './protocol.js';

/** One parsed authdaemond request. */
export type DaemonRequest =
  | {
      readonly kind: 'pre';
      readonly meta: ReadonlyMap<string, string>;
      readonly module: string;
      readonly service: string;
      readonly userid: string;
    }
  | {
      readonly kind: 'auth';
      readonly meta: ReadonlyMap<string, string>;
      readonly service: string;
      readonly authtype: string;
      readonly authdata: string;
    }
  | { readonly kind: 'passwd'; readonly fields: readonly string[]; readonly hasControl: boolean }
  | { readonly kind: 'enumerate' }
  | { readonly kind: 'unknown'; readonly command: string }
  | { readonly kind: 'bad'; readonly reason: string };

/**
 * Incremental request parser: feed bytes as they arrive; returns the request once complete.
 * Meta lines are `NAME=value` (`=` before any space); then one command line; AUTH then reads exactly
 * n bytes.
 */
export class RequestReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly meta = new Map<string, string>();
  private authBytes = -1;

  push(chunk: Buffer): DaemonRequest | undefined {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.authBytes >= 0) {
        if (this.buf.length < this.authBytes) return undefined;
        return this.decodeAuth(this.buf.subarray(0, this.authBytes).toString('utf8'));
      }
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) {
        return this.buf.length > MAX_LINE ? { kind: 'bad', reason: 'line too long' } : undefined;
      }
      if (nl > MAX_LINE) return { kind: 'bad', reason: 'line too long' };
      const line = this.buf.subarray(0, nl).toString('utf8');
      this.buf = this.buf.subarray(nl + 1);
      const r = this.line(line);
      if (r) return r;
    }
  }

  private line(line: string): DaemonRequest | undefined {
    const eq = line.indexOf('=');
    const sp = line.indexOf(' ');
    if (eq >= 0 && (sp < 0 || eq < sp)) {
      this.meta.set(line.slice(0, eq), line.slice(eq + 1));
      return undefined;
    }
    const cmd = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1).replace(/^ +/, '');
    switch (cmd) {
      case 'PRE': {
        const m = /^(\S+) +(\S+) +(.*)$/.exec(rest);
        if (!m) return { kind: 'bad', reason: 'PRE syntax' };
        return { kind: 'pre', meta: this.meta, module: m[1]!, service: m[2]!, userid: m[3]! };
      }
      case 'AUTH': {
        const n = Number.parseInt(rest, 10);
        if (!/^\d+/.test(rest) || n >= MAX_AUTH_BYTES) return { kind: 'bad', reason: 'AUTH size' };
        this.authBytes = n;
        return undefined;
      }
      case 'PASSWD':
        return {
          kind: 'passwd',
          fields: rest.split('\t'),
          hasControl: /[\0-\x08\x0a-\x1f\x7f]/.test(rest),
        };
      case 'ENUMERATE':
        return { kind: 'enumerate' };
      default:
        return { kind: 'unknown', command: cmd };
    }
  }

  private decodeAuth(body: string): DaemonRequest {
    const a = body.indexOf('\n');
    const b = a < 0 ? -1 : body.indexOf('\n', a + 1);
    if (b < 0) return { kind: 'bad', reason: 'AUTH body' };
    return {
      kind: 'auth',
      meta: this.meta,
      service: body.slice(0, a),
      authtype: body.slice(a + 1, b),
      authdata: body.slice(b + 1),
    };
  }
}
