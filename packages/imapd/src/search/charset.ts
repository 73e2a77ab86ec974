/**
 * Charsets for SEARCH: the CHARSET argument (strings -> Unicode, `[BADCHARSET]` when unknown) and
 * streaming decoders for message bodies (iconv-lite, else TextDecoder; unknown body charsets fall back
 * to UTF-8 as Courier does for raw 8-bit text).
 */
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';

export type BodyDecoder = { write(bytes: Buffer): string; end(): string };

function textDecoderFor(charset: string): TextDecoder | undefined {
  try {
    return new TextDecoder(charset, { fatal: false });
  } catch {
    return undefined;
  }
}

/** True when strings in this charset can be converted (the CHARSET argument of SEARCH/SORT/THREAD). */
export function isSupportedCharset(charset: string): boolean {
  return iconv.encodingExists(charset) || textDecoderFor(charset) !== undefined;
}

/** Converts a search string; undefined when the charset is unknown. */
export function decodeCharset(bytes: Buffer, charset: string): string | undefined {
  if (iconv.encodingExists(charset)) return iconv.decode(bytes, charset);
  const td = textDecoderFor(charset);
  return td?.decode(bytes);
}

/** A streaming decoder for body text in `charset` (UTF-8 when absent or unknown). */
export function bodyDecoder(charset: string | undefined): BodyDecoder {
  const name = charset && iconv.encodingExists(charset) ? charset : 'utf-8';
  const d = iconv.getDecoder(name);
  return {
    write: (bytes) => d.write(bytes),
    end: () => d.end() ?? '',
  };
}
