/**
 * Courier's ACL model: rights stored RFC 4314-style (`aceilrstwx`, ACL2 `d` = `etx`), shown
 * RFC 2086-style (`acdilrsw`); a user's rights are the union over the identifiers that apply
 * (ACL2=UNION), minus the negative (`-id`) entries, plus `a` for the owner, who can never be locked out.
 */

export interface AclEntry {
  /** `owner`, `administrators`, `anyone`, `anonymous`, `user=NAME`, `group=NAME`; `-` prefix = negative. */
  readonly identifier: string;
  /** Stored form: unique, ASCII-sorted. */
  readonly rights: string;
}

export const FULL_RIGHTS = 'aceilrstwx';
/** LISTRIGHTS: nothing is always granted; each right can be granted on its own. */
export const LISTRIGHTS_TAIL = '"" a c d i l p r s w';

/** Unique, ASCII-sorted rights with the ACL2 `d` expanded to `etx` (how SETACL stores them). */
export function normaliseRights(rights: string): string {
  const set = new Set<string>();
  for (const ch of rights) {
    if (ch === 'd') {
      set.add('e');
      set.add('t');
      set.add('x');
    } else set.add(ch);
  }
  return [...set].sort().join('');
}

/** RFC 2086 display (MYRIGHTS, GETACL): `d` when `e`, `t` and `x` are all there (or `d` itself); `e`/`t`/`x` hidden. */
export function displayRights(stored: string): string {
  const set = new Set(stored);
  const d = set.has('d') || (set.has('e') && set.has('t') && set.has('x'));
  for (const ch of 'etx') set.delete(ch);
  if (d) set.add('d');
  return [...set].sort().join('');
}

/**
 * SELECT/EXAMINE's `[MYRIGHTS "..."]`: `e`, `t`, `x` become `d` only when all three are there, else
 * they show as they are (Courier: `-user t` gives `[MYRIGHTS "aceilrswx"]` but MYRIGHTS `acilrsw`).
 */
export function selectRightsDisplay(stored: string): string {
  const set = new Set(stored);
  if (set.has('e') && set.has('t') && set.has('x')) {
    for (const ch of 'etx') set.delete(ch);
    set.add('d');
  }
  return [...set].sort().join('');
}

/** Identifiers the entry applies to for a login (the mailbox owner is the logged-in user). */
function applies(identifier: string, user: string, asOwner: boolean): boolean {
  if (identifier === 'anyone') return true;
  if (identifier === 'owner') return asOwner;
  return identifier === `user=${user}`;
}

/** Stored-form rights of a user on a mailbox they own (their own maildir). */
export function computeRights(entries: readonly AclEntry[], user: string): string {
  return rightsFor(entries, (id) => applies(id, user, true), true);
}

/** The rights the ACL itself grants the user (no implicit `a`): what SETACL/DELETEACL check. */
export function grantedRights(entries: readonly AclEntry[], user: string): string {
  return rightsFor(entries, (id) => applies(id, user, true), false);
}

function rightsFor(entries: readonly AclEntry[], match: (id: string) => boolean, owner: boolean): string {
  const plus = new Set<string>();
  const minus = new Set<string>();
  for (const e of entries) {
    const negative = e.identifier.startsWith('-');
    const id = negative ? e.identifier.slice(1) : e.identifier;
    if (!match(id)) continue;
    for (const ch of e.rights) (negative ? minus : plus).add(ch);
  }
  for (const ch of minus) plus.delete(ch);
  if (owner) plus.add('a');
  return [...plus].sort().join('');
}

/**
 * Courier refuses a change (`Cannot modify ACLs on this mailbox.`) that would leave `owner` or
 * `administrators` without the full rights, counting `anyone` and the negative `-anyone` and
 * `-administrators` entries; a `-owner` entry is accepted (it only limits the owner's own login).
 */
export function keepsAdministrators(entries: readonly AclEntry[]): boolean {
  const counted = entries.filter((e) => e.identifier !== '-owner');
  for (const who of ['owner', 'administrators']) {
    const r = rightsFor(counted, (id) => id === who || id === 'anyone', false);
    for (const ch of FULL_RIGHTS) if (!r.includes(ch)) return false;
  }
  return true;
}

export type RightsChange = { readonly mode: 'set' | 'add' | 'remove'; readonly rights: string };

/** `+lr` adds, `-lr` removes, `lr` replaces. */
export function parseRightsChange(text: string): RightsChange {
  if (text.startsWith('+')) return { mode: 'add', rights: normaliseRights(text.slice(1)) };
  if (text.startsWith('-')) return { mode: 'remove', rights: normaliseRights(text.slice(1)) };
  return { mode: 'set', rights: normaliseRights(text) };
}

/** The ACL after SETACL (empty rights delete the entry; a new identifier goes last). */
export function applyRightsChange(
  entries: readonly AclEntry[],
  identifier: string,
  change: RightsChange,
): AclEntry[] {
  const current = entries.find((e) => e.identifier === identifier)?.rights ?? '';
  let next: string;
  if (change.mode === 'set') next = change.rights;
  else if (change.mode === 'add') next = normaliseRights(current + change.rights);
  else next = [...current].filter((c) => !change.rights.includes(c)).join('');
  const out: AclEntry[] = [];
  let placed = false;
  for (const e of entries) {
    if (e.identifier !== identifier) out.push(e);
    else if (next !== '') {
      out.push({ identifier, rights: next });
      placed = true;
    } else placed = true;
  }
  if (!placed && next !== '') out.push({ identifier, rights: next });
  return out;
}

export function deleteIdentifier(entries: readonly AclEntry[], identifier: string): AclEntry[] {
  return entries.filter((e) => e.identifier !== identifier);
}

/** Wire identifier -> stored one: `owner`/`anyone`/`anonymous`/`administrators` as is, names as `user=NAME`. */
export function storedIdentifier(wire: string): string {
  const negative = wire.startsWith('-');
  const bare = negative ? wire.slice(1) : wire;
  const special = ['owner', 'anyone', 'anonymous', 'administrators'].includes(bare);
  return `${negative ? '-' : ''}${special ? bare : `user=${bare}`}`;
}

/** Stored identifier -> wire form (`user=bob` -> `bob`). */
export function wireIdentifier(stored: string): string {
  const negative = stored.startsWith('-');
  const bare = negative ? stored.slice(1) : stored;
  return `${negative ? '-' : ''}${bare.startsWith('user=') ? bare.slice(5) : bare}`;
}
