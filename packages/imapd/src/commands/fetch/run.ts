/** FETCH: items in request order, literals streamed from disk, implicit \Seen as Courier does it. */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageInfo } from '@courier-ts/maildir';
import { formatImapDateTime } from '../../protocol/dates.js';
import { type FetchItem, fetchItemLabel } from '../../protocol/fetch-attributes.js';
import type { CommandContext } from '../../session/command.js';
import type { SelectedMailbox, SetEntry } from '../../session/selected.js';
import type { FetchOutput } from './output.js';
import type { FetchInput } from './parse.js';
import { type MessageSource, openSource, UNAVAILABLE } from './source.js';
import type { Content, StructureProvider, StructureScope } from './structure.js';

type BodyItem = Extract<FetchItem, { kind: 'BODY[]' }>;

/** Courier reads RFC822.HEADER up to the first empty line (or the end), not by its MIME view. */
const RFC822_HEADER: BodyItem = {
  kind: 'BODY[]',
  peek: true,
  section: { part: [], specifier: 'HEADER', fields: [] },
  partial: null,
};

interface Fetching {
  readonly ctx: CommandContext;
  readonly mb: SelectedMailbox;
  readonly out: FetchOutput;
  readonly structure: StructureScope;
  /** needsStoredBytes and sendsWholeOnce of this FETCH's items. */
  readonly wantRaw: boolean;
  readonly pooled: boolean;
}

function asBodyItem(item: FetchItem): { item: BodyItem; label: string } | undefined {
  const whole = { part: [], specifier: null, fields: [] } as const;
  switch (item.kind) {
    case 'BODY[]':
      return { item, label: fetchItemLabel(item) };
    case 'RFC822':
      return { item: { kind: 'BODY[]', peek: false, section: whole, partial: null }, label: 'RFC822' };
    case 'RFC822.HEADER':
      return { item: RFC822_HEADER, label: 'RFC822.HEADER' };
    case 'RFC822.TEXT':
      return {
        item: { kind: 'BODY[]', peek: false, section: { ...whole, specifier: 'TEXT' }, partial: null },
        label: 'RFC822.TEXT',
      };
    default:
      return undefined;
  }
}

async function sectionContent(
  f: Fetching,
  m: MessageInfo,
  src: MessageSource,
  item: BodyItem,
): Promise<Content> {
  const s = item.section;
  if (item === RFC822_HEADER) return { kind: 'bytes', data: await src.header() };
  // Parts, header fields, and the top level of messages held in memory follow Courier's MIME view.
  const fields = s.specifier === 'HEADER.FIELDS' || s.specifier === 'HEADER.FIELDS.NOT';
  if (s.part.length > 0 || fields || (src.whole && s.specifier !== null)) {
    return f.structure.partSection(f.mb.folder, m, src, s);
  }
  switch (s.specifier) {
    case null:
      return src.whole ? { kind: 'bytes', data: src.whole } : { kind: 'range', start: 0, end: src.size };
    case 'HEADER':
      return { kind: 'bytes', data: await src.header() };
    case 'TEXT': {
      const h = (await src.header()).length;
      if (src.whole) return { kind: 'bytes', data: src.whole.subarray(Math.min(h, src.size)) };
      return { kind: 'range', start: Math.min(h, src.size), end: src.size };
    }
    default:
      return f.structure.partSection(f.mb.folder, m, src, s);
  }
}

function applyPartial(c: Content, item: BodyItem): Content {
  const p = item.partial;
  if (p === null) return c;
  const total = c.kind === 'bytes' ? c.data.length : c.end - c.start;
  const from = Math.min(p.start, total);
  const to = p.length === null ? total : Math.min(total, p.start + p.length);
  if (c.kind === 'bytes') return { kind: 'bytes', data: c.data.subarray(from, Math.max(from, to)) };
  return { kind: 'range', start: c.start + from, end: c.start + Math.max(from, to) };
}

async function writeBody(
  f: Fetching,
  m: MessageInfo,
  src: MessageSource,
  item: BodyItem,
  label: string,
): Promise<void> {
  const c = applyPartial(await sectionContent(f, m, src, item), item);
  const header =
    item.section.part.length === 0 && item.section.specifier !== null && item.section.specifier !== 'TEXT';
  const size = c.kind === 'bytes' ? c.data.length : c.end - c.start;
  if (header) f.ctx.counters.headers += size;
  else f.ctx.counters.body += size;
  f.out.push(`${label} {${size}}\r\n`);
  if (c.kind === 'bytes') f.out.push(c.data);
  else if (size > 0) await f.out.pipe(src.range(c.start, c.end));
}

const endNothing = async (): Promise<void> => {};

/** The provider as a scope that reads no cache and has nothing to end. */
function unscoped(provider: StructureProvider): StructureScope {
  return { ...provider, end: endNothing };
}

/** Messages read ahead while earlier ones are written (file I/O overlaps). */
const READ_AHEAD = 32;

type Prepared =
  | { readonly ok: true; readonly src: MessageSource | undefined; readonly envelope?: Buffer }
  | { readonly ok: false; readonly error: unknown };

function present(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Whether a message read whole must keep its stored bytes too: not when every item is answered
 * from the folder's view or is the whole served message (BODY[], BODY.PEEK[], RFC822), e.g. a
 * client downloading bodies (half the memory per message).
 */
function needsStoredBytes(input: FetchInput): boolean {
  return !input.items.every((i) => {
    if (i.kind === 'UID' || i.kind === 'FLAGS' || i.kind === 'INTERNALDATE' || i.kind === 'RFC822.SIZE')
      return true;
    const b = asBodyItem(i);
    return b !== undefined && b.item.section.part.length === 0 && b.item.section.specifier === null;
  });
}

/**
 * Whether a message read whole is written once, as it is, and used for nothing else: one whole
 * BODY[] (or RFC822) without a partial range, every other item answered from the folder's view
 * (a client downloading bodies). Its bytes may then come in a reused buffer.
 */
function sendsWholeOnce(input: FetchInput): boolean {
  let bodies = 0;
  for (const i of input.items) {
    if (i.kind === 'UID' || i.kind === 'FLAGS' || i.kind === 'INTERNALDATE' || i.kind === 'RFC822.SIZE')
      continue;
    const b = asBodyItem(i)?.item;
    if (!b || b.section.part.length > 0 || b.section.specifier !== null || b.partial !== null) return false;
    bodies++;
  }
  return bodies === 1;
}

/** Opens the message and reads what the items need (header block, MIME structure) ahead of writing. */
async function prepare(f: Fetching, input: FetchInput, m: MessageInfo): Promise<Prepared> {
  try {
    const structural = input.items.some((i) => i.kind === 'BODYSTRUCTURE' || i.kind === 'BODY');
    const envelope = input.items.some((i) => i.kind === 'ENVELOPE');
    if (!input.needHeader && !structural && !envelope) return { ok: true, src: undefined };
    if (envelope && !structural && !input.needHeader && !input.needBody) {
      // ENVELOPE is the only item that reads the file: a structure scanned before answers it, as
      // long as the file is still there (else the source finds it renamed, or serves the stand-in).
      const cached = await f.structure.cachedEnvelope(f.mb.folder, m, f.ctx.utf8);
      if (cached && (await present(join(f.mb.folder.path, 'cur', m.filename))))
        return { ok: true, src: undefined, envelope: cached };
    }
    const src = await openSource(f.mb.folder, m, input.needBody, { wantRaw: f.wantRaw, pooled: f.pooled });
    // One scan serves BODYSTRUCTURE and ENVELOPE (Courier's view of the header block) alike; a
    // message read whole is scanned for ENVELOPE too (in memory: cheap), which fills the caches.
    if (structural || (envelope && src.raw)) await f.structure.prepare(f.mb.folder, m, src);
    else if (envelope || input.needHeader) await src.header();
    return { ok: true, src };
  } catch (error) {
    return { ok: false, error };
  }
}

/** An item answered from the folder's view alone (no file read), else undefined. */
function plainItem(mb: SelectedMailbox, m: MessageInfo, item: FetchItem): string | undefined {
  switch (item.kind) {
    case 'UID':
      return `UID ${m.uid}`;
    case 'FLAGS':
      return `FLAGS ${mb.flagsOf(m)}`;
    case 'INTERNALDATE': {
      // Unmeasurable (the file went before it was looked at): the epoch, as for a file without a date.
      const d = Number.isNaN(m.mtime.getTime()) ? new Date(0) : m.mtime;
      return `INTERNALDATE "${formatImapDateTime(d, -d.getTimezoneOffset())}"`;
    }
    case 'RFC822.SIZE':
      // Unmeasurable: the size of the stand-in that its body sections serve.
      return `RFC822.SIZE ${Number.isNaN(m.crlfSize) ? UNAVAILABLE.length : m.crlfSize}`;
    default:
      return undefined;
  }
}

async function fetchOne(
  f: Fetching,
  input: FetchInput,
  m: MessageInfo,
  seq: number,
  prepared: Prepared,
): Promise<void> {
  if (!prepared.ok) throw prepared.error;
  const { src, envelope } = prepared;
  f.out.push(`* ${seq} FETCH (`);
  let first = true;
  for (const item of input.items) {
    if (!first) f.out.push(' ');
    first = false;
    const plain = plainItem(f.mb, m, item);
    if (plain !== undefined) {
      f.out.push(plain);
      continue;
    }
    const body = asBodyItem(item);
    if (body) {
      await writeBody(f, m, src!, body.item, body.label);
      continue;
    }
    switch (item.kind) {
      case 'ENVELOPE':
        f.out.push('ENVELOPE ');
        f.out.push(envelope ?? (await f.structure.envelope(f.mb.folder, m, src!, f.ctx.utf8)));
        break;
      case 'BODYSTRUCTURE':
      case 'BODY':
        f.out.push(`${item.kind} `);
        f.out.push(
          await f.structure.bodyStructure(f.mb.folder, m, src!, item.kind === 'BODYSTRUCTURE', f.ctx.utf8),
        );
        break;
    }
  }
  f.out.push(')\r\n');
  if (input.setsSeen && !f.mb.readOnly && !m.flags.has('S') && f.mb.rights.includes('s')) {
    const [updated] = await f.mb.folder.setFlags([m], 'add', ['S']);
    if (updated) f.out.push(`* ${seq} FETCH (FLAGS ${f.mb.flagsOf(updated)})\r\n`);
  }
  await f.out.maybeFlush();
}

/** Items that need no file (UID FLAGS RFC822.SIZE INTERNALDATE): one string per response, no awaits. */
async function fetchPlain(
  mb: SelectedMailbox,
  out: FetchOutput,
  input: FetchInput,
  entries: readonly SetEntry[],
): Promise<void> {
  for (const e of entries) {
    if ('invalid' in e) {
      out.push(`* NO Invalid message sequence number: ${e.invalid}\r\n`);
      continue;
    }
    const m = mb.folder.byUid(e.message.uid) ?? e.message;
    let line = `* ${e.seq} FETCH (`;
    for (let i = 0; i < input.items.length; i++) {
      if (i > 0) line += ' ';
      line += plainItem(mb, m, input.items[i]!);
    }
    out.push(`${line})\r\n`);
    if (out.full) await out.flush();
  }
}

export async function runFetch(
  ctx: CommandContext,
  input: FetchInput,
  out: FetchOutput,
  structure: StructureProvider,
): Promise<void> {
  const mb = ctx.mailbox();
  const { entries, messages } = mb.resolve(input.set, ctx.uid);
  // Sizes and dates (lazy since SELECT) only when an item needs them; the MIME scan needs neither.
  const details = input.items.some((i) => i.kind === 'RFC822.SIZE' || i.kind === 'INTERNALDATE');
  if (details) await mb.folder.measure(messages);
  if (!input.needSource) {
    try {
      await fetchPlain(mb, out, input, entries);
    } finally {
      await out.flush();
    }
    return;
  }
  // Items that use no MIME structure (whole bodies, a client downloading mail) need no scope of
  // the folder's structure caches.
  const wantRaw = needsStoredBytes(input);
  const scope = wantRaw ? structure.begin(mb.folder, messages) : unscoped(structure);
  const f: Fetching = { ctx, mb, out, structure: scope, wantRaw, pooled: sendsWholeOnce(input) };
  const ahead: Promise<Prepared>[] = [];
  let next = 0;
  const fill = (): void => {
    while (ahead.length < READ_AHEAD && next < entries.length) {
      const e = entries[next++]!;
      if (!('invalid' in e)) ahead.push(prepare(f, input, mb.folder.byUid(e.message.uid) ?? e.message));
    }
  };
  try {
    for (const e of entries) {
      if ('invalid' in e) {
        out.push(`* NO Invalid message sequence number: ${e.invalid}\r\n`);
        continue;
      }
      fill();
      const prepared = await ahead.shift()!;
      fill();
      await fetchOne(f, input, mb.folder.byUid(e.message.uid) ?? e.message, e.seq, prepared);
    }
  } finally {
    await Promise.allSettled(ahead);
    await scope.end();
    await out.flush();
  }
}
