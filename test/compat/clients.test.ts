// Real clients (Python imaplib/poplib, fetchmail, mbsync) against the real Courier and against our
// servers, on the same fixture: what each client ends up with must be the same.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FetchedMessage, pythonFetchAll, runFetchmail, runMbsync } from '../support/clients.js';
import { type CourierInstance, courierAvailability, startCourier } from '../support/courier.js';
import { type RunningServer, startServer } from '../support/server.js';
import { makeTempDir } from '../support/tmp.js';

const avail = courierAvailability(true);
let courier: CourierInstance | undefined;
const reference = new Map<string, unknown>();

before(async () => {
  if (avail.ok) courier = await startCourier();
});
after(() => courier?.stop());

async function withOurs(
  kind: 'imapd' | 'pop3d',
  t: { skip(msg: string): void },
  body: (s: RunningServer) => Promise<void>,
) {
  const srv = await startServer({ kind, maildir: { fixture: 'basic', useOurMaildirmake: false } });
  if (srv.status === 'missing') {
    t.skip(`courier-ts server missing: ${srv.reason}`);
    return;
  }
  try {
    await body(srv);
  } finally {
    await srv.stop();
  }
}

async function mbsyncSummary(local: string): Promise<string[]> {
  const out: string[] = [];
  for (const folder of (await readdir(local)).sort()) {
    for (const sub of ['cur', 'new']) {
      const names = await readdir(join(local, folder, sub)).catch(() => [] as string[]);
      out.push(`${folder}/${sub}: ${names.length}`);
    }
  }
  return out;
}

describe('real clients', () => {
  for (const protocol of ['imap', 'pop3'] as const) {
    const kind = protocol === 'imap' ? 'imapd' : 'pop3d';
    test(`python ${protocol}: Courier`, async (t) => {
      if (!courier) return t.skip(`real Courier unavailable: ${avail.ok ? 'not started' : avail.reason}`);
      await courier.resetMaildir({ fixture: 'basic' });
      const got = await pythonFetchAll(protocol, {
        port: courier.ports[protocol],
        user: courier.user,
        password: courier.password,
      });
      assert.equal(got.length, 3);
      reference.set(`python-${protocol}`, got);
    });
    test(`python ${protocol}: courier-ts fetches the same bytes`, async (t) => {
      await withOurs(kind, t, async (srv) => {
        const got = await pythonFetchAll(protocol, {
          port: srv.port,
          user: srv.user.name,
          password: srv.user.password,
        });
        const ref = reference.get(`python-${protocol}`) as FetchedMessage[] | undefined;
        if (ref) assert.deepEqual(got, ref);
        else assert.equal(got.length, 3);
      });
    });
  }

  test('fetchmail keep: Courier, twice (the second run fetches nothing)', async (t) => {
    if (!courier) return t.skip(`real Courier unavailable: ${avail.ok ? 'not started' : avail.reason}`);
    await courier.resetMaildir({ fixture: 'basic' });
    const tmp = await makeTempDir('courier-ts-fetchmail-');
    try {
      const login = {
        port: courier.ports.pop3,
        user: courier.user,
        password: courier.password,
        workDir: tmp.path,
      };
      const first = await runFetchmail(login);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.delivered.length, 3);
      const second = await runFetchmail(login);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.delivered.length, 3, 'nothing new delivered by the second run');
      reference.set('fetchmail', first.delivered.map((d) => d.sha256).sort());
    } finally {
      await tmp.dispose();
    }
  });

  test('fetchmail keep: courier-ts delivers the same messages', async (t) => {
    await withOurs('pop3d', t, async (srv) => {
      const tmp = await makeTempDir('courier-ts-fetchmail-');
      try {
        const login = { port: srv.port, user: srv.user.name, password: srv.user.password, workDir: tmp.path };
        const first = await runFetchmail(login);
        assert.equal(first.code, 0, first.stderr);
        const ref = reference.get('fetchmail') as string[] | undefined;
        if (ref) assert.deepEqual(first.delivered.map((d) => d.sha256).sort(), ref);
        else assert.equal(first.delivered.length, 3);
        const second = await runFetchmail(login);
        assert.equal(second.delivered.length, first.delivered.length, 'the second run fetched again');
      } finally {
        await tmp.dispose();
      }
    });
  });

  test('mbsync pull: Courier', async (t) => {
    if (!courier) return t.skip(`real Courier unavailable: ${avail.ok ? 'not started' : avail.reason}`);
    await courier.resetMaildir({ fixture: 'basic' });
    const tmp = await makeTempDir('courier-ts-mbsync-');
    try {
      const r = await runMbsync({
        port: courier.ports.imap,
        user: courier.user,
        password: courier.password,
        workDir: tmp.path,
      });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const summary = await mbsyncSummary(r.local);
      assert.ok(summary.includes('INBOX/cur: 2') && summary.includes('INBOX/new: 1'), summary.join(', '));
      reference.set('mbsync', summary);
    } finally {
      await tmp.dispose();
    }
  });

  test('mbsync pull: courier-ts gives the same local tree', async (t) => {
    await withOurs('imapd', t, async (srv) => {
      const tmp = await makeTempDir('courier-ts-mbsync-');
      try {
        const r = await runMbsync({
          port: srv.port,
          user: srv.user.name,
          password: srv.user.password,
          workDir: tmp.path,
        });
        assert.equal(r.code, 0, r.stderr + r.stdout);
        const ref = reference.get('mbsync') as string[] | undefined;
        const summary = await mbsyncSummary(r.local);
        if (ref) assert.deepEqual(summary, ref);
        else assert.ok(summary.length > 0);
      } finally {
        await tmp.dispose();
      }
    });
  });
});
