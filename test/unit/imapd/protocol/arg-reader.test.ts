import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ArgReader } from '@courier-ts/imapd';
import { parseArgs } from './parser-harness.js';

function reader(line: string): ArgReader {
  return new ArgReader(parseArgs(line));
}

describe('ArgReader', () => {
  test('astring from atom, quoted and literal', () => {
    const r = reader('a LOGIN bob "p w" {3}\r\nx"y\r\n');
    assert.deepEqual([r.astring(), r.astring(), r.astring()], ['bob', 'p w', 'x"y']);
    r.end();
  });

  test('mailbox: INBOX in any case is INBOX, other names as sent', () => {
    const r = reader('a RENAME inbox "InBox.Sub" {5}\r\niNbOx\r\n');
    assert.deepEqual([r.mailbox(), r.mailbox(), r.mailbox()], ['INBOX', 'InBox.Sub', 'INBOX']);
  });

  test('list-mailbox keeps wildcards', () => {
    const r = reader('a LIST "" INBOX.%*\r\n');
    assert.deepEqual([r.listMailbox(), r.listMailbox()], ['', 'INBOX.%*']);
  });

  test('nstring', () => {
    const r = reader('a X NIL nil "NIL" {0}\r\n\r\n');
    assert.equal(r.nstring(), null);
    assert.equal(r.nstring(), null);
    assert.equal(r.nstring()?.toString(), 'NIL');
    assert.equal(r.nstring()?.length, 0);
    assert.throws(() => reader('a X foo\r\n').nstring(), { name: 'ImapSyntaxError' });
  });

  test('string refuses atoms', () => {
    assert.throws(() => reader('a X foo\r\n').string(), { name: 'ImapSyntaxError' });
    assert.equal(reader('a X "foo"\r\n').string().value.toString(), 'foo');
  });

  test('numbers', () => {
    const r = reader('a X 0 4294967295 4294967296 x\r\n');
    assert.equal(r.number(), 0);
    assert.equal(r.number(), 4294967295);
    assert.throws(() => r.number(), { name: 'ImapSyntaxError' });
    assert.throws(() => r.number(), { name: 'ImapSyntaxError' });
  });

  test('missing and extra arguments', () => {
    assert.throws(() => reader('a SELECT\r\n').mailbox(), /missing mailbox name/);
    const r = reader('a SELECT a b\r\n');
    r.mailbox();
    assert.throws(() => r.end(), /too many arguments/);
  });

  test('peekAtom and list', () => {
    const r = reader('a STATUS INBOX (MESSAGES UIDNEXT)\r\n');
    assert.equal(r.peekAtom('inbox'), true);
    r.mailbox();
    assert.equal(r.list().items.length, 2);
  });

  test('literal() accepts literals only', () => {
    assert.equal(reader('a APPEND x {2}\r\nab\r\n').token() && true, true);
    const r = reader('a APPEND x {2}\r\nab\r\n');
    r.mailbox();
    const lit = r.literal();
    assert.ok(lit.type === 'string' && lit.value.toString() === 'ab');
    const q = reader('a APPEND x "ab"\r\n');
    q.mailbox();
    assert.throws(() => q.literal(), { name: 'ImapSyntaxError' });
  });
});
