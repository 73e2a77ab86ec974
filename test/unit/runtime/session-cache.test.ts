import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TlsSessionCache } from '@courier-ts/runtime';

const bytes = (n: number, fill = 1): Buffer => Buffer.alloc(n, fill);

describe('TlsSessionCache', () => {
  test('bounded by total bytes, oldest out first', () => {
    const c = new TlsSessionCache({ maxBytes: 300 });
    c.put('a', bytes(100));
    c.put('b', bytes(100));
    c.put('c', bytes(100));
    assert.equal(c.storedBytes, 300);
    c.put('d', bytes(150));
    assert.equal(c.get('a'), undefined);
    assert.equal(c.get('b'), undefined);
    assert.ok(c.get('c'));
    assert.ok(c.get('d'));
    assert.equal(c.storedBytes, 250);
    assert.equal(c.size, 2);
  });

  test('a session larger than the cache is not kept; replacing a key counts once', () => {
    const c = new TlsSessionCache({ maxBytes: 100 });
    c.put('big', bytes(101));
    assert.equal(c.size, 0);
    c.put('k', bytes(60));
    c.put('k', bytes(70, 2));
    assert.equal(c.storedBytes, 70);
    assert.equal(c.get('k')?.[0], 2);
  });

  test('expired sessions are not resumed', () => {
    let t = 1000;
    const c = new TlsSessionCache({ maxBytes: 1000, ttlMs: 300_000, now: () => t });
    c.put('x', bytes(10));
    t += 299_999;
    assert.ok(c.get('x'));
    t += 1;
    assert.equal(c.get('x'), undefined);
    assert.equal(c.storedBytes, 0);
  });

  test('newSession / resumeSession events (what a TLSSocket emits on its `server`)', async () => {
    const c = new TlsSessionCache({ maxBytes: 1000 });
    const id = Buffer.from('0102', 'hex');
    await new Promise<void>((done) => c.events.emit('newSession', id, bytes(5, 7), done));
    const got = await new Promise<Buffer | null>((r) =>
      c.events.emit('resumeSession', id, (_e: Error | null, d: Buffer | null) => r(d)),
    );
    assert.equal(got?.[0], 7);
    const none = await new Promise<Buffer | null>((r) =>
      c.events.emit('resumeSession', Buffer.from('ff', 'hex'), (_e: Error | null, d: Buffer | null) => r(d)),
    );
    assert.equal(none, null);
  });

  test('maxBytes 0: no listeners, so Node does not even ask', () => {
    const c = new TlsSessionCache({ maxBytes: 0 });
    assert.equal(c.events.listenerCount('newSession'), 0);
    assert.equal(c.events.listenerCount('resumeSession'), 0);
  });
});

describe('TlsSessionCache.resize (SIGHUP with a new TLS_CACHESIZE)', () => {
  test('smaller: oldest out; 0: off; larger again: on', () => {
    const c = new TlsSessionCache({ maxBytes: 300 });
    c.put('a', bytes(100));
    c.put('b', bytes(100));
    c.resize(150);
    assert.equal(c.get('a'), undefined);
    assert.ok(c.get('b'));
    c.resize(0);
    assert.equal(c.size, 0);
    assert.equal(c.events.listenerCount('newSession'), 0);
    c.resize(1000);
    assert.equal(c.events.listenerCount('newSession'), 1);
    assert.equal(c.events.listenerCount('resumeSession'), 1);
  });
});
