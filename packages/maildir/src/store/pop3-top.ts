/**
 * TOP n k on the stored (LF) form, as courierpop3d's do_retr: the header block, the blank
 * line, then k body lines (a line is counted when it starts).
 */
export async function* topLf(source: AsyncIterable<Buffer>, lines: number): AsyncGenerator<Buffer> {
  let inHeader = true;
  let remaining = lines;
  let lineStart = true;
  for await (const chunk of source) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (lineStart) {
        if (inHeader) {
          if (c === 10) inHeader = false;
        } else if (remaining-- === 0) {
          if (i > 0) yield chunk.subarray(0, i);
          return;
        }
      }
      lineStart = c === 10;
    }
    yield chunk;
  }
}
