/**
 * The MIME structure of one message as Courier's rfc2045 parser sees it. Text fields are
 * binary strings (one char per byte). Offsets come in two forms: `raw` (bytes of the file as
 * stored) and `crlf` (the form served to clients, see ScanOptions.lineEnds).
 */

export interface Offsets {
  readonly raw: number;
  readonly crlf: number;
}

export interface MimeParam {
  /** Lower-cased name as sent (RFC 2231 names such as `filename*0*` are kept raw). */
  readonly name: string;
  /** Raw value: quotes removed, escapes and RFC 2231 encoding kept (Courier). */
  readonly value: string;
}

export interface MimePart {
  /** Lower-cased `type/subtype`, null when absent or not MIME (then text/plain is implied). */
  readonly contentType: string | null;
  readonly params: readonly MimeParam[];
  /** Lower-cased Content-Transfer-Encoding, null = default (Courier prints `8bit`). */
  readonly encoding: string | null;
  readonly id: string | null;
  readonly description: string | null;
  readonly language: string | null;
  readonly md5: string | null;
  readonly disposition: string | null;
  readonly dispositionParams: readonly MimeParam[];
  /** Multipart in Courier's sense: a preamble and at least one part. */
  readonly multipart: boolean;
  /** A boundary was declared, so a preamble pseudo-part exists (even if no part followed). */
  readonly hasPreamble: boolean;
  /** The parts of a multipart (the preamble excluded), in order. */
  readonly children: readonly MimePart[];
  /** message/rfc822 (and message/global): the attached message. */
  readonly message: MimePart | null;
  /** Raw header block for ENVELOPE (top level and attached messages only; capped). */
  readonly header: string | null;
  /** Start of the part's header (= start of its MIME header block). */
  readonly headerStart: Offsets;
  /** Start of the body (= end of the header block, blank line included). */
  readonly bodyStart: Offsets;
  /** End of the body (for parts: before the newline that precedes the boundary). */
  readonly bodyEnd: Offsets;
  /** BODYSTRUCTURE body size as Courier computes it (CRLF form). */
  readonly size: number;
  /** BODYSTRUCTURE line count as Courier computes it. */
  readonly lines: number;
  /** Served size of the header block, blank line included (BODY[HEADER]). */
  readonly headerSize: number;
  /** Served size of header and body (BODY[] of a message, RFC822.SIZE at the top). */
  readonly fullSize: number;
}

/** The scanned message: the root part plus totals. */
export interface MimeStructure {
  readonly root: MimePart;
  /**
   * Size of the whole message in raw bytes and in the served (CRLF) form (RFC822.SIZE). Unlike
   * Courier's RFC822.SIZE (root.fullSize) it stays right when the part limit was hit.
   */
  readonly size: Offsets;
  /** True if any header block (top level or MIME part) holds 8-bit bytes. */
  readonly eightBitHeaders: boolean;
  /** True if the part limit (Courier: 300) was hit and the rest was ignored. */
  readonly truncated: boolean;
}
