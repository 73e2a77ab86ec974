// LIST and UIDL replies shared between sessions of one process: a maildrop made from the same
// remembered listing (same listingKey) gets the reply an earlier session built; a session that has
// deleted something, a maildrop of another listing, or one without a key builds its own.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ReplyWriter } from '@courier-ts/runtime';
import { pino } from 'pino';
import { repoRoot } from '../../support/paths.js';

type Mod = typeof import('../../../packages/pop3d/src/session/transaction-session.js');
type Init = import('../../../packages/pop3d/src/session/types.js').Pop3SessionInit;
type Drop = import('../../../packages/pop3d/src/session/types.js').Pop3MaildropLike;
const { TransactionSession } = (await import(
  pathToFileURL(join(repoRoot, 'packages', 'pop3d', 'dist', 'session', 'transaction-session.js')).href
)) as Mod;

const init = { utf8: false, settings: {} } as unknown as Init;

/** A maildrop of `sizes` (UIDL `u<size>`), with `key` as its listingKey. */
function maildrop(sizes: number[], key: object | undefined): Drop {
  return {
    messages: sizes.map((crlfSize, i) => ({
      filename: `m${i}`,
      crlfSize,
      uidl: `u${crlfSize}`,
      utf8Headers: false,
    })),
    listingKey: key,
    open: () => {
      throw new Error('not used');
    },
    markSeen: async () => undefined,
    commitDeletes: async () => undefined,
  };
}

function session(drop: Drop, shared: WeakMap<object, Map<string, Buffer>>) {
  return new TransactionSession(init, drop, new ReplyWriter(new PassThrough()), pino({ level: 'silent' }), {
    pid: 1,
    now: () => 0,
    sharedListings: shared,
  });
}

const list = (s: ReturnType<typeof session>): string =>
  s.listing('list', '+OK', (m) => m.crlfSize).toString('latin1');

describe('LIST/UIDL replies shared by listing', () => {
  test('same key: the reply built once serves the next session', () => {
    const shared = new WeakMap<object, Map<string, Buffer>>();
    const key = {};
    assert.equal(list(session(maildrop([10, 20], key), shared)), '+OK\r\n1 10\r\n2 20\r\n.\r\n');
    // The key promises the same messages: a maildrop that broke that promise shows it was not rebuilt.
    const second = session(maildrop([99], key), shared);
    assert.equal(list(second), '+OK\r\n1 10\r\n2 20\r\n.\r\n');
    assert.equal(
      second.listing('uidl', '+OK', (m) => m.uidl).toString('latin1'),
      '+OK\r\n1 u99\r\n.\r\n',
      'UIDL is its own reply, built by the first session that asks',
    );
  });

  test('not shared after a DELE, for another key, or without a key', () => {
    const shared = new WeakMap<object, Map<string, Buffer>>();
    const key = {};
    list(session(maildrop([10, 20], key), shared));
    const deleting = session(maildrop([10, 20], key), shared);
    deleting.delete(0);
    assert.equal(list(deleting), '+OK\r\n2 20\r\n.\r\n');
    assert.equal(list(session(maildrop([10, 20], key), shared)), '+OK\r\n1 10\r\n2 20\r\n.\r\n', 'unchanged');
    assert.equal(list(session(maildrop([30], {}), shared)), '+OK\r\n1 30\r\n.\r\n');
    assert.equal(list(session(maildrop([40], undefined), shared)), '+OK\r\n1 40\r\n.\r\n');
  });
});
