import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePortList, RuntimeError } from '@courier-ts/runtime';

describe('parsePortList (couriertcpd p[,ip.p])', () => {
  const OK: ReadonlyArray<[string, string | undefined, Array<[string | undefined, number]>]> = [
    ['110', '0', [[undefined, 110]]],
    ['110', '', [[undefined, 110]]],
    ['110', undefined, [[undefined, 110]]],
    ['110', '127.0.0.1', [['127.0.0.1', 110]]],
    [
      '110,995',
      '0',
      [
        [undefined, 110],
        [undefined, 995],
      ],
    ],
    ['127.0.0.1.110', '0', [['127.0.0.1', 110]]],
    [
      '127.0.0.1.110,192.168.1.2.110',
      '0',
      [
        ['127.0.0.1', 110],
        ['192.168.1.2', 110],
      ],
    ],
    ['::1.110', '0', [['::1', 110]]],
    ['[::1].110', '0', [['::1', 110]]],
    ['0.110', '127.0.0.1', [[undefined, 110]]],
    [
      ' 110 , 111 ',
      '0',
      [
        [undefined, 110],
        [undefined, 111],
      ],
    ],
    ['0', '127.0.0.1', [['127.0.0.1', 0]]],
  ];
  for (const [list, address, want] of OK) {
    test(`${JSON.stringify(list)} with ADDRESS=${String(address)}`, () => {
      const got = parsePortList(list, address, false).map((b) => [b.host, b.port]);
      assert.deepEqual(got, want);
    });
  }
  for (const [list, address] of [
    ['abc', '0'],
    ['70000', '0'],
    ['', '0'],
    ['1.2.3.x.110', '0'],
    ['110', 'not-an-ip'],
    ['-1', '0'],
  ] as const) {
    test(`rejects ${JSON.stringify(list)} / ADDRESS=${address}`, () => {
      assert.throws(
        () => parsePortList(list, address, false),
        (e: unknown) => e instanceof RuntimeError && e.code === 'BAD_PORT_LIST',
      );
    });
  }
  test('marks TLS bindings', () => {
    assert.equal(parsePortList('995', '0', true)[0]!.tls, true);
  });
});
