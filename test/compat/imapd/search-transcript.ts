// Scripts and transcripts for the search/sort/thread/quota/acl compat checks: a command file (one
// command per line, `#` comments, a `{n}` line followed by lines making exactly n bytes joined with
// CRLF) becomes a pre-authenticated session `a SELECT INBOX`, `q001 ...`, ..., `z LOGOUT`; output is
// split into one block per tag so each command's answer is compared on its own.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ScriptCommand {
  readonly tag: string;
  /** The command as written in the file (first line). */
  readonly text: string;
}

export interface Script {
  readonly bytes: Buffer;
  readonly commands: readonly ScriptCommand[];
}

export function buildScript(file: string, options: { select?: boolean } = {}): Script {
  const lines = readFileSync(file)
    .toString('latin1')
    .split('\n')
    .filter((l) => !l.startsWith('#'));
  const out: string[] = options.select === false ? [] : ['a SELECT INBOX\r\n'];
  const commands: ScriptCommand[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i++]!;
    if (first === '') continue;
    const tag = `q${String(commands.length + 1).padStart(3, '0')}`;
    let text = `${tag} ${first}`;
    let m = /\{(\d+)\}$/.exec(first);
    while (m) {
      const want = Number(m[1]);
      let lit = '';
      while (Buffer.byteLength(lit, 'latin1') < want && i < lines.length)
        lit += (lit === '' ? '' : '\r\n') + lines[i++];
      if (Buffer.byteLength(lit, 'latin1') !== want)
        throw new Error(`${file}: literal of ${want} bytes does not fit`);
      text += `\r\n${lit}`;
      m = null;
    }
    commands.push({ tag, text: Buffer.from(first, 'latin1').toString('utf8') });
    out.push(`${text}\r\n`);
  }
  out.push('z LOGOUT\r\n');
  return { bytes: Buffer.from(out.join(''), 'latin1'), commands };
}

/** tag -> the lines answering it (untagged lines since the previous tagged one, then the tagged one). */
export function splitBlocks(output: Buffer): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  let pending: string[] = [];
  for (const raw of output.toString('latin1').split('\r\n')) {
    if (raw === '') continue;
    const line = raw
      .replace(/^(\* OK \[UIDVALIDITY )\d+/, '$1N')
      .replace(/\[(APPENDUID|COPYUID) \d+/, '[$1 N');
    pending.push(line);
    const tag = /^([a-z]\d*) (OK|NO|BAD)\b/.exec(line)?.[1];
    if (tag !== undefined) {
      blocks.set(tag, pending);
      pending = [];
    }
  }
  return blocks;
}

/** Courier's imapd run pre-authenticated on a maildir (stdin script, stdout transcript). */
export function runCourierImapd(
  maildir: string,
  script: Buffer,
  env: Record<string, string> = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/imapd', [maildir], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        AUTHENTICATED: 'testuser',
        IMAP_KEYWORDS: '1',
        TZ: 'UTC',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks)));
    child.stdin.end(script);
  });
}

/** Golden file form: each command, then its answer lines. */
export function formatGolden(script: Script, blocks: Map<string, string[]>): string {
  const out: string[] = [];
  for (const c of script.commands) {
    out.push(`>> ${c.tag} ${c.text}`);
    for (const l of blocks.get(c.tag) ?? ['(no answer)']) out.push(l);
  }
  return `${out.join('\n')}\n`;
}

export function parseGolden(text: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    const m = /^>> (q\d+) /.exec(line);
    if (m) {
      cur = [];
      blocks.set(m[1]!, cur);
    } else if (line !== '' && cur) cur.push(line);
  }
  return blocks;
}
