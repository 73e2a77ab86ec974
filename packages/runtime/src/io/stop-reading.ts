import type { Duplex } from 'node:stream';

interface ReadableHandle {
  reading?: boolean;
  readStop?: () => number;
}

/**
 * Stop a socket pulling bytes from the kernel, then return what it had already read but nobody
 * consumed. A paused net.Socket keeps reading into its buffer (up to highWaterMark); before its
 * handle goes to another process, those bytes must be taken out here and anything later must stay
 * in the kernel, where the new owner reads it. Resuming the stream later restarts reading.
 */
export function stopReadingAndDrain(stream: Duplex): Buffer {
  // Only a plain TCP socket's handle changes hands; a TLS socket stays here (and is relayed).
  const isTls = (stream as { encrypted?: boolean }).encrypted === true;
  const handle = (stream as unknown as { _handle?: ReadableHandle | null })._handle;
  if (!isTls && handle?.readStop && handle.reading !== false) {
    handle.reading = false;
    handle.readStop();
  }
  stream.pause();
  const parts: Buffer[] = [];
  for (let b = stream.read() as Buffer | null; b !== null; b = stream.read() as Buffer | null) parts.push(b);
  return Buffer.concat(parts);
}
