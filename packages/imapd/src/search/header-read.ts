/** Reads a message file's header block directly (LF or CRLF lines), up to a cap, in 16 KiB reads. */
import { openFile } from './file-read.js';

const CHUNK = 16 * 1024;

/** Bytes up to (excluding) the blank line ending the header block, at most `max`. */
export async function readHeaderFile(path: string, max: number): Promise<Buffer> {
  const fh = await openFile(path);
  try {
    const parts: Buffer[] = [];
    let total = 0;
    let pos = 0;
    while (total < max) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, max - total));
      const bytesRead = await fh.read(buf, pos);
      if (bytesRead === 0) break;
      const piece = buf.subarray(0, bytesRead);
      // A message that starts with the blank line has an empty header block.
      if (pos === 0 && (piece[0] === 10 || (piece[0] === 13 && piece[1] === 10))) return Buffer.alloc(0);
      pos += bytesRead;
      // Look for the blank line, including one that straddles the previous piece.
      const prev = parts.length > 0 ? parts[parts.length - 1]! : undefined;
      const tail = prev ? prev.subarray(Math.max(0, prev.length - 2)) : Buffer.alloc(0);
      const joined = tail.length > 0 ? Buffer.concat([tail, piece]) : piece;
      const end = blankLine(joined);
      if (end >= 0) {
        const cut = end - tail.length;
        if (cut >= 0) parts.push(piece.subarray(0, cut));
        else parts[parts.length - 1] = prev!.subarray(0, prev!.length + cut);
        return Buffer.concat(parts);
      }
      parts.push(piece);
      total += bytesRead;
    }
    return Buffer.concat(parts);
  } finally {
    await fh.close();
  }
}

/**
 * The header block at the start of `bytes` (the first bytes of a message file), or undefined when
 * its end is not among them and `eof` is false.
 */
export function headerBlockIn(bytes: Buffer, eof: boolean): Buffer | undefined {
  if (bytes[0] === 10 || (bytes[0] === 13 && bytes[1] === 10)) return bytes.subarray(0, 0);
  const end = blankLine(bytes);
  if (end >= 0) return bytes.subarray(0, end);
  return eof ? bytes : undefined;
}

/** Offset just after the header block's last LF (before the empty line), or -1. */
function blankLine(b: Buffer): number {
  let i = b.indexOf(10);
  while (i >= 0) {
    if (b[i + 1] === 10) return i + 1;
    if (b[i + 1] === 13 && b[i + 2] === 10) return i + 1;
    i = b.indexOf(10, i + 1);
  }
  return -1;
}
