/** LF <-> CRLF conversion as Courier does it: every LF becomes CRLF on output, CRs pass through. */

/** Counts LF bytes in a chunk. */
export function countLf(chunk: Uint8Array): number {
  let n = 0;
  let i = -1;
  const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (;;) {
    i = buf.indexOf(10, i + 1);
    if (i < 0) return n;
    n++;
  }
}

/** Converts one chunk: each LF -> CRLF. */
export function lfToCrlf(chunk: Buffer): Buffer {
  const lfs = countLf(chunk);
  if (lfs === 0) return chunk;
  const out = Buffer.allocUnsafe(chunk.length + lfs);
  let o = 0;
  let start = 0;
  for (;;) {
    const i = chunk.indexOf(10, start);
    if (i < 0) break;
    chunk.copy(out, o, start, i);
    o += i - start;
    out[o++] = 13;
    out[o++] = 10;
    start = i + 1;
  }
  chunk.copy(out, o, start);
  return out;
}

/**
 * Slices a stream of CRLF-form chunks to [start, end) (offsets in the CRLF form).
 * Async generator over converted output.
 */
export async function* crlfRange(
  source: AsyncIterable<Buffer>,
  start = 0,
  end = Number.POSITIVE_INFINITY,
): AsyncGenerator<Buffer> {
  let pos = 0;
  if (end <= start) return;
  for await (const raw of source) {
    const chunk = lfToCrlf(raw);
    const cStart = pos;
    const cEnd = pos + chunk.length;
    pos = cEnd;
    if (cEnd <= start) continue;
    const from = Math.max(0, start - cStart);
    const to = Math.min(chunk.length, end - cStart);
    if (to > from) yield from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
    if (cEnd >= end) return;
  }
}

/**
 * APPEND's storage transform: strips every CR and guarantees a trailing LF
 * (an empty message becomes a single LF). Yields LF-form chunks.
 */
export async function* stripCr(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let last = -1;
  for await (const c of source) {
    const chunk = Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    if (chunk.length === 0) continue;
    let out: Buffer;
    if (chunk.indexOf(13) < 0) {
      out = chunk;
    } else {
      out = Buffer.allocUnsafe(chunk.length);
      let o = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (b !== 13) out[o++] = b;
      }
      out = out.subarray(0, o);
    }
    if (out.length > 0) {
      last = out[out.length - 1]!;
      yield out;
    }
  }
  if (last !== 10) yield Buffer.from('\n');
}
