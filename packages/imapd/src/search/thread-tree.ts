/** Thread trees: sibling order by sent date (ties: sequence number) and the thread-list wire form. */
import type { MessageMeta } from './message-meta.js';

/** A thread node: a message, or a dummy (no message) holding children. */
export interface ThreadNode {
  meta: MessageMeta | undefined;
  children: ThreadNode[];
}

export function byDate(a: MessageMeta, b: MessageMeta): number {
  return a.sentMs - b.sentMs || a.seq - b.seq;
}

/** A node's sent date for sorting: its message's, or (dummy) its first child's. */
function nodeKey(n: ThreadNode): MessageMeta | undefined {
  if (n.meta) return n.meta;
  for (const c of n.children) {
    const k = nodeKey(c);
    if (k) return k;
  }
  return undefined;
}

function compareNodes(a: ThreadNode, b: ThreadNode): number {
  const ka = nodeKey(a);
  const kb = nodeKey(b);
  if (!ka || !kb) return 0;
  return byDate(ka, kb);
}

export function sortTree(nodes: ThreadNode[]): void {
  for (const n of nodes) sortTree(n.children);
  nodes.sort(compareNodes);
}

export function formatThreads(roots: readonly ThreadNode[], id: (m: MessageMeta) => number): string {
  const inner = (n: ThreadNode): string => {
    const parts: string[] = [];
    let cur = n;
    for (;;) {
      if (cur.meta) parts.push(String(id(cur.meta)));
      if (cur.children.length === 0) break;
      if (cur.children.length === 1 && cur.meta) {
        cur = cur.children[0]!;
        continue;
      }
      parts.push(cur.children.map((c) => `(${inner(c)})`).join(''));
      break;
    }
    return parts.join(' ');
  };
  return roots.map((r) => `(${inner(r)})`).join('');
}
