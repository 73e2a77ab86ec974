// The bench's round and run statistics: a measure taken several times reports its median (not its
// best), the worse middle one of an even count, failed samples noted, and several runs merge line by
// line.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MeasureDef } from './results.js';
import { medianRound, medianSample, mergeRuns, Results, type Sample } from './results.js';

const v = (value: number | null, note?: string): Sample => ({ value, ...(note ? { note } : {}) });

const RATE: MeasureDef = { key: 'body', label: 'body', unit: 'MB/s', better: 'higher' };
const TIME: MeasureDef = { key: 'stat', label: 'STAT', unit: 'ms', better: 'lower' };

describe('medianSample', () => {
  test('odd count: the middle value, whatever the order', () => {
    assert.equal(medianSample([v(300), v(100), v(500), v(200), v(400)], 'higher')?.value, 300);
    assert.equal(medianSample([v(0.09), v(0.05), v(0.07)], 'lower')?.value, 0.07);
  });

  test('even count: the worse of the two middle ones, by which way is better', () => {
    assert.equal(medianSample([v(100), v(200), v(300), v(400)], 'higher')?.value, 200);
    assert.equal(medianSample([v(100), v(200), v(300), v(400)], 'lower')?.value, 300);
    assert.equal(medianSample([v(1), v(2)], 'higher')?.value, 1);
  });

  test('samples without a value are left out; none at all gives undefined', () => {
    assert.equal(medianSample([v(null), v(10), v(30), v(null), v(20)], 'higher')?.value, 20);
    assert.equal(medianSample([v(null, 'refused')], 'higher'), undefined);
    assert.equal(medianSample([], 'lower'), undefined);
  });

  test('the sample itself comes back, detail and all', () => {
    const mid: Sample = { value: 2, detail: { messages: 7 } };
    assert.equal(medianSample([v(1), mid, v(3)], 'higher'), mid);
  });
});

describe('medianRound', () => {
  test('not the best round: a server with one lucky round does not win on it', () => {
    const steady = medianRound([v(420), v(430), v(425), v(428), v(422)], 'higher', 'roundsMBs');
    const lucky = medianRound([v(300), v(460), v(320), v(310), v(330)], 'higher', 'roundsMBs');
    assert.ok((steady.value ?? 0) > (lucky.value ?? 0));
    assert.equal(lucky.value, 320);
  });

  test('every round in the detail, and the count', () => {
    const r = medianRound([{ value: 5, detail: { bytes: 1 } }, v(7), v(6)], 'higher', 'roundsMBs');
    assert.equal(r.value, 6);
    assert.deepEqual(r.detail, { roundsMBs: [5, 7, 6], rounds: 3 });
  });

  test('failed rounds are noted, next to the median round note', () => {
    const r = medianRound([v(null, 'timeout'), v(2, '1 responses for 2 messages'), v(3)], 'higher', 'r');
    assert.equal(r.value, 2);
    assert.equal(r.note, '1 responses for 2 messages; 1 of 3 rounds failed');
  });

  test('every round failed: the first failure, note and all', () => {
    assert.deepEqual(medianRound([v(null, 'refused'), v(null, 'gone')], 'lower', 'r'), v(null, 'refused'));
    assert.deepEqual(medianRound([], 'lower', 'r'), { value: null, note: 'not measured' });
  });
});

describe('mergeRuns', () => {
  function run(body: Record<string, number | null>, stat?: Record<string, number>, note?: string): Results {
    const r = new Results();
    r.define('imap', RATE);
    for (const [s, x] of Object.entries(body)) r.set('imap', RATE.key, s as 'dovecot', v(x));
    if (note) r.note('imap', note);
    if (stat) {
      r.define('pop3', TIME);
      for (const [s, x] of Object.entries(stat)) r.set('pop3', TIME.key, s as 'dovecot', v(x));
    }
    return r;
  }

  test('each line its median run per server, every run in runValues', () => {
    const m = mergeRuns([
      run({ 'courier-ts': 200, dovecot: 240 }, { 'courier-ts': 0.06 }),
      run({ 'courier-ts': 250, dovecot: 210 }, { 'courier-ts': 0.2 }),
      run({ 'courier-ts': 240, dovecot: 215 }, { 'courier-ts': 0.07 }),
    ]);
    const imap = m.areas.imap!;
    assert.deepEqual(
      imap.defs.map((d) => d.key),
      ['body'],
    );
    assert.equal(imap.values.body!['courier-ts']!.value, 240);
    assert.equal(imap.values.body!.dovecot!.value, 215);
    assert.deepEqual(imap.values.body!['courier-ts']!.detail, { runValues: [200, 250, 240] });
    assert.equal(m.areas.pop3!.values.stat!['courier-ts']!.value, 0.07);
  });

  test('a server missing from a run, or failed in it, counts as a run without a value', () => {
    const m = mergeRuns([
      run({ 'courier-ts': 100, dovecot: 90 }),
      run({ 'courier-ts': null }),
      run({ 'courier-ts': 120, dovecot: 80 }),
    ]);
    const ours = m.areas.imap!.values.body!['courier-ts']!;
    assert.equal(ours.value, 100);
    assert.equal(ours.note, '1 of 3 runs failed');
    const theirs = m.areas.imap!.values.body!.dovecot!;
    assert.equal(theirs.value, 80);
    assert.deepEqual(theirs.detail, { runValues: [90, null, 80] });
  });

  test('notes once each, in order; areas only where a run had them', () => {
    const m = mergeRuns([run({ dovecot: 1 }, undefined, 'a'), run({ dovecot: 2 }, { dovecot: 1 }, 'b')]);
    assert.deepEqual(m.areas.imap!.notes, ['a', 'b']);
    assert.equal(m.areas.maildir, undefined);
    assert.equal(m.areas.pop3!.values.stat!.dovecot!.value, 1);
  });
});
