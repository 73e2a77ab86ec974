// Courier's ACL rights: storage form, RFC 2086 display, ACL2=UNION computation, SETACL edits and the
// refusal rule; every expectation below was observed on Courier-IMAP 5.0.13.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { searchModule } from '../search/imapd-internals.js';

type RI = typeof import('../../../../packages/imapd/src/acl/rights.js');
const r = await searchModule<RI>('../acl/rights');

const acl = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => {
      const [identifier, rights] = l.trim().split(' ');
      return { identifier: identifier!, rights: rights ?? '' };
    });

describe('rights forms', () => {
  const store: [string, string][] = [
    ['lrs', 'lrs'],
    ['d', 'etx'],
    ['lrxte', 'elrtx'],
    ['lr1-', '-1lr'],
    ['LRk', 'LRk'],
    ['srl', 'lrs'],
    ['', ''],
  ];
  for (const [input, want] of store)
    test(`store ${JSON.stringify(input)}`, () => assert.equal(r.normaliseRights(input), want));
  const show: [string, string][] = [
    ['aceilrstwx', 'acdilrsw'],
    ['x', ''],
    ['e', ''],
    ['et', ''],
    ['tx', ''],
    ['ex', ''],
    ['etx', 'd'],
    ['d', 'd'],
    ['t', ''],
    ['elrtx', 'dlr'],
    ['aceilprstwx', 'acdilprsw'],
    ['klr', 'klr'],
    ['LR', 'LR'],
  ];
  for (const [stored, want] of show)
    test(`display ${stored}`, () => assert.equal(r.displayRights(stored), want));
});

describe('identifiers', () => {
  const cases: [string, string][] = [
    ['anyone', 'anyone'],
    ['owner', 'owner'],
    ['administrators', 'administrators'],
    ['anonymous', 'anonymous'],
    ['bob', 'user=bob'],
    ['Anyone', 'user=Anyone'],
    ['-anyone', '-anyone'],
    ['-bob', '-user=bob'],
  ];
  for (const [wire, stored] of cases) {
    test(wire, () => {
      assert.equal(r.storedIdentifier(wire), stored);
      assert.equal(r.wireIdentifier(stored), wire);
    });
  }
});

describe('MYRIGHTS (union, negatives, owner keeps a)', () => {
  const cases: [string, string, string][] = [
    ['owner aceilrstwx\nadministrators aceilrstwx', 'testuser', 'acdilrsw'],
    ['owner aceilrstwx\nadministrators aceilrstwx\nanyone q', 'testuser', 'acdilqrsw'],
    ['owner aceilrstwx\nuser=testuser klr', 'testuser', 'acdiklrsw'],
    ['owner aceilrstwx\nuser=testuser klr', 'other', 'acdilrsw'],
    ['owner aceilrstwx\n-anyone w', 'testuser', 'acdilrs'],
    ['owner lr\n-owner r\nanyone rs\n-user=testuser s', 'testuser', 'al'],
    ['owner lrs\nuser=testuser w', 'testuser', 'alrsw'],
    ['owner lrs\nuser=testuser w', 'other', 'alrs'],
  ];
  for (const [text, user, want] of cases) {
    test(`${user}: ${text.replace(/\n/g, ' / ')}`, () =>
      assert.equal(r.displayRights(r.computeRights(acl(text), user)), want));
  }
});

describe('SETACL edits and the refusal rule', () => {
  const base = 'owner aceilrstwx\nadministrators aceilrstwx\nuser=bob w';
  const cases: [string, string, string, string | 'refused'][] = [
    ['anyone', 'lr', base, 'owner aceilrstwx|administrators aceilrstwx|user=bob w|anyone lr'],
    ['user=bob', '+d', base, 'owner aceilrstwx|administrators aceilrstwx|user=bob etwx'],
    ['user=bob', '-w', base, 'owner aceilrstwx|administrators aceilrstwx'],
    ['user=bob', '-l', base, 'owner aceilrstwx|administrators aceilrstwx|user=bob w'],
    ['user=dave', '', base, 'owner aceilrstwx|administrators aceilrstwx|user=bob w'],
    ['user=carol', '+lr', base, 'owner aceilrstwx|administrators aceilrstwx|user=bob w|user=carol lr'],
    ['owner', '', base, 'refused'],
    ['administrators', 'lr', base, 'refused'],
    ['-anyone', 'r', base, 'refused'],
    ['anyone', 'lr', 'owner aceilrstwx\nadministrators aceilrstwx\n-anyone w', 'refused'],
    ['anyone', 'r', 'owner lr', 'refused'],
  ];
  for (const [id, rights, start, want] of cases) {
    test(`${id} ${JSON.stringify(rights)} on ${start.replace(/\n/g, ' / ')}`, () => {
      const next = r.applyRightsChange(acl(start), id, r.parseRightsChange(rights));
      const shown = next.map((e) => `${e.identifier} ${e.rights}`).join('|');
      assert.equal(r.keepsAdministrators(next) ? shown : 'refused', want);
    });
  }
  test('DELETEACL keeps the others in order; deleting owner is refused', () => {
    const start = acl('owner aceilrstwx\nadministrators aceilrstwx\nanyone lr\nuser=bob lrs');
    assert.deepEqual(
      r.deleteIdentifier(start, 'anyone').map((e) => e.identifier),
      ['owner', 'administrators', 'user=bob'],
    );
    assert.equal(r.keepsAdministrators(r.deleteIdentifier(start, 'owner')), false);
  });
});
