/**
 * Lexer for the subset of sh that Courier's config fragments use: words made of unquoted, 'single' and
 * "double" quoted parts, `$NAME` / `${NAME}` / `${NAME:-word}` expansions, `#` comments at word start,
 * backslash escapes and backslash-newline continuations, statements ended by newline or `;`.
 * Anything else sh would treat as code (pipes, redirections, `$(...)`, backquotes) is reported.
 */

/** One piece of a word. `quoted` parts cannot start an assignment or a comment. */
export type WordPart =
  | { readonly t: 'lit'; readonly s: string; readonly quoted: boolean }
  | {
      readonly t: 'param';
      readonly name: string;
      readonly op?: ParamOp;
      readonly arg?: readonly WordPart[];
    };

export type ParamOp = '-' | ':-' | '+' | ':+';

export interface Word {
  readonly parts: readonly WordPart[];
  readonly line: number;
}

export interface Statement {
  readonly words: readonly Word[];
  readonly line: number;
}

export interface LexProblem {
  readonly line: number;
  readonly message: string;
}

export interface LexResult {
  readonly statements: readonly Statement[];
  readonly problems: readonly LexProblem[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
/** For messages: the brace expansions this reader supports. */
const SUPPORTED_BRACES = ['NAME', 'NAME:-word', 'NAME-word', 'NAME:+word', 'NAME+word']
  .map((f) => `$\{${f}}`)
  .join(', ');
const OPERATORS = new Set(['|', '&', '<', '>', '(', ')']);

class LexError extends Error {
  constructor(
    readonly line: number,
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

/** Mutable cursor over the text; local to one `lexShell` call. */
class Cursor {
  pos = 0;
  line = 1;
  constructor(readonly text: string) {}
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }
  eof(): boolean {
    return this.pos >= this.text.length;
  }
  next(): string {
    const c = this.text[this.pos++] ?? '';
    if (c === '\n') this.line++;
    return c;
  }
}

function pushLit(parts: WordPart[], s: string, quoted: boolean): void {
  const last = parts[parts.length - 1];
  if (last && last.t === 'lit' && last.quoted === quoted) {
    parts[parts.length - 1] = { t: 'lit', s: last.s + s, quoted };
  } else {
    parts.push({ t: 'lit', s, quoted });
  }
}

function readName(cur: Cursor): string {
  let name = '';
  while (NAME_CHAR.test(cur.peek()) && !cur.eof()) name += cur.next();
  return name;
}

/** After a `$` has been consumed: an expansion part, or a literal `$`. */
function readDollar(cur: Cursor, parts: WordPart[], quoted: boolean): void {
  const c = cur.peek();
  if (c === '{') {
    cur.next();
    readBraced(cur, parts);
    return;
  }
  if (c !== '' && NAME_START.test(c)) {
    parts.push({ t: 'param', name: readName(cur) });
    return;
  }
  if (c === '(')
    throw new LexError(cur.line, 'command substitution $(...) is not supported in config files', false);
  if (c !== '' && /[0-9@*#?$!-]/.test(c)) {
    throw new LexError(cur.line, `special parameter $${c} is not supported in config files`, false);
  }
  pushLit(parts, '$', quoted);
}

function readBraced(cur: Cursor, parts: WordPart[]): void {
  const line = cur.line;
  if (!NAME_START.test(cur.peek())) {
    throw new LexError(line, `unsupported $\{...} expansion (only ${SUPPORTED_BRACES})`, false);
  }
  const name = readName(cur);
  if (cur.peek() === '}') {
    cur.next();
    parts.push({ t: 'param', name });
    return;
  }
  let op: ParamOp;
  if (cur.peek() === ':' && (cur.peek(1) === '-' || cur.peek(1) === '+')) {
    op = `:${cur.peek(1)}` as ParamOp;
    cur.next();
    cur.next();
  } else if (cur.peek() === '-' || cur.peek() === '+') {
    op = cur.next() as ParamOp;
  } else {
    throw new LexError(line, `unsupported $\{${name}...} expansion (only ${SUPPORTED_BRACES})`, false);
  }
  const arg: WordPart[] = [];
  for (;;) {
    if (cur.eof()) throw new LexError(line, 'unterminated ${', true);
    const c = cur.peek();
    if (c === '}') {
      cur.next();
      break;
    }
    readWordChar(cur, arg, true);
  }
  parts.push({ t: 'param', name, op, arg });
}

function readSingle(cur: Cursor, parts: WordPart[]): void {
  const line = cur.line;
  let s = '';
  for (;;) {
    if (cur.eof()) throw new LexError(line, "unterminated single quote (')", true);
    const c = cur.next();
    if (c === "'") break;
    s += c;
  }
  pushLit(parts, s, true);
}

function readDouble(cur: Cursor, parts: WordPart[]): void {
  const line = cur.line;
  // An empty "" still makes a (quoted) word part, so KEY="" is an assignment of the empty string.
  pushLit(parts, '', true);
  for (;;) {
    if (cur.eof()) throw new LexError(line, 'unterminated double quote (")', true);
    const c = cur.next();
    if (c === '"') return;
    if (c === '\\') {
      const n = cur.peek();
      if (n === '\n') cur.next();
      else if (n === '$' || n === '`' || n === '"' || n === '\\') pushLit(parts, cur.next(), true);
      else pushLit(parts, '\\', true);
    } else if (c === '$') {
      readDollar(cur, parts, true);
    } else if (c === '`') {
      throw new LexError(cur.line, 'command substitution `...` is not supported in config files', false);
    } else {
      pushLit(parts, c, true);
    }
  }
}

/** One unit of an unquoted word (also used inside `${NAME:-word}`). */
function readWordChar(cur: Cursor, parts: WordPart[], inBraces: boolean): void {
  const c = cur.next();
  if (c === '\\') {
    if (cur.peek() === '\n') cur.next();
    else if (!cur.eof()) pushLit(parts, cur.next(), true);
  } else if (c === "'") readSingle(cur, parts);
  else if (c === '"') readDouble(cur, parts);
  else if (c === '$') readDollar(cur, parts, false);
  else if (c === '`')
    throw new LexError(cur.line, 'command substitution `...` is not supported in config files', false);
  else if (!inBraces && OPERATORS.has(c)) {
    throw new LexError(cur.line, `shell operator '${c}' is not supported in config files`, false);
  } else pushLit(parts, c, inBraces);
}

function skipToEndOfLine(cur: Cursor): void {
  while (!cur.eof() && cur.peek() !== '\n') cur.next();
}

/** Splits a whole file into statements of words. Problems carry the line where they were found. */
export function lexShell(text: string): LexResult {
  const cur = new Cursor(text);
  const statements: Statement[] = [];
  const problems: LexProblem[] = [];
  let words: Word[] = [];
  let parts: WordPart[] = [];
  let wordLine = 1;
  let stmtLine = 1;
  let bad = false;

  const endWord = (): void => {
    if (parts.length > 0) words.push({ parts, line: wordLine });
    parts = [];
  };
  const endStatement = (): void => {
    endWord();
    if (words.length > 0 && !bad) statements.push({ words, line: stmtLine });
    words = [];
    bad = false;
  };

  while (!cur.eof()) {
    const c = cur.peek();
    if (c === ' ' || c === '\t' || c === '\r') {
      cur.next();
      endWord();
      continue;
    }
    if (c === '\n' || c === ';') {
      cur.next();
      endStatement();
      continue;
    }
    if (c === '#' && parts.length === 0) {
      skipToEndOfLine(cur);
      continue;
    }
    if (parts.length === 0) {
      wordLine = cur.line;
      if (words.length === 0) stmtLine = cur.line;
    }
    try {
      readWordChar(cur, parts, false);
    } catch (err) {
      if (!(err instanceof LexError)) throw err;
      problems.push({ line: err.line, message: err.message });
      if (err.fatal) {
        // sh would stop reading the file here: nothing after the unterminated quote is applied.
        bad = true;
        break;
      }
      bad = true;
      parts = [];
      skipToEndOfLine(cur);
    }
  }
  endStatement();
  return { statements, problems };
}
