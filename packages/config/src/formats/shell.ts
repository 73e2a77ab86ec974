/**
 * Reads an sh config fragment (imapd, imapd-ssl, pop3d, pop3d-ssl, authdaemonrc) the way
 * `set -a; . file` would for assignments: quote removal, `$VAR` expansion from the variables set so far
 * (and from the overrides, which win), `#` comments, multiple assignments per line.
 *
 * Beyond sh, the `key = value` form (spaces around `=`, as admin guides write it) is accepted, with a
 * warning: Courier's own start scripts would run such a line as a command.
 */

import type { EnvLike } from '../types.js';
import { type LexProblem, lexShell, type Statement, type Word, type WordPart } from './shell-lexer.js';

export interface ShellAssignment {
  readonly key: string;
  readonly value: string;
  readonly line: number;
  /** True for the `key = value` form (not valid sh). */
  readonly spaced: boolean;
}

export interface ShellProblem {
  readonly severity: 'error' | 'warning';
  readonly line: number;
  readonly key?: string;
  readonly message: string;
}

export interface ShellReadOptions {
  /** Variables set before this file (for example by the base file when reading the -ssl file). */
  readonly vars?: ReadonlyMap<string, string>;
  /** Values that win over any assignment, also inside expansions (the environment). */
  readonly overrides?: EnvLike;
}

export interface ShellReadResult {
  /** Every assignment in file order (a key may appear more than once; the last one wins in sh). */
  readonly assignments: readonly ShellAssignment[];
  /** The variables after this file: `vars` plus this file's assignments. */
  readonly vars: ReadonlyMap<string, string>;
  readonly problems: readonly ShellProblem[];
  /** `$NAME` references that found the variable unset (sh expands them to nothing), with their line. */
  readonly unsetReferences: readonly { readonly name: string; readonly line: number }[];
}

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `guarded` is true for `${NAME-word}`-style references, which handle an unset NAME on purpose. */
type Lookup = (name: string, guarded?: boolean) => string | undefined;

/** Expands word parts to a string (no field splitting: values of assignments are never split). */
export function expandParts(parts: readonly WordPart[], lookup: Lookup): string {
  let out = '';
  for (const p of parts) {
    if (p.t === 'lit') {
      out += p.s;
      continue;
    }
    const v = lookup(p.name, p.op !== undefined);
    switch (p.op) {
      case undefined:
        out += v ?? '';
        break;
      case '-':
        out += v === undefined ? expandParts(p.arg ?? [], lookup) : v;
        break;
      case ':-':
        out += v === undefined || v === '' ? expandParts(p.arg ?? [], lookup) : v;
        break;
      case '+':
        out += v === undefined ? '' : expandParts(p.arg ?? [], lookup);
        break;
      case ':+':
        out += v === undefined || v === '' ? '' : expandParts(p.arg ?? [], lookup);
        break;
    }
  }
  return out;
}

/** `KEY=rest` when the word is an assignment word: the key and the parts after `=`. */
function splitAssignment(word: Word): { key: string; rest: WordPart[] } | undefined {
  const first = word.parts[0];
  if (first?.t !== 'lit' || first.quoted) return undefined;
  const m = ASSIGN.exec(first.s);
  if (!m) return undefined;
  const key = m[1]!;
  const tail = first.s.slice(key.length + 1);
  const rest: WordPart[] = tail === '' ? [] : [{ t: 'lit', s: tail, quoted: false }];
  rest.push(...word.parts.slice(1));
  return { key, rest };
}

/** The plain unquoted text of a word, if it is nothing but unquoted literal text. */
function plainText(word: Word | undefined): string | undefined {
  if (word?.parts.length !== 1) return undefined;
  const p = word.parts[0]!;
  return p.t === 'lit' && !p.quoted ? p.s : undefined;
}

/** Recognises `key = value`, `key =value` and `key= value` (any number of value words). */
function spacedForm(words: readonly Word[]): { key: string; valueWords: WordPart[][] } | undefined {
  if (words.length < 2) return undefined;
  const name = plainText(words[0]);
  const second = words[1]!;
  const first2 = second.parts[0];
  if (
    name !== undefined &&
    NAME.test(name) &&
    first2?.t === 'lit' &&
    !first2.quoted &&
    first2.s.startsWith('=')
  ) {
    const tail = first2.s.slice(1);
    const head: WordPart[] = tail === '' ? [] : [{ t: 'lit', s: tail, quoted: false }];
    const valueWords = [[...head, ...second.parts.slice(1)], ...words.slice(2).map((w) => [...w.parts])];
    return { key: name, valueWords: valueWords.filter((w, i) => i > 0 || w.length > 0) };
  }
  const a = splitAssignment(words[0]!);
  if (a && a.rest.length === 0 && words.length >= 2 && !splitAssignment(second)) {
    return { key: a.key, valueWords: words.slice(1).map((w) => [...w.parts]) };
  }
  return undefined;
}

function describeWord(word: Word): string {
  return word.parts.map((p) => (p.t === 'lit' ? p.s : `$${p.name}`)).join('');
}

/** Reads the text of one sh fragment. `vars`/`overrides` feed `$VAR` expansion; nothing is mutated. */
export function readShellText(text: string, options: ShellReadOptions = {}): ShellReadResult {
  const vars = new Map(options.vars ?? []);
  const overrides = options.overrides ?? {};
  const unsetReferences: { name: string; line: number }[] = [];
  let currentLine = 0;
  const lookup: Lookup = (name, guarded) => {
    const v = overrides[name] ?? vars.get(name);
    if (v === undefined && !guarded) unsetReferences.push({ name, line: currentLine });
    return v;
  };
  const lexed = lexShell(text);
  const problems: ShellProblem[] = lexed.problems.map((p: LexProblem) => ({ severity: 'error', ...p }));
  const assignments: ShellAssignment[] = [];

  const assign = (key: string, value: string, line: number, spaced: boolean): void => {
    assignments.push({ key, value, line, spaced });
    vars.set(key, value);
  };

  const cr = text.indexOf('\r');
  if (cr >= 0) {
    problems.push({
      severity: 'warning',
      line: text.slice(0, cr).split('\n').length,
      message:
        'carriage return (CRLF line ends?): ignored here, but sh would keep it in values; save with LF line ends',
    });
  }
  for (const st of lexed.statements) evalStatement(st);

  function evalStatement(st: Statement): void {
    currentLine = st.line;
    let words = st.words;
    const head = plainText(words[0]);
    if ((head === 'export' || head === 'readonly') && words.length > 1) {
      words = words.slice(1);
      if (words.every((w) => NAME.test(plainText(w) ?? '') || splitAssignment(w))) {
        for (const w of words) {
          const a = splitAssignment(w);
          if (a) assign(a.key, expandParts(a.rest, lookup), w.line, false);
        }
        return;
      }
    }
    const split = words.map(splitAssignment);
    if (split.every((a) => a !== undefined)) {
      split.forEach((a, i) => {
        assign(a!.key, expandParts(a!.rest, lookup), words[i]!.line, false);
      });
      return;
    }
    const spaced = spacedForm(words);
    if (spaced) {
      const value = spaced.valueWords.map((w) => expandParts(w, lookup)).join(' ');
      assign(spaced.key, value, st.line, true);
      problems.push({
        severity: 'warning',
        line: st.line,
        key: spaced.key,
        message:
          `'${spaced.key} = ...' with spaces around '=' is accepted here, but Courier's start scripts ` +
          `(sh) would run it as a command; write ${spaced.key}=value`,
      });
      return;
    }
    const cmd = words[split.indexOf(undefined)]!;
    const prefix = split[0];
    problems.push({
      severity: 'error',
      line: cmd.line,
      ...(prefix ? { key: prefix.key } : {}),
      message: prefix
        ? `unquoted space in the value of ${prefix.key}: sh would run '${describeWord(cmd)}' as a command; ` +
          'put the value in double quotes'
        : `'${describeWord(cmd)}' is not an assignment (KEY=value); sh would run it as a command`,
    });
  }

  return { assignments, vars, problems, unsetReferences };
}

/** Expands one piece of sh text as if it were inside double quotes (used for defaults like `$TLS_PROTOCOL`). */
export function expandShellTemplate(template: string, lookup: (name: string) => string | undefined): string {
  if (!template.includes('$')) return template;
  const escaped = template.replace(/["\\`]/g, (c) => `\\${c}`);
  const st = lexShell(`"${escaped}"`).statements[0];
  return st ? st.words.map((w) => expandParts(w.parts, lookup)).join(' ') : '';
}
