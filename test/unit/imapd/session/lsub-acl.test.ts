// LSUB reads the ACL of every subscribed name the way Courier's imapd 5.0.13 does (checked with
// /usr/bin/imapd: SUBSCRIBE INBOX.Gone, SUBSCRIBE INBOX.Have, LSUB "" "*"): an existing folder gets
// its inherited ACL written into courierimapacl, a name without a maildir gets it saved as
// courierimaphieracl/<name> (`owner aceilrstwx` / `administrators aceilrstwx`).
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../../../support/tmp.js';
import { runEngine, wire } from './engine-helpers.js';

const DEFAULT_ACL = 'owner aceilrstwx\nadministrators aceilrstwx\n';

let tmp: { path: string; dispose(): Promise<void> };
before(async () => {
  tmp = await makeTempDir('courier-ts-imapd-lsub-');
  await mkdir(join(tmp.path, 'cur'), { recursive: true });
  await mkdir(join(tmp.path, '.Have', 'cur'), { recursive: true });
  await writeFile(join(tmp.path, '.Have', 'maildirfolder'), '');
});
after(() => tmp.dispose());

test('LSUB writes the ACLs Courier writes', async () => {
  const input = wire('a SUBSCRIBE INBOX.Gone', 'b SUBSCRIBE INBOX.Have', 'c LSUB "" "*"');
  const { output } = await runEngine(input, 'whole', { IMAP_ACL: '1' }, tmp.path, async (md) => {
    assert.equal(await readFile(join(md, 'courierimaphieracl', 'Gone'), 'utf8'), DEFAULT_ACL);
    assert.equal(await readFile(join(md, '.Have', 'courierimapacl'), 'utf8'), DEFAULT_ACL);
  });
  assert.match(output, /\r\n\* LSUB \(\\HasNoChildren\) "\." "INBOX\.Gone"\r\n/);
  assert.match(output, /\r\nc OK LSUB completed\r\n/);
});
