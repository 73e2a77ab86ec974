/**
 * What the maildirs opened by one server process share, made once by that process and passed to
 * every `openMaildir` (no module-level state): the folder indexes (all sessions that select a
 * folder share one), the turn queue in front of each folder's dot-lock, and the POP3 listings
 * reused while cur/ and courierpop3dsizelist are unchanged. A maildir opened without one gets
 * its own (nothing shared: as if opened by another process).
 */
import { FolderRegistry } from './folder-registry.js';

/** A remembered POP3 listing (see pop3-maildrop.ts). */
export interface CachedListing {
  readonly cur: string;
  readonly list: string;
  readonly rows: readonly {
    readonly filename: string;
    readonly size: number;
    readonly uid: number;
    readonly uidv: number;
    readonly utf8: boolean;
  }[];
}

const LISTINGS_KEPT = 8;

/** The last few POP3 listings, by maildir root (least recently remembered goes first). */
export class ListingCache {
  private readonly byRoot = new Map<string, CachedListing>();

  get(root: string): CachedListing | undefined {
    return this.byRoot.get(root);
  }

  remember(root: string, listing: CachedListing): void {
    this.byRoot.delete(root);
    this.byRoot.set(root, listing);
    if (this.byRoot.size > LISTINGS_KEPT) this.byRoot.delete(this.byRoot.keys().next().value!);
  }
}

export interface MaildirSharing {
  readonly folders: FolderRegistry;
  /** Per lock path, the promise the last caller's turn ends with (fs/lock.ts). */
  readonly lockTurns: Map<string, Promise<void>>;
  readonly pop3Listings: ListingCache;
}

/** One per server process (or per worker): pass it as `OpenMaildirOptions.sharing`. */
export function createMaildirSharing(): MaildirSharing {
  return { folders: new FolderRegistry(), lockTurns: new Map(), pop3Listings: new ListingCache() };
}

/** A maildir's own, for one opened without a process-wide one: nothing parked, nothing shared. */
export function privateSharing(): MaildirSharing {
  return { folders: new FolderRegistry(0), lockTurns: new Map(), pop3Listings: new ListingCache() };
}
