import { connect } from 'node:net';

export interface ClientTimeouts {
  /** Connect timeout (ms); env TIMEOUT_SOCK (s), default 10 s. */
  readonly connectMs: number;
  /** Write timeout (ms); env TIMEOUT_WRITE (s), default 10 s. */
  readonly writeMs: number;
  /** Whole-reply timeout (ms); env TIMEOUT_READ (s), default 30 s. */
  readonly readMs: number;
}

export function resolveClientTimeouts(env: NodeJS.ProcessEnv): ClientTimeouts {
  const sec = (k: string, d: number): number => {
    const n = Number.parseInt(env[k] ?? '', 10);
    return (Number.isFinite(n) && n > 0 ? n : d) * 1000;
  };
  return {
    connectMs: sec('TIMEOUT_SOCK', 10),
    writeMs: sec('TIMEOUT_WRITE', 10),
    readMs: sec('TIMEOUT_READ', 30),
  };
}

export type DaemonCallResult =
  | { readonly kind: 'reply'; readonly text: string }
  | { readonly kind: 'connect-error'; readonly code: string }
  | { readonly kind: 'eio' };

export interface CallOptions {
  readonly timeouts: ClientTimeouts;
  /** Stop reading at this many bytes (Courier's client buffer: 8192); 0 = unlimited (ENUMERATE). */
  readonly maxBytes?: number;
  /** When the reply is complete. */
  readonly complete: (text: string) => boolean;
}

/**
 * One authdaemond request: connect to the unix socket, write, read until the reply is complete, close.
 * A connect failure carries its errno code (ENOENT, ECONNREFUSED, ETIMEDOUT); anything else that
 * breaks the exchange is EIO (Courier treats it as a temporary failure).
 */
export function callAuthdaemon(
  socketPath: string,
  request: string,
  opts: CallOptions,
): Promise<DaemonCallResult> {
  return new Promise((resolve) => {
    const maxBytes = opts.maxBytes ?? 8192;
    let connected = false;
    let done = false;
    let text = '';
    const sock = connect({ path: socketPath });
    const finish = (r: DaemonCallResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    let timer = setTimeout(
      () => finish({ kind: 'connect-error', code: 'ETIMEDOUT' }),
      opts.timeouts.connectMs,
    );
    sock.setEncoding('utf8');
    sock.on('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(() => finish({ kind: 'eio' }), opts.timeouts.writeMs);
      sock.write(request, () => {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ kind: 'eio' }), opts.timeouts.readMs);
      });
    });
    sock.on('data', (chunk: string) => {
      text += chunk;
      if (opts.complete(text)) finish({ kind: 'reply', text });
      else if (maxBytes > 0 && Buffer.byteLength(text) >= maxBytes) finish({ kind: 'eio' });
    });
    sock.on('end', () => finish(opts.complete(text) ? { kind: 'reply', text } : { kind: 'eio' }));
    sock.on('error', (err: NodeJS.ErrnoException) =>
      finish(connected ? { kind: 'eio' } : { kind: 'connect-error', code: err.code ?? 'EIO' }),
    );
    sock.on('close', () => finish({ kind: 'eio' }));
  });
}
