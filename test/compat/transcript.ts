// A session transcript: what the client sent (C:) and the server answered (S:), byte-exact, rendered
// one wire line per text line. CRLF is the normal line end and is not shown; anything else is made
// visible: a bare LF ends a line with `<LF>`, a stray CR shows as `<CR>`, a missing final line end as
// `<no-eol>`. Events of the harness itself (timeouts, end of stream) are `!:` lines.
export type Direction = 'C' | 'S' | '!';

export interface TranscriptEntry {
  readonly dir: Direction;
  readonly bytes: Buffer;
}

export class Transcript {
  readonly entries: TranscriptEntry[] = [];

  client(bytes: Buffer): void {
    this.entries.push({ dir: 'C', bytes });
  }

  server(bytes: Buffer): void {
    this.entries.push({ dir: 'S', bytes });
  }

  note(text: string): void {
    this.entries.push({ dir: '!', bytes: Buffer.from(text, 'utf8') });
  }

  render(): string[] {
    const out: string[] = [];
    for (const e of this.entries) {
      if (e.dir === '!') {
        out.push(`!: ${e.bytes.toString('utf8')}`);
        continue;
      }
      for (const line of renderLines(e.bytes)) out.push(`${e.dir}: ${line}`);
    }
    return out;
  }
}

/** Split raw bytes into display lines per the rules above. */
export function renderLines(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\r' && text[i + 1] === '\n') {
      out.push(cur);
      cur = '';
      i++;
    } else if (ch === '\n') {
      out.push(`${cur}<LF>`);
      cur = '';
    } else if (ch === '\r') {
      cur += '<CR>';
    } else {
      cur += ch;
    }
  }
  if (cur !== '') out.push(`${cur}<no-eol>`);
  return out;
}
