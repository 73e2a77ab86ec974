/** THREAD=REFERENCES (RFC 5256 section 3, after Zawinski): steps 1-6. */
import type { MessageMeta } from './message-meta.js';
import { sortTree, type ThreadNode } from './thread-tree.js';

interface Container {
  meta: MessageMeta | undefined;
  parent: Container | undefined;
  children: Container[];
}

function isAncestor(a: Container, b: Container): boolean {
  for (let p: Container | undefined = b; p; p = p.parent) if (p === a) return true;
  return false;
}

function link(parent: Container, child: Container): void {
  if (child.parent) child.parent.children = child.parent.children.filter((c) => c !== child);
  child.parent = parent;
  parent.children.push(child);
}

function unlink(child: Container): void {
  if (!child.parent) return;
  child.parent.children = child.parent.children.filter((c) => c !== child);
  child.parent = undefined;
}

/** Step 1: containers linked by References / In-Reply-To. */
function buildContainers(items: readonly MessageMeta[]): Container[] {
  const byId = new Map<string, Container>();
  const all: Container[] = [];
  const get = (id: string): Container => {
    let c = byId.get(id);
    if (!c) {
      c = { meta: undefined, parent: undefined, children: [] };
      byId.set(id, c);
      all.push(c);
    }
    return c;
  };
  let unique = 0;
  for (const m of items) {
    // B: the message's own container (duplicate or missing Message-ID -> a unique one).
    let own: Container;
    const existing = m.messageId === undefined ? undefined : byId.get(m.messageId);
    if (m.messageId !== undefined && (!existing || existing.meta === undefined)) {
      own = get(m.messageId);
    } else {
      own = get(`\0unique-${unique++}`);
    }
    own.meta = m;
    // A: link the references in order, never creating a loop, never re-parenting.
    let prev: Container | undefined;
    for (const ref of m.references) {
      const c = get(ref);
      if (prev && !c.parent && c !== prev && !isAncestor(c, prev)) link(prev, c);
      prev = c;
    }
    // C: the last reference is the parent (replacing any earlier guess) unless that loops.
    if (prev && prev !== own && !isAncestor(own, prev)) link(prev, own);
    else if (own.parent && m.references.length === 0) unlink(own);
  }
  return all;
}

/** Step 3: drop childless dummies; promote a dummy's children (at the root only if it has one). */
function prune(nodes: Container[], atRoot: boolean): Container[] {
  const out: Container[] = [];
  for (const n of nodes) {
    n.children = prune(n.children, false);
    if (n.meta) out.push(n);
    else if (n.children.length === 0) continue;
    else if (!atRoot || n.children.length === 1) out.push(...n.children);
    else out.push(n);
  }
  return out;
}

function toNode(c: Container): ThreadNode {
  return { meta: c.meta, children: c.children.map(toNode) };
}

function subjectOf(n: ThreadNode): MessageMeta | undefined {
  return n.meta ?? n.children[0]?.meta;
}

/** Step 5: merge root threads with the same base subject. */
function gatherBySubject(roots: ThreadNode[]): ThreadNode[] {
  const table = new Map<string, ThreadNode>();
  for (const r of roots) {
    const s = subjectOf(r);
    if (!s || s.subjectKey === '') continue;
    const t = table.get(s.subjectKey);
    if (!t) table.set(s.subjectKey, r);
    else if (t.meta && (!r.meta || (subjectOf(t)!.isReplyOrForward && !s.isReplyOrForward)))
      table.set(s.subjectKey, r);
  }
  const out: ThreadNode[] = [];
  for (const r of roots) {
    const s = subjectOf(r);
    const t = s && s.subjectKey !== '' ? table.get(s.subjectKey) : undefined;
    if (!t || t === r) {
      out.push(r);
      continue;
    }
    if (!t.meta && !r.meta) t.children.push(...r.children);
    else if (!t.meta && r.meta) t.children.push(r);
    else if (r.meta && s!.isReplyOrForward && !subjectOf(t)!.isReplyOrForward) t.children.push(r);
    else {
      const dummy: ThreadNode = { meta: undefined, children: [{ meta: t.meta, children: t.children }, r] };
      // Replace the table's node in place so earlier references to it see the dummy.
      t.children = dummy.children;
      t.meta = undefined;
    }
  }
  return out;
}

export function references(items: readonly MessageMeta[]): ThreadNode[] {
  const all = buildContainers(items);
  const roots = prune(
    all.filter((c) => !c.parent),
    true,
  ).map(toNode);
  sortTree(roots);
  const merged = gatherBySubject(roots);
  sortTree(merged);
  return merged;
}
