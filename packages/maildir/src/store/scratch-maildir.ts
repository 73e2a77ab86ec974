/**
 * A private, throwaway maildir of generated messages (plain, multipart, attached message; a few
 * flagged, a few in new/; larger ones with an attachment after them when asked), for a spare
 * server process to run its session code on before it serves anyone (warm-up). Created 0700 under
 * the system's temp dir; `dispose()` removes it.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScratchMaildir {
  readonly path: string;
  /** How many messages it holds. */
  readonly messages: number;
  dispose(): Promise<void>;
}

/**
 * Sizes (bytes, about) of the larger messages (`large`): as a mailbox has them, from a document
 * attached to a scan, so that the code that reads and streams large bodies is warmed up too.
 */
const LARGE_SIZES = [12_000, 40_000, 90_000, 180_000, 300_000, 700_000, 1_500_000];

/** The file name (without flags) of scratch message `i`. */
const fileBase = (i: number, text: string): string =>
  `${1_790_000_000 + i}.M${i}P${process.pid}.warm-up,S=${Buffer.byteLength(text)}`;

function body(i: number, lines: number): string {
  const out: string[] = [];
  for (let l = 0; l < lines; l++)
    out.push(`Line ${l} of message ${i}: the quick brown fox jumps over the lazy dog.`);
  if (i % 7 === 0) out.push('.a line starting with a dot', '');
  // A signature (a line starting with dashes, looked at as a possible boundary inside a multipart).
  if (i % 4 === 0) out.push('-- ', `Sender ${i}`);
  return `${out.join('\n')}\n`;
}

/**
 * Header fields beyond the common ones, as real mail has them (folded lines, 8-bit text, more
 * addresses): without them the first real messages a process reads take branches its warm-up
 * never took, and V8 throws away the code compiled for the MIME scan and ENVELOPE.
 */
function extraFields(i: number): string {
  let h =
    `Received: from relay${i % 5}.example.com (relay${i % 5}.example.com [192.0.2.${i % 250}])\n` +
    `\tby mx.example.org with ESMTPS id x${i}\n\tfor <rcpt@example.net>; Mon, 2 Nov 2026 09:59:00 +0000\n`;
  if (i % 2 === 0)
    h += `To: "Team ${i}" <team${i}@example.net>,\n  "Last, First" <first.last@example.net>,\n  c${i}@example.com\n`;
  if (i % 3 === 0)
    h += `Reply-To: list${i % 4}@lists.example.org\nReferences: <m${i - 2}@example.org>\n <m${i - 1}@example.org>\n`;
  if (i % 5 === 0) h += `X-Note: Grüße aus Köln, message ${i}\n`;
  return h;
}

function message(i: number): string {
  const head =
    `Return-Path: <sender${i}@example.org>\nReceived: from mx.example.org by mail.example.net; ` +
    `Mon, 2 Nov 2026 10:${String(i % 60).padStart(2, '0')}:00 +0000\n${extraFields(i)}` +
    (i % 2 === 0
      ? `From: =?UTF-8?B?RnJhbsOnb2lz?= <sender${i}@example.org>\n`
      : `From: "Sender ${i}" <sender${i}@example.org>\n`) +
    `To: rcpt@example.net, "Other" <other@example.net>\nCc: =?utf-8?q?J=C3=BCrgen?= <j@example.net>\n` +
    (i % 4 === 0
      ? `Subject: =?utf-8?q?R=C3=A9union_${i}?=\n =?utf-8?b?cHLDqXZ1ZQ==?=\n`
      : `Subject: Re: warm-up message ${i}\n`) +
    `Date: Mon, 2 Nov 2026 10:00:00 +0000\n` +
    `Message-ID: <m${i}@example.org>\nIn-Reply-To: <m${i - 1}@example.org>\nMIME-Version: 1.0\n`;
  if (i % 3 === 1) {
    const b = `b${i}`;
    return (
      `${head}Content-Type: multipart/alternative; boundary="${b}"\n\n--${b}\n` +
      // Every other one's first part has no header at all (MIME's default: text/plain).
      (i % 2 === 0 ? '' : 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n') +
      `\n${body(i, 20)}--${b}\n` +
      `Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n` +
      `<p>${body(i, 10)}</p>\n--${b}--\n`
    );
  }
  if (i % 3 === 2) {
    const b = `m${i}`;
    return (
      `${head}Content-Type: multipart/mixed;\n\tboundary="${b}"\n\n--${b}\nContent-Type: text/plain\n\n` +
      `${body(i, 5)}--${b}\nContent-Type: message/rfc822\n\nFrom: inner@example.org\nSubject: inner ${i}\n\n` +
      `${body(i, 5)}--${b}\nContent-Type: application/octet-stream; name="a${i}.bin"\n` +
      `Content-Transfer-Encoding: base64\nContent-Disposition: attachment;\n filename*=utf-8''na%C3%AFve${i}.bin\n\n` +
      `${Buffer.alloc(600, i).toString('base64').replace(/.{76}/g, '$&\n')}\n--${b}--\n`
    );
  }
  // Plain messages: with the parameters clients write, without a Content-Type (MIME's default),
  // and without MIME at all (RFC 822 mail).
  const text = body(i, 10 + (i % 50));
  if (i % 11 === 0) return `${head.replace('MIME-Version: 1.0\n', '')}\n${text}`;
  if (i % 13 === 0) return `${head}\n${text}`;
  if (i % 6 === 0) return `${head}Content-Type: text/plain; charset=UTF-8; format=flowed\n\n${text}`;
  if (i % 9 === 0) return `${head}Content-Type: text/plain; charset="iso-8859-1";\n\n${text}`;
  return `${head}Content-Type: text/plain; charset=us-ascii\n\n${text}`;
}

/** Scratch maildirs are `<tmp>/courier-ts-warm-up-<pid>-<random>`. */
const PREFIX = 'courier-ts-warm-up-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's, running
  }
}

/**
 * Removes the scratch maildirs of processes that are gone (a spare killed during its warm-up
 * leaves its own behind). What this process may not remove is left alone.
 */
async function sweepStale(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length).split('-', 1)[0]);
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    await rm(join(tmpdir(), name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** A message of about `size` bytes: a short text part and a base64 attachment (as mail with a file is). */
function largeMessage(i: number, size: number): string {
  const b = `L${i}`;
  const data = Buffer.alloc(Math.floor((size * 3) / 4), i)
    .toString('base64')
    .replace(/.{76}/g, '$&\n');
  return (
    `From: "Sender ${i}" <sender${i}@example.org>\nTo: rcpt@example.net\nSubject: report ${i}\n` +
    `Date: Mon, 2 Nov 2026 11:00:00 +0000\nMessage-ID: <l${i}@example.org>\nMIME-Version: 1.0\n` +
    `Content-Type: multipart/mixed; boundary="${b}"\n\n--${b}\nContent-Type: text/plain\n\n${body(i, 8)}` +
    `--${b}\nContent-Type: application/pdf; name="r${i}.pdf"\nContent-Transfer-Encoding: base64\n` +
    `Content-Disposition: attachment; filename="r${i}.pdf"\n\n${data}\n--${b}--\n`
  );
}

export interface ScratchOptions {
  /** Add the larger messages (LARGE_SIZES, 12 KB to 1.5 MB) after the `count` others, in cur/. */
  readonly large?: boolean;
}

/**
 * `count` messages: all but the last few in cur/ (every fifth seen, every ninth flagged), the rest
 * in new/; then, with `options.large`, a few larger ones in cur/.
 */
export async function createScratchMaildir(
  count: number,
  options: ScratchOptions = {},
): Promise<ScratchMaildir> {
  await sweepStale();
  const path = await mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
  const dispose = (): Promise<void> => rm(path, { recursive: true, force: true });
  try {
    for (const d of ['cur', 'new', 'tmp']) await mkdir(join(path, d), { mode: 0o700 });
    for (let i = 1; i <= count; i++) {
      const text = message(i);
      const base = fileBase(i, text);
      const flags = `${i % 9 === 0 ? 'F' : ''}${i % 5 === 0 ? 'S' : ''}`;
      const where = i > count - 3 ? join(path, 'new', base) : join(path, 'cur', `${base}:2,${flags}`);
      await writeFile(where, text);
    }
    for (const [k, size] of (options.large ? LARGE_SIZES : []).entries()) {
      const i = count + 1 + k;
      const text = largeMessage(i, size);
      await writeFile(join(path, 'cur', `${fileBase(i, text)}:2,`), text);
    }
  } catch (err) {
    await dispose();
    throw err;
  }
  return { path, messages: count + (options.large ? LARGE_SIZES.length : 0), dispose };
}
