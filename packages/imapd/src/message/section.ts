/**
 * Resolves a FETCH body section against the MIME structure, as Courier's imapd does
 * (courier-libs imap/fetch.c dofetchmsgbody): `1` of a single-part message is its body,
 * a number on a message/rfc822 part descends into the attached message, `n.MIME` is the
 * part's own header, `HEADER`/`TEXT` apply to the (attached) message reached, and a
 * missing part gives an empty result.
 */
import type { MimePart, Offsets } from './mime-part.js';

export type SectionSpecifier = 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';

export type SectionTarget =
  /** `length` bytes of the served (CRLF) form starting at `start`. */
  | { readonly kind: 'range'; readonly start: Offsets; readonly length: number }
  /** The header block of `part`, filtered by field names (HEADER.FIELDS[.NOT]) or to MIME fields. */
  | { readonly kind: 'header'; readonly part: MimePart; readonly filter: 'fields' | 'not' | 'mime' }
  /** No such part: Courier sends `{0}`. */
  | { readonly kind: 'empty' };

function nthPart(part: MimePart, n: number): MimePart | null {
  if (part.hasPreamble) return part.children[n - 1] ?? null;
  if (part.message !== null) return n === 1 ? part.message : null;
  return null;
}

/** Walks the part numbers; returns the part for the specifier and the part whose header MIME means. */
function walk(
  root: MimePart,
  path: readonly number[],
  hasSpecifier: boolean,
): { part: MimePart | null; headerPart: MimePart | null } {
  let part: MimePart | null = root;
  let headerPart: MimePart | null = root;
  let isMessage = true;
  for (let i = 0; i < path.length; i++) {
    const n = path[i]!;
    headerPart = part;
    if (part === null) continue;
    if (isMessage) {
      if (!part.hasPreamble && part.message === null) {
        if (n !== 1) part = null;
        continue;
      }
      isMessage = (part.contentType ?? 'text/plain').toLowerCase() === 'message/rfc822';
    }
    part = nthPart(part, n);
    headerPart = part;
    if (part !== null && part.message !== null) {
      if (i === path.length - 1 && !hasSpecifier) break;
      part = part.message;
      isMessage = true;
    }
  }
  return { part, headerPart };
}

export function resolveSection(
  root: MimePart,
  path: readonly number[],
  specifier: SectionSpecifier | null,
): SectionTarget {
  const { part: found, headerPart } = walk(root, path, specifier !== null);
  const part = specifier === 'MIME' ? headerPart : found;
  if (part === null) return { kind: 'empty' };
  switch (specifier) {
    case 'TEXT':
      return { kind: 'range', start: part.bodyStart, length: part.size };
    case 'HEADER':
      return { kind: 'range', start: part.headerStart, length: part.headerSize };
    case 'HEADER.FIELDS':
      return { kind: 'header', part, filter: 'fields' };
    case 'HEADER.FIELDS.NOT':
      return { kind: 'header', part, filter: 'not' };
    case 'MIME':
      return { kind: 'header', part, filter: 'mime' };
    case null:
      return path.length === 0
        ? { kind: 'range', start: part.headerStart, length: part.fullSize }
        : { kind: 'range', start: part.bodyStart, length: part.size };
  }
}
