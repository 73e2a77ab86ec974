// Every normalisation the compat harness applies, in one place. A transcript or state line is changed
// only by the rules listed here; anything else must match byte for byte. Rules marked `optional` run
// only when a scenario asks for them with `@mask <id>`.
//
// Transcript rules see rendered lines (`C: ...`, `S: ...`, see transcript.ts); state rules see the
// lines of a maildir snapshot (see state.ts).

export interface NormaliseContext {
  /** Host names to mask (the machine's, and HOSTNAME given to the servers). */
  readonly hostnames: readonly string[];
  /** Optional rules switched on by the scenario. */
  readonly masks: readonly string[];
  /**
   * UIDVALIDITY values the fixture's state files already hold: these are kept, not masked, so a server
   * that throws away an existing UID list (new UIDVALIDITY) shows up in the diff.
   */
  readonly knownValidities?: readonly string[];
}

export interface LineRule {
  readonly id: string;
  readonly description: string;
  readonly optional?: boolean;
  /** State rules: the file (path relative to the maildir) whose content lines the rule applies to. */
  readonly scope?: RegExp;
  /** Return the new line, or null to drop it. */
  apply(line: string, ctx: NormaliseContext): string | null;
}

const replaceRule = (
  id: string,
  description: string,
  re: RegExp,
  to: string,
  optional = false,
): LineRule => ({
  id,
  description,
  optional,
  apply: (line) => line.replace(re, to),
});

const stateRule = (id: string, description: string, scope: RegExp, re: RegExp, to: string): LineRule => ({
  id,
  description,
  scope,
  apply: (line) => line.replace(re, to),
});

/**
 * A rule masking the UIDVALIDITY in the named group `v` of `re` (which needs the `g` and `d` flags),
 * unless the value is one the fixture already had.
 */
const validityRule = (id: string, description: string, re: RegExp, scope?: RegExp): LineRule => ({
  id,
  description,
  ...(scope ? { scope } : {}),
  apply: (line, ctx) => {
    let out = '';
    let last = 0;
    for (const m of line.matchAll(re)) {
      const [start, end] = m.indices?.groups?.v ?? [0, 0];
      if (end === 0 || ctx.knownValidities?.includes(m.groups?.v ?? '')) continue;
      out += `${line.slice(last, start)}<uidvalidity>`;
      last = end;
    }
    return out + line.slice(last);
  },
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Decoded base64 of a `+ ` continuation, if it looks like a CRAM challenge `<...@host>`. */
function isCramChallenge(b64: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return false;
  return /^<[^<>@\s]+@[^<>\s]+>$/.test(Buffer.from(b64, 'base64').toString('latin1'));
}

export const TRANSCRIPT_RULES: readonly LineRule[] = [
  validityRule(
    'uidvalidity',
    'new UIDVALIDITY values (time-based: mtime of courierimapuiddb - 10^9) in response codes and STATUS',
    /\bUIDVALIDITY (?<v>\d+)/dg,
  ),
  validityRule(
    'uidplus-uidvalidity',
    'the UIDVALIDITY inside [COPYUID ...] and [APPENDUID ...]',
    /\[(?:COPYUID|APPENDUID) (?<v>\d+)/dg,
  ),
  validityRule(
    'pop3-uidl-validity',
    'the validity part of POP3 UIDL ids (UID<n>-<time the sizelist was created>)',
    /^S: (?:\+OK )?\d+ UID\d+-(?<v>\d+)$/dg,
  ),
  {
    id: 'hostname',
    description: 'host names (machine name, HOSTNAME given to the servers)',
    apply: (line, ctx) => {
      let out = line;
      for (const h of ctx.hostnames)
        if (h) out = out.replace(new RegExp(`\\b${escapeRe(h)}\\b`, 'g'), '<hostname>');
      return out;
    },
  },
  {
    id: 'cram-challenge',
    description: 'SASL CRAM-* challenges (base64 of <random.time@host>)',
    apply: (line) => {
      const m = /^S: \+ (\S+)$/.exec(line);
      return m && isCramChallenge(m[1]!) ? 'S: + <cram-challenge>' : line;
    },
  },
  {
    id: 'idle-keepalive',
    description: 'IDLE keep-alive lines, whose number depends on timing',
    apply: (line) => (/^S: \* OK (?:Still here|Idle time)/i.test(line) ? null : line),
  },
  replaceRule(
    'internaldate',
    'INTERNALDATE values (for messages APPENDed without a date or delivered during the session)',
    /INTERNALDATE "[^"]*"/g,
    'INTERNALDATE "<date>"',
    true,
  ),
  replaceRule(
    'date-header',
    'Date: header lines the server generates itself (POP3 Unicode wrapper, expunged placeholders)',
    /^S: Date: .*$/,
    'S: Date: <date>',
    true,
  ),
];

export interface BlockRule {
  readonly id: string;
  readonly description: string;
  /** Lines that form a run to be sorted. */
  readonly member: RegExp;
}

/** Rules over runs of consecutive transcript lines, applied after the line rules. */
export const TRANSCRIPT_BLOCK_RULES: readonly BlockRule[] = [
  {
    id: 'list-order',
    description:
      'the order of consecutive LIST/LSUB responses (Courier lists folders in readdir order, which depends on the file system and its hash seed)',
    member: /^S: \* (?:LIST|LSUB|XLIST) /,
  },
];

function sortRuns(lines: readonly string[], member: RegExp): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    out.push(...run.sort());
    run = [];
  };
  for (const line of lines) {
    if (member.test(line)) run.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out;
}

/** Unique part of a maildir file name: <sec>.M<usec>P<pid>[V<dev>I<ino>][_<n>].<host> */
const UNIQUE_NAME = /^\d+\.M\d+P\d+(?:V[0-9A-Fa-f]+I[0-9A-Fa-f]+)?(?:_\d+)?\.[^,:/\s]+/;

export const STATE_RULES: readonly LineRule[] = [
  validityRule(
    'uiddb-header',
    'courierimapuiddb first line: version <uidvalidity> nextuid',
    /^\s+\| 1 (?<v>\d+) \d+$/dg,
    /(^|\/)courierimapuiddb$/,
  ),
  validityRule(
    'sizelist-header',
    'courierpop3dsizelist first line: /version nextuid <uidvalidity>',
    /^\s+\| \/\d+ \d+ (?<v>\d+)$/dg,
    /(^|\/)courierpop3dsizelist$/,
  ),
  validityRule(
    'sizelist-validity',
    'courierpop3dsizelist entries: name size uid:<uidvalidity>:utf8',
    / \d+:(?<v>\d+):\d+$/dg,
    /(^|\/)courierpop3dsizelist$/,
  ),
  stateRule(
    'keyword-bucket',
    'courierimapkeywords aged update files .<time/300>.<name>',
    /courierimapkeywords\//,
    /(courierimapkeywords\/)\.\d+\./,
    '$1.<bucket>.',
  ),
];

/**
 * A file name made by the server during the session (not one of the fixture's) loses its unique part
 * (time, pid, device, inode, counter, host): `<new>,S=123:2,S`.
 */
export function normaliseFileName(name: string, known: ReadonlySet<string>): string {
  const aged = /^(\.\d+\.)(\d.*)$/.exec(name); // courierimapkeywords/.<bucket>.<name>
  if (aged) return `${aged[1]}${normaliseFileName(aged[2]!, known)}`;
  const m = UNIQUE_NAME.exec(name);
  if (!m || known.has(m[0])) return name;
  return `<new>${name.slice(m[0].length)}`;
}

export function baseOfFileName(name: string): string | undefined {
  return UNIQUE_NAME.exec(name)?.[0];
}

function applyRules(lines: readonly string[], rules: readonly LineRule[], ctx: NormaliseContext): string[] {
  const active = rules.filter((r) => !r.optional || ctx.masks.includes(r.id));
  const out: string[] = [];
  for (const line of lines) {
    let cur: string | null = line;
    for (const r of active) {
      cur = r.apply(cur, ctx);
      if (cur === null) break;
    }
    if (cur !== null) out.push(cur);
  }
  return out;
}

export function normaliseTranscript(lines: readonly string[], ctx: NormaliseContext): string[] {
  let out = applyRules(lines, TRANSCRIPT_RULES, ctx);
  for (const b of TRANSCRIPT_BLOCK_RULES) out = sortRuns(out, b.member);
  return out;
}

/** Normalise the lines of one snapshot entry: `file` is its path relative to the maildir. */
export function normaliseState(file: string, lines: readonly string[], ctx: NormaliseContext): string[] {
  return applyRules(
    lines,
    STATE_RULES.filter((r) => !r.scope || r.scope.test(file)),
    ctx,
  );
}

/** Every rule id a scenario may name in `@mask`. */
export function optionalRuleIds(): string[] {
  return TRANSCRIPT_RULES.filter((r) => r.optional).map((r) => r.id);
}
