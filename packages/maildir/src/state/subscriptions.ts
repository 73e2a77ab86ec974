/** courierimapsubscribed: one folder name per line (UTF-8), rewritten via tmp/ + rename. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { MaildirContext } from '../fs/context.js';

export const SUBSCRIBED_FILE = 'courierimapsubscribed';

/** Only a leading `INBOX` compares case-insensitively. */
export function sameSubscription(a: string, b: string): boolean {
  const norm = (s: string): string => (/^inbox(\.|$)/i.test(s) ? `INBOX${s.slice(5)}` : s);
  return norm(a) === norm(b);
}

export async function readSubscriptions(root: string): Promise<string[]> {
  try {
    return (await readFile(join(root, SUBSCRIBED_FILE), 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

async function write(ctx: MaildirContext, root: string, names: readonly string[]): Promise<void> {
  await writeFileAtomic(ctx, root, join(root, SUBSCRIBED_FILE), names.map((n) => `${n}\n`).join(''));
}

export async function addSubscription(ctx: MaildirContext, root: string, name: string): Promise<void> {
  const names = await readSubscriptions(root);
  if (names.some((n) => sameSubscription(n, name))) return;
  await write(ctx, root, [...names, name]);
}

export async function removeSubscription(ctx: MaildirContext, root: string, name: string): Promise<void> {
  const names = await readSubscriptions(root);
  const kept = names.filter((n) => !sameSubscription(n, name));
  if (kept.length !== names.length) await write(ctx, root, kept);
}
