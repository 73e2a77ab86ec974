/** THREAD=ORDEREDSUBJECT (RFC 5256 section 3): by base subject, then sent date; children are siblings. */
import type { MessageMeta } from './message-meta.js';
import { byDate, type ThreadNode } from './thread-tree.js';

export function orderedSubject(items: readonly MessageMeta[]): ThreadNode[] {
  const sorted = [...items].sort((a, b) =>
    a.subjectKey < b.subjectKey ? -1 : a.subjectKey > b.subjectKey ? 1 : byDate(a, b),
  );
  const threads: ThreadNode[] = [];
  let current: ThreadNode | undefined;
  for (const m of sorted) {
    if (current?.meta && current.meta.subjectKey === m.subjectKey) {
      current.children.push({ meta: m, children: [] });
    } else {
      current = { meta: m, children: [] };
      threads.push(current);
    }
  }
  return threads.sort((a, b) => byDate(a.meta!, b.meta!));
}
