/**
 * ENVELOPE, BODYSTRUCTURE, BODY and BODY[<part>...] need the MIME structure of the message
 * (packages/imapd/src/message/, the protocol developer's). Until that module is wired in, these
 * items are refused with Courier's generic error.
 */
import type { Folder, MessageInfo } from '@courier-ts/maildir';
import { BadCommandError } from '../../errors.js';
import type { FetchSection } from '../../protocol/fetch-attributes.js';
import type { MessageSource } from './source.js';

export interface StructureProvider {
  /** `ENVELOPE (...)` value text (without the item name). */
  envelope(folder: Folder, msg: MessageInfo, source: MessageSource, utf8: boolean): Promise<Buffer>;
  /** BODYSTRUCTURE (extended) or BODY (basic) value text. */
  bodyStructure(folder: Folder, msg: MessageInfo, source: MessageSource, extended: boolean): Promise<Buffer>;
  /** The bytes of a section that names a part (`1.2`, `1.MIME`, `2.HEADER` ...), CRLF form. */
  partSection(folder: Folder, msg: MessageInfo, source: MessageSource, section: FetchSection): Promise<Buffer>;
}

export const MISSING_STRUCTURE: StructureProvider = {
  envelope: async () => {
    throw new BadCommandError('ENVELOPE is not available yet');
  },
  bodyStructure: async () => {
    throw new BadCommandError('BODYSTRUCTURE is not available yet');
  },
  partSection: async () => {
    throw new BadCommandError('part sections are not available yet');
  },
};
