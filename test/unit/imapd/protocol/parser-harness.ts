import {
  CommandParser,
  type CommandParserOptions,
  type ImapToken,
  type ParserEvent,
} from '@courier-ts/imapd';

export type LiteralPolicy = 'accept' | 'stream' | 'reject';

/** Compact text form of tokens: atoms bare, strings q"…" / L"…" / L8"…", lists (…), streamed S{n}. */
export function showTokens(tokens: readonly ImapToken[]): string {
  return tokens
    .map((t) => {
      switch (t.type) {
        case 'atom':
          return t.value;
        case 'string': {
          const p = t.form === 'quoted' ? 'q' : t.form === 'literal' ? 'L' : 'L8';
          return `${p}${JSON.stringify(t.value.toString('latin1'))}`;
        }
        case 'list':
          return `(${showTokens(t.items)})`;
        case 'streamed':
          return `S{${t.size}${t.binary ? ' bin' : ''}}`;
      }
      return '?';
    })
    .join(' ');
}

function show(ev: ParserEvent): string {
  switch (ev.type) {
    case 'command': {
      const c = ev.command;
      return `cmd ${c.tag} ${c.uid ? 'UID ' : ''}${c.name}${c.args.length > 0 ? ` ${showTokens(c.args)}` : ''}`;
    }
    case 'literal':
      return `lit ${ev.tag} ${ev.uid ? 'UID ' : ''}${ev.name} ${ev.size}${ev.synchronizing ? '' : '+'}${
        ev.binary ? ' bin' : ''
      } d${ev.depth} [${showTokens(ev.args)}]`;
    case 'literal-data':
      return `data ${ev.chunk.toString('latin1')}`;
    case 'literal-end':
      return 'end';
    case 'line':
      return `line ${ev.line.toString('latin1')}`;
    case 'error':
      return `err ${ev.error.code} ${ev.tag ?? '-'}${ev.error.fatal ? ' fatal' : ''}`;
  }
}

export interface RunOptions {
  readonly parser?: CommandParserOptions;
  readonly policy?: LiteralPolicy | ((ev: ParserEvent & { type: 'literal' }) => LiteralPolicy);
  /** After each `cmd X` event whose name matches, call expectLine(). */
  readonly lineAfter?: readonly string[];
}

/**
 * Feeds `input` split into chunks of `chunkSize` (Infinity = whole), draining events after
 * every feed, and returns the events as text; consecutive literal-data events are merged.
 */
export function runParser(input: Buffer | string, chunkSize: number, options: RunOptions = {}): string[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const parser = new CommandParser(options.parser);
  const out: string[] = [];
  const drain = (): void => {
    for (let ev = parser.next(); ev !== null; ev = parser.next()) {
      const text = show(ev);
      const last = out[out.length - 1];
      if (ev.type === 'literal-data' && last?.startsWith('data ')) out[out.length - 1] = last + text.slice(5);
      else out.push(text);
      if (ev.type === 'literal') {
        const p = typeof options.policy === 'function' ? options.policy(ev) : (options.policy ?? 'accept');
        if (p === 'reject') parser.rejectLiteral();
        else {
          const err = parser.acceptLiteral({ stream: p === 'stream' });
          if (err !== null) out.push(`accept-err ${err.code}`);
        }
      }
      if (ev.type === 'command' && options.lineAfter?.includes(ev.command.name)) parser.expectLine();
    }
  };
  if (!Number.isFinite(chunkSize)) {
    parser.feed(bytes);
    drain();
  } else {
    for (let i = 0; i < bytes.length; i += chunkSize) {
      parser.feed(bytes.subarray(i, i + chunkSize));
      drain();
    }
  }
  if (parser.dead) out.push('dead');
  return out;
}

/**
 * Parses one command line (literals accepted) whole and byte by byte, checks both give the
 * same tokens, and returns the arguments.
 */
export function parseArgs(line: string): readonly ImapToken[] {
  const results = [Number.POSITIVE_INFINITY, 1].map((size) => {
    const parser = new CommandParser();
    const bytes = Buffer.from(line, 'latin1');
    let args: readonly ImapToken[] | null = null;
    const step = size === 1 ? 1 : bytes.length;
    for (let i = 0; i < bytes.length; i += step) {
      parser.feed(bytes.subarray(i, i + step));
      for (let ev = parser.next(); ev !== null; ev = parser.next()) {
        if (ev.type === 'literal') parser.acceptLiteral();
        else if (ev.type === 'command') args = ev.command.args;
        else if (ev.type === 'error') throw ev.error;
      }
    }
    if (args === null) throw new Error(`no command in ${JSON.stringify(line)}`);
    return args;
  });
  if (showTokens(results[0]!) !== showTokens(results[1]!))
    throw new Error('whole and bytewise parses differ');
  return results[0]!;
}
