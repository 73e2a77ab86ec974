import { ImapSyntaxError } from './errors.js';

export interface StoreAction {
  readonly mode: 'set' | 'add' | 'remove';
  readonly silent: boolean;
}

const STORE_ITEM = /^([+-]?)FLAGS(\.SILENT)?$/i;

/** Parses STORE's item name: `FLAGS`, `+FLAGS`, `-FLAGS`, each with optional `.SILENT`. */
export function parseStoreAction(text: string): StoreAction {
  const m = STORE_ITEM.exec(text);
  if (m === null) throw new ImapSyntaxError(`invalid store item: ${text}`);
  const mode = m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set';
  return { mode, silent: m[2] !== undefined };
}
