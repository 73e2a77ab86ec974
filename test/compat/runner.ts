// Plays a scenario's client lines against one server stream (TCP socket or a child's stdio) and
// records the transcript. IMAP: each command waits for its tagged reply; a `+` continuation makes the
// next script line its answer (literals, IDLE's DONE, AUTHENTICATE data). POP3: each command waits for
// its reply (multi-line where POP3 says so); a `+ ` reply makes the next line its answer (AUTH).
import { imapTagOf, pop3IsMultiline, type StreamReader, WireTimeoutError } from '../support/wire.js';
import type { ClientLine, Protocol } from './scenario.js';
import { Transcript } from './transcript.js';

export interface WireEnds {
  readonly reader: StreamReader;
  write(data: Buffer): void;
  /** End of client input (half-close / stdin EOF). */
  end(): void;
}

function firstLine(buf: Buffer): string {
  const s = buf.toString('latin1');
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

async function readImap(
  ends: WireEnds,
  t: Transcript,
  tag: string | undefined,
): Promise<'tagged' | 'continuation' | 'eof'> {
  for (;;) {
    const r = await ends.reader.readImapResponse();
    if (r === undefined) return 'eof';
    t.server(r);
    const rt = imapTagOf(r);
    if (rt === '+') return 'continuation';
    if (tag !== undefined && rt === tag) return 'tagged';
    if (tag === undefined) return 'tagged'; // the greeting
  }
}

async function playImap(lines: readonly ClientLine[], ends: WireEnds, t: Transcript): Promise<void> {
  if ((await readImap(ends, t, undefined)) === 'eof') return;
  let continuationOf: string | undefined;
  for (const line of lines) {
    const tag = continuationOf ?? imapTagOf(line.pieces[0]!.bytes);
    continuationOf = undefined;
    let outcome: 'tagged' | 'continuation' | 'eof' = 'tagged';
    for (const [i, piece] of line.pieces.entries()) {
      t.client(piece.bytes);
      ends.write(piece.bytes);
      const last = i === line.pieces.length - 1;
      if (!last && !piece.waitForContinuation) continue;
      outcome = await readImap(ends, t, tag);
      if (outcome !== 'continuation' || last) break;
    }
    if (outcome === 'eof') return;
    if (outcome === 'continuation') continuationOf = tag;
  }
}

async function playPop3(lines: readonly ClientLine[], ends: WireEnds, t: Transcript): Promise<void> {
  const greeting = await ends.reader.readLine();
  if (greeting === undefined) return;
  t.server(greeting);
  let inExchange = false;
  for (const line of lines) {
    const bytes = line.pieces[0]!.bytes;
    t.client(bytes);
    ends.write(bytes);
    const text = bytes.toString('latin1');
    const r = await ends.reader.readPop3Reply(!inExchange && pop3IsMultiline(text));
    if (r === undefined) return;
    t.server(r);
    inExchange = firstLine(r).startsWith('+ ') || firstLine(r) === '+\r';
  }
}

/**
 * Play `lines`, then end the client's input and record whatever the server still sends until it closes
 * (or `drainMs` passes). Timeouts become `!:` lines, so a hung server shows up in the diff.
 */
export async function play(
  protocol: Protocol,
  lines: readonly ClientLine[],
  ends: WireEnds,
  drainMs = 5000,
): Promise<Transcript> {
  const t = new Transcript();
  try {
    if (protocol === 'imap') await playImap(lines, ends, t);
    else await playPop3(lines, ends, t);
  } catch (err) {
    if (!(err instanceof WireTimeoutError)) throw err;
    t.note('timeout waiting for the server');
    if (err.pending) t.server(Buffer.from(err.pending, 'latin1'));
    return t;
  }
  ends.end();
  const deadline = Date.now() + drainMs;
  while (!ends.reader.atEnd && Date.now() < deadline) {
    try {
      const r = await ends.reader.readLine();
      if (r === undefined) break;
      t.server(r);
    } catch (err) {
      if (!(err instanceof WireTimeoutError)) throw err;
      t.note('server did not close the session after the last command');
      break;
    }
  }
  return t;
}
