/**
 * Against Debian's stock /etc/courier (installed with the real Courier): every key printed with its
 * file:line source, and `check` on a copy with injected mistakes. Skipped where Courier is not installed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readShellText } from '@courier-ts/config';
import { runBin } from './run-bin.js';

const STOCK = '/etc/courier';
const absent = !existsSync(join(STOCK, 'imapd'));
const SKIP = absent ? 'Debian courier-imap is not installed (/etc/courier/imapd is absent)' : false;

/** key -> "file:line" of the last assignment, as sh would apply them (base file, then -ssl). */
async function stockAssignments(
  server: 'imapd' | 'pop3d',
): Promise<Map<string, { value: string; where: string }>> {
  const out = new Map<string, { value: string; where: string }>();
  let vars: ReadonlyMap<string, string> = new Map();
  for (const name of [server, `${server}-ssl`]) {
    const path = join(STOCK, name);
    const r = readShellText(await readFile(path, 'utf8'), { vars });
    vars = r.vars;
    for (const a of r.assignments) out.set(a.key, { value: a.value, where: `${path}:${a.line}` });
  }
  return out;
}

describe('Debian stock /etc/courier', { skip: SKIP }, () => {
  for (const server of ['imapd', 'pop3d'] as const) {
    test(`${server} config prints every stock key with its file:line`, async () => {
      const r = await runBin(server, ['config', '--config-dir', STOCK]);
      assert.equal(r.code, 0, r.stderr);
      const stock = await stockAssignments(server);
      assert.ok(stock.size > 25, `only ${stock.size} keys found in the stock files`);
      for (const [key, { where }] of stock) {
        const line = r.stdout.split('\n').find((l) => l.startsWith(`${key}=`));
        assert.ok(line, `${key} missing from the output`);
        assert.ok(line.endsWith(`# ${where}, same as default`), `${key}: ${line}`);
      }
      if (server === 'imapd') {
        assert.match(
          r.stdout,
          /^IMAP_CAPABILITY_TLS="IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE AUTH=PLAIN" +# \/etc\/courier\/imapd:\d+, same as default$/m,
        );
      }
      const changed = await runBin(server, ['config', '--changed', '--config-dir', STOCK]);
      assert.match(changed.stdout, /# \(no settings differ from the defaults\)/);
    });
  }

  test('imapd check flags an injected typo with a suggestion and a bad value with file:line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'courier-ts-stock-'));
    try {
      for (const f of ['imapd', 'imapd-ssl']) await copyFile(join(STOCK, f), join(dir, f));
      const base = join(dir, 'imapd');
      const lines = (await readFile(base, 'utf8')).split('\n');
      const capLine = lines.findIndex((l) => l.startsWith('IMAP_CAPABILITY='));
      const portLine = lines.findIndex((l) => l.startsWith('PORT='));
      assert.ok(capLine > 0 && portLine > 0);
      lines[capLine] = lines[capLine]!.replace('IMAP_CAPABILITY=', 'IMAP_CAPABILTY=');
      lines[portLine] = 'PORT=abc';
      await writeFile(base, lines.join('\n'));
      const r = await runBin('imapd', ['check', '--config-dir', dir]);
      assert.equal(r.code, 1);
      assert.match(
        r.stdout,
        new RegExp(`^${base}:${portLine + 1}: error: PORT: 'abc' is not a port number$`, 'm'),
      );
      assert.match(
        r.stdout,
        new RegExp(
          `^${base}:${capLine + 1}: warning: unknown key IMAP_CAPABILTY .*did you mean IMAP_CAPABILITY\\?$`,
          'm',
        ),
      );
      // The stock IMAP_CAPABILITY_TLS now expands an unset $IMAP_CAPABILITY: said so, too.
      assert.match(r.stdout, /warning: \$IMAP_CAPABILITY is not set at this point/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('pop3d check on the stock files exits 0 (as root; others may not read the certificate)', async (ctx) => {
    const r = await runBin('pop3d', ['check', '--config-dir', STOCK]);
    if (process.getuid?.() !== 0) {
      ctx.diagnostic(r.stdout);
      return;
    }
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^pop3d: configuration OK/m);
  });
});
