import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  loadScenario,
  parseScenario,
  ScenarioSyntaxError,
  splitClientLines,
  toCrlf,
} from '../../compat/scenario.js';
import { scenariosDir } from '../../support/paths.js';

const pieces = (s: ReturnType<typeof parseScenario>) =>
  s.lines.map((l) => l.pieces.map((p) => [p.bytes.toString('latin1'), p.waitForContinuation]));

describe('parseScenario', () => {
  test('header settings and client lines', () => {
    const s = parseScenario(
      [
        '# comment',
        '@protocol imap',
        '@transport stdio',
        '@fixture basic',
        '@env IMAP_KEYWORDS=1',
        '@env IMAP_CAPABILITY=IMAP4rev1 IDLE',
        '@mask internaldate',
        '@deviation ^S: a2 (NO|BAD) -- we answer BAD for syntax errors (RFC 3501)',
        '@timeout 3000',
        '---',
        'a1 NOOP',
        'a2 FOO',
        '',
        '',
      ].join('\n'),
      'x/demo.scenario',
    );
    assert.equal(s.name, 'demo');
    assert.equal(s.protocol, 'imap');
    assert.equal(s.transport, 'stdio');
    assert.equal(s.fixture, 'basic');
    assert.deepEqual(s.env, { IMAP_KEYWORDS: '1', IMAP_CAPABILITY: 'IMAP4rev1 IDLE' });
    assert.deepEqual(s.masks, ['internaldate']);
    assert.equal(s.deviations.length, 1);
    assert.equal(s.deviations[0]!.reason, 'we answer BAD for syntax errors (RFC 3501)');
    assert.ok(s.deviations[0]!.pattern.test('S: a2 BAD Invalid'));
    assert.equal(s.timeoutMs, 3000);
    assert.deepEqual(pieces(s), [[['a1 NOOP\r\n', false]], [['a2 FOO\r\n', false]]]);
  });

  test('network scenarios take @config, and @generate', () => {
    const s = parseScenario(
      '@protocol pop3\n@transport network\n@generate 20 7\n@config pop3d POP3AUTH="LOGIN PLAIN"\n---\nCAPA\n',
    );
    assert.deepEqual(s.config, { pop3d: ['POP3AUTH="LOGIN PLAIN"'] });
    assert.deepEqual(s.generate, { messages: 20, seed: 7 });
    assert.deepEqual(pieces(s), [[['CAPA\r\n', false]]]);
  });

  test('@rewrite takes a JSON replacement', () => {
    const s = parseScenario(
      '@protocol imap\n@transport stdio\n@rewrite [ ](MOVE|ID)(?= |$) => "" -- beyond Courier\n---\na NOOP\n',
    );
    const d = s.deviations[0]!;
    assert.equal(d.replacement, '');
    assert.equal(d.reason, 'beyond Courier');
    assert.equal('S: * CAPABILITY A MOVE B ID'.replace(d.pattern, d.replacement!), 'S: * CAPABILITY A B');
  });

  const bad: Array<[string, RegExp]> = [
    ['@protocol imap\n@transport stdio\n@rewrite x => y -- r\n---\n', /@rewrite REGEX => "TEXT"/],
    ['@protocol imap\n@transport stdio\nNOOP\n', /missing the `---`/],
    ['@transport stdio\n---\n', /@protocol is required/],
    ['@protocol smtp\n---\n', /protocol must be imap or pop3/],
    ['@protocol imap\n---\n', /@transport is required/],
    ['@protocol imap\n@transport stdio\n@deviation ^S: x\n---\n', /reason is required/],
    ['@protocol imap\n@transport stdio\n@deviation ([ -- why\n---\n', /bad deviation regex/],
    ['@protocol imap\n@transport stdio\n@bogus 1\n---\n', /unknown setting @bogus/],
    ['@protocol imap\n@transport network\n@env A=1\n---\n', /@env is for stdio/],
    ['@protocol imap\n@transport network\n@config nofile A=1\n---\n', /@config FILE/],
    ['@protocol imap\n@transport stdio\n@fixture a\n@generate 3\n---\n', /exclude each other/],
    ['@protocol imap\n@transport stdio\nplain text\n---\n', /:3: expected "@key value"/],
  ];
  for (const [text, re] of bad) {
    test(`rejects ${JSON.stringify(text.split('\n').slice(0, 3).join(' | '))}`, () => {
      assert.throws(
        () => parseScenario(text, 'f.scenario'),
        (e: unknown) => e instanceof ScenarioSyntaxError && re.test(e.message),
      );
    });
  }
});

describe('splitClientLines (IMAP literals)', () => {
  const split = (text: string) =>
    splitClientLines(toCrlf(Buffer.from(text)), true).map((l) =>
      l.pieces.map((p) => [p.bytes.toString(), p.waitForContinuation]),
    );

  test('a synchronising literal ending at a line end, continued by an empty line', () => {
    assert.deepEqual(split('a APPEND INBOX {7}\nHello\n\nb NOOP\n'), [
      [
        ['a APPEND INBOX {7}\r\n', true],
        ['Hello\r\n\r\n', false],
      ],
      [['b NOOP\r\n', false]],
    ]);
  });

  test('a literal in the middle of a line, then another (LITERAL+)', () => {
    assert.deepEqual(split('a LOGIN {4}\nuser {4+}\npass\n'), [
      [
        ['a LOGIN {4}\r\n', true],
        ['user {4+}\r\n', false],
        ['pass\r\n', false],
      ],
    ]);
  });

  test('literal bytes that look like a literal announcement are data', () => {
    assert.deepEqual(split('a X {5}\n{12}\n\n'), [
      [
        ['a X {5}\r\n', true],
        ['{12}\r\n\r\n', false],
      ],
    ]);
  });

  test('POP3 has no literals', () => {
    const lines = splitClientLines(toCrlf(Buffer.from('USER {3}\nPASS x\n')), false);
    assert.deepEqual(
      lines.map((l) => l.pieces.map((p) => p.bytes.toString())),
      [['USER {3}\r\n'], ['PASS x\r\n']],
    );
  });

  test('toCrlf keeps existing CRLF and converts LF', () => {
    assert.equal(toCrlf(Buffer.from('a\nb\r\nc\n')).toString(), 'a\r\nb\r\nc\r\n');
  });
});

describe('shipped scenarios', () => {
  for (const f of readdirSync(scenariosDir).filter((n) => n.endsWith('.scenario'))) {
    test(`${f} parses and has client lines`, () => {
      const s = loadScenario(join(scenariosDir, f));
      assert.ok(s.lines.length > 0);
    });
  }
});
