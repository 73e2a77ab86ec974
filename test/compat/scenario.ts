// Scenario files (test/compat/scenarios/*.scenario): a header of `@key value` settings, a line `---`,
// then the client's lines exactly as sent (one per line; IMAP literals `{n}` / `{n+}` followed by their
// n bytes, counted with CRLF line ends). The file's LF line ends become CRLF on the wire.
//
//   @protocol imap | pop3            required
//   @transport network | stdio       network: LOGIN over TCP (Courier's instance vs `bin/X run`);
//                                    stdio: pre-authenticated session (Courier's binary vs `bin/X preauth`)
//   @fixture NAME                    maildir tree under test/fixtures/maildirs/ (default: empty maildir)
//   @generate N [SEED]               or a generated maildir (mkmaildir.py, deterministic)
//   @env KEY=VALUE                   stdio: environment of both servers (repeatable)
//   @config FILE KEY=VALUE           network: extra line in imapd|imapd-ssl|pop3d|pop3d-ssl|authdaemonrc
//   @mask RULE                       enable an optional normalisation rule (see normalise.ts)
//   @deviation REGEX -- REASON       transcript/state lines matching REGEX (on either side) are left out
//                                    of the Courier-vs-ours comparison: an intentional difference
//   @rewrite REGEX => "TEXT" -- REASON  our lines: replace REGEX by TEXT (a JSON string; $1 allowed)
//                                    before comparing, e.g. to take out a capability Courier lacks
//                                    (header values are trimmed: start a pattern with `[ ]` for a space)
//   @timeout MS                      per-response timeout (default 15000)
//   # ...                            comment (header only)
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export type Protocol = 'imap' | 'pop3';
export type Transport = 'network' | 'stdio';
export type ConfigFile = 'imapd' | 'imapd-ssl' | 'pop3d' | 'pop3d-ssl' | 'authdaemonrc';

/**
 * An intentional difference from Courier. Without `replacement`, lines matching `pattern` (on either
 * side) are left out of the comparison. With it (`@rewrite`), our lines are rewritten into Courier's
 * form first (`line.replace(pattern, replacement)`, pattern global), so the rest of the line still counts.
 */
export interface Deviation {
  readonly pattern: RegExp;
  readonly reason: string;
  readonly replacement?: string;
}

/** Bytes to send; when `waitForContinuation`, the next piece goes only after the server's `+`. */
export interface Piece {
  readonly bytes: Buffer;
  readonly waitForContinuation: boolean;
}

/** One client line: a command, or (at run time) the answer to a `+` continuation. */
export interface ClientLine {
  readonly pieces: readonly Piece[];
}

export interface Scenario {
  readonly name: string;
  readonly protocol: Protocol;
  readonly transport: Transport;
  readonly fixture: string | undefined;
  readonly generate: { readonly messages: number; readonly seed: number } | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly config: Readonly<Partial<Record<ConfigFile, readonly string[]>>>;
  readonly masks: readonly string[];
  readonly deviations: readonly Deviation[];
  readonly timeoutMs: number;
  readonly lines: readonly ClientLine[];
}

export class ScenarioSyntaxError extends Error {
  override readonly name = 'ScenarioSyntaxError';
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
  }
}

const CONFIG_FILES: readonly string[] = ['imapd', 'imapd-ssl', 'pop3d', 'pop3d-ssl', 'authdaemonrc'];

/** LF (or CRLF) line ends to CRLF. */
export function toCrlf(body: Buffer): Buffer {
  const text = body.toString('latin1').replace(/\r?\n/g, '\r\n');
  return Buffer.from(text, 'latin1');
}

/** Split the body (already CRLF) into client lines, following IMAP literals when `imap`. */
export function splitClientLines(body: Buffer, imap: boolean): ClientLine[] {
  const lines: ClientLine[] = [];
  let pos = 0;
  while (pos < body.length) {
    const pieces: Piece[] = [];
    let start = pos;
    let scanFrom = pos;
    for (;;) {
      const crlf = body.indexOf('\r\n', scanFrom, 'latin1');
      const end = crlf < 0 ? body.length : crlf + 2;
      const tail = body.subarray(scanFrom, crlf < 0 ? body.length : crlf).toString('latin1');
      const m = imap ? /\{(\d+)(\+?)\}$/.exec(tail) : null;
      if (m && crlf >= 0) {
        pieces.push({ bytes: body.subarray(start, end), waitForContinuation: m[2] !== '+' });
        start = end;
        scanFrom = Math.min(end + Number(m[1]), body.length);
        continue;
      }
      pieces.push({ bytes: body.subarray(start, end), waitForContinuation: false });
      pos = end;
      break;
    }
    lines.push({ pieces });
  }
  return lines;
}

export function parseScenario(text: Buffer | string, file = 'scenario'): Scenario {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const sep = /^---[ \t]*\r?$/m.exec(buf.toString('latin1'));
  if (!sep) throw new ScenarioSyntaxError(file, 1, 'missing the `---` line between header and client lines');
  const header = buf.subarray(0, sep.index).toString('utf8').split('\n');
  let bodyStart = sep.index + sep[0].length;
  if (buf[bodyStart] === 0x0a) bodyStart += 1;
  let body = buf.subarray(bodyStart);
  // trailing blank lines in the file are not part of the session
  let endTrim = body.length;
  while (endTrim > 0 && (body[endTrim - 1] === 0x0a || body[endTrim - 1] === 0x0d)) endTrim--;
  body = endTrim > 0 ? Buffer.concat([body.subarray(0, endTrim), Buffer.from('\n')]) : Buffer.alloc(0);

  let protocol: Protocol | undefined;
  let transport: Transport | undefined;
  let fixture: string | undefined;
  let generate: Scenario['generate'];
  let timeoutMs = 15_000;
  const env: Record<string, string> = {};
  const config: Partial<Record<ConfigFile, string[]>> = {};
  const masks: string[] = [];
  const deviations: Deviation[] = [];
  header.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').trim();
    const n = i + 1;
    if (line === '' || line.startsWith('#')) return;
    const m = /^@(\w+)\s*(.*)$/.exec(line);
    if (!m) throw new ScenarioSyntaxError(file, n, `expected "@key value", got: ${line}`);
    const [, key, value = ''] = m;
    switch (key) {
      case 'protocol':
        if (value !== 'imap' && value !== 'pop3')
          throw new ScenarioSyntaxError(file, n, 'protocol must be imap or pop3');
        protocol = value;
        break;
      case 'transport':
        if (value !== 'network' && value !== 'stdio') {
          throw new ScenarioSyntaxError(file, n, 'transport must be network or stdio');
        }
        transport = value;
        break;
      case 'fixture':
        if (!value) throw new ScenarioSyntaxError(file, n, '@fixture needs a name');
        fixture = value;
        break;
      case 'generate': {
        const g = /^(\d+)(?:\s+(\d+))?$/.exec(value);
        if (!g) throw new ScenarioSyntaxError(file, n, '@generate N [SEED]');
        generate = { messages: Number(g[1]), seed: Number(g[2] ?? 1) };
        break;
      }
      case 'env': {
        const e = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(value);
        if (!e) throw new ScenarioSyntaxError(file, n, '@env KEY=VALUE');
        env[e[1]!] = e[2]!;
        break;
      }
      case 'config': {
        const c = /^(\S+)\s+([A-Za-z_][A-Za-z0-9_]*=.*)$/.exec(value);
        if (!c || !CONFIG_FILES.includes(c[1]!)) {
          throw new ScenarioSyntaxError(
            file,
            n,
            `@config FILE KEY=VALUE with FILE one of ${CONFIG_FILES.join(', ')}`,
          );
        }
        const name = c[1] as ConfigFile;
        config[name] = [...(config[name] ?? []), c[2]!];
        break;
      }
      case 'mask':
        if (!value) throw new ScenarioSyntaxError(file, n, '@mask needs a rule name');
        masks.push(value);
        break;
      case 'deviation': {
        const d = /^(.*?)\s+--\s+(.+)$/.exec(value);
        if (!d?.[1])
          throw new ScenarioSyntaxError(file, n, '@deviation REGEX -- REASON (the reason is required)');
        let pattern: RegExp;
        try {
          pattern = new RegExp(d[1]);
        } catch (err) {
          throw new ScenarioSyntaxError(file, n, `bad deviation regex: ${(err as Error).message}`);
        }
        deviations.push({ pattern, reason: d[2]! });
        break;
      }
      case 'rewrite': {
        const r = /^(.*?)\s+=>\s+("(?:[^"\\]|\\.)*")\s+--\s+(.+)$/.exec(value);
        if (!r?.[1])
          throw new ScenarioSyntaxError(
            file,
            n,
            '@rewrite REGEX => "TEXT" -- REASON (the reason is required)',
          );
        try {
          deviations.push({
            pattern: new RegExp(r[1], 'g'),
            replacement: JSON.parse(r[2]!) as string,
            reason: r[3]!,
          });
        } catch (err) {
          throw new ScenarioSyntaxError(file, n, `bad rewrite: ${(err as Error).message}`);
        }
        break;
      }
      case 'timeout':
        if (!/^\d+$/.test(value)) throw new ScenarioSyntaxError(file, n, '@timeout MS');
        timeoutMs = Number(value);
        break;
      default:
        throw new ScenarioSyntaxError(file, n, `unknown setting @${key}`);
    }
  });
  if (!protocol) throw new ScenarioSyntaxError(file, 1, '@protocol is required');
  if (!transport) throw new ScenarioSyntaxError(file, 1, '@transport is required');
  if (fixture && generate)
    throw new ScenarioSyntaxError(file, 1, '@fixture and @generate exclude each other');
  if (transport === 'network' && Object.keys(env).length > 0) {
    throw new ScenarioSyntaxError(file, 1, '@env is for stdio scenarios; network scenarios use @config');
  }
  const lines = body.length ? splitClientLines(toCrlf(body), protocol === 'imap') : [];
  return {
    name: basename(file).replace(/\.scenario$/, ''),
    protocol,
    transport,
    fixture,
    generate,
    env,
    config,
    masks,
    deviations,
    timeoutMs,
    lines,
  };
}

export function loadScenario(path: string): Scenario {
  return parseScenario(readFileSync(path), path);
}
