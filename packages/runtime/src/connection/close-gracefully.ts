import type { Duplex } from 'node:stream';

/**
 * End a stream once its pending output is flushed, and wait for it to close; destroy it if the
 * peer has not closed within `graceMs`. Nothing more is read meanwhile.
 */
export function closeGracefully(stream: Duplex, graceMs = 2000): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      stream.destroy();
      resolve();
    }, graceMs);
    t.unref();
    stream.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    stream.on('error', () => {});
    stream.end();
    stream.resume();
  });
}
