/**
 * LIST as Courier filters it by ACL: a folder on which the user lacks `l` is listed as if it did
 * not exist, so it shows as `\Noselect \HasChildren` when some folder below it is visible and not
 * at all otherwise; \HasChildren counts visible folders only.
 */
import type { FolderListEntry } from '@courier-ts/maildir';

export async function visibleFolders(
  entries: readonly FolderListEntry[],
  rightsOf: (name: string) => Promise<string>,
): Promise<readonly FolderListEntry[]> {
  const hidden = new Set<string>();
  for (const e of entries) if (e.exists && !(await rightsOf(e.name)).includes('l')) hidden.add(e.name);
  if (hidden.size === 0) return entries;
  const visible = entries.filter((e) => e.exists && !hidden.has(e.name)).map((e) => e.name);
  const below = (name: string): boolean => visible.some((n) => n.startsWith(`${name}.`));
  const out: FolderListEntry[] = [];
  for (const e of entries) {
    const hasChildren = below(e.name);
    if (e.exists && !hidden.has(e.name)) out.push({ ...e, hasChildren });
    else if (hasChildren) out.push({ ...e, exists: false, noselect: true, hasChildren, marked: false });
  }
  return out;
}
