// The search/sort/thread corpus (test/fixtures/imapd/search/): builds a Courier-style maildir from
// corpus.json so that Courier's imapd and ours see the same files, names, mtimes, flags and keywords.
import { copyFile, mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixturesDir } from '../../../support/paths.js';

export const corpusDir: string = join(fixturesDir, 'imapd', 'search');

interface CorpusEntry {
  readonly file: string;
  readonly internalDate: number;
  readonly flags: string;
  readonly keywords: readonly string[];
  readonly new?: boolean;
}

/** Creates `<dir>` as a maildir holding the corpus (UID order = corpus order = name order). */
export async function buildCorpusMaildir(dir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(corpusDir, 'corpus.json'), 'utf8')) as {
    messages: CorpusEntry[];
  };
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, sub), { recursive: true, mode: 0o700 });
  const keywordNames: string[] = [];
  const keywordLines: string[] = [];
  let i = 0;
  for (const m of manifest.messages) {
    i++;
    const src = join(corpusDir, 'messages', m.file);
    const size = (await stat(src)).size;
    const base = `${1700000000 + i * 10}.M${i}P100.corpus,S=${size}`;
    const target = m.new ? join(dir, 'new', base) : join(dir, 'cur', `${base}:2,${m.flags}`);
    await copyFile(src, target);
    await utimes(target, m.internalDate, m.internalDate);
    if (m.keywords.length > 0) {
      const idx = m.keywords.map((k) => {
        if (!keywordNames.includes(k)) keywordNames.push(k);
        return keywordNames.indexOf(k);
      });
      keywordLines.push(`${base}:${idx.join(' ')}`);
    }
  }
  if (keywordNames.length > 0) {
    await mkdir(join(dir, 'courierimapkeywords'), { mode: 0o700 });
    await writeFile(
      join(dir, 'courierimapkeywords', ':list'),
      `${keywordNames.join('\n')}\n\n${keywordLines.join('\n')}\n`,
    );
  }
}
