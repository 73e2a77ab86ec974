import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { createPasswordService, md5Crypt, schemeForPasswordChange, shaCrypt } from '@courier-ts/authlib';
import { pino } from 'pino';

const log = pino({ level: 'silent' });
const svc = createPasswordService({ log });
after(() => svc.close());

const PW = 'S3cret pässword';
const WRONG = 'x3cret pässwort';

function have(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { input: '' }).error === undefined;
}
const haveOpenssl = have('openssl', ['version']);
const haveUserdbpw = spawnSync('dpkg', ['-s', 'courier-authlib-userdb']).status === 0;
const haveAuthpasswd = spawnSync('authpasswd', [], { input: 'x\nx\n' }).status === 0;
const havePyCrypt = spawnSync('/usr/bin/python3', ['-W', 'ignore', '-c', 'import crypt']).status === 0;

function openssl(args: string[]): string {
  return execFileSync('openssl', ['passwd', ...args, '-stdin'], { input: `${PW}\n` })
    .toString()
    .trim();
}
function pyCrypt(method: string): string {
  const code = `import crypt,sys;print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.${method})))`;
  return execFileSync('/usr/bin/python3', ['-W', 'ignore', '-c', code, PW]).toString().trim();
}

async function assertScheme(stored: string): Promise<void> {
  assert.equal(await svc.verify(PW, stored), true, `right password accepted for ${stored}`);
  assert.equal(await svc.verify(WRONG, stored), false, `wrong password rejected for ${stored}`);
}

describe('password schemes against hashes made by real tools', { skip: !haveOpenssl && 'no openssl' }, () => {
  for (const [label, args] of [
    ['$1$ (openssl passwd -1)', ['-1']],
    ['$5$ (openssl passwd -5)', ['-5']],
    ['$6$ (openssl passwd -6)', ['-6']],
    ['$5$ rounds=12345 (openssl)', ['-5', '-salt', 'rounds=12345$abcdefgh']],
    ['$6$ rounds=1000 (openssl)', ['-6', '-salt', 'rounds=1000$saltsaltsaltsalt']],
  ] as const) {
    test(label, async () => assertScheme(openssl([...args])));
  }
  test('$1$ and $6$ recomputed byte-exact by the JS implementations', () => {
    const h1 = openssl(['-1']);
    assert.equal(md5Crypt(Buffer.from(PW), h1), h1);
    const h6 = openssl(['-6', '-salt', 'rounds=5000$x']);
    assert.equal(shaCrypt(Buffer.from(PW), h6), h6);
  });
});

describe('MD5-crypt across MD5 block boundaries', { skip: !haveOpenssl && 'no openssl' }, () => {
  test('byte-exact with openssl passwd -1 for passwords of 0 to 130 bytes, 8-bit too', () => {
    for (const n of [
      0, 1, 7, 8, 15, 16, 17, 23, 24, 31, 32, 33, 40, 47, 48, 55, 56, 57, 63, 64, 65, 100, 119, 120, 130,
    ]) {
      const pw = Buffer.alloc(n);
      for (let i = 0; i < n; i++) pw[i] = i % 3 === 0 ? 0xe9 - (i % 7) : 0x41 + ((i * 5) % 26);
      for (const salt of ['a', 'abcdefgh', 'abcdefghij']) {
        const want = execFileSync('openssl', ['passwd', '-1', '-salt', salt, '-stdin'], {
          input: Buffer.concat([pw, Buffer.from('\n')]),
        })
          .toString('latin1')
          .trim();
        assert.equal(md5Crypt(pw, `$1$${salt}$`), want, `${n} bytes, salt ${salt}`);
      }
    }
  });
});

describe('libcrypt hashes (python3 crypt → libxcrypt)', { skip: !havePyCrypt && 'no python3 crypt' }, () => {
  for (const m of ['METHOD_CRYPT', 'METHOD_BLOWFISH', 'METHOD_SHA512']) {
    test(m, async () => assertScheme(pyCrypt(m)));
  }
  test('$2y$ and $2a$ spellings of bcrypt', async () => {
    const h = pyCrypt('METHOD_BLOWFISH');
    await assertScheme(h.replace(/^\$2b\$/, '$2y$'));
  });
  test('yescrypt $y$ (native addon)', { skip: !svc.native && 'native addon not built' }, async () => {
    const code = `import crypt,sys;print(crypt.crypt(sys.argv[1], "$y$j9T$" + "F5Jx5fExrKuPp53xLKQ..1"))`;
    const h = execFileSync('/usr/bin/python3', ['-W', 'ignore', '-c', code, PW]).toString().trim();
    assert.match(h, /^\$y\$/);
    await assertScheme(h);
  });
});

describe("Courier's userdbpw hashes", {
  skip: !haveUserdbpw && 'courier-authlib-userdb not installed',
}, () => {
  const userdbpw = (args: string[]): string =>
    execFileSync('userdbpw', args, { input: `${PW}\n` })
      .toString()
      .trim();
  test('default (DES crypt): only 8 chars count', async () => {
    const h = userdbpw([]);
    assert.match(h, /^[./0-9A-Za-z]{13}$/);
    assert.equal(await svc.verify(PW, h), true);
    assert.equal(await svc.verify('S3cret p', h), true);
    assert.equal(await svc.verify('S3cret_p', h), false);
  });
  test('-md5', async () => assertScheme(userdbpw(['-md5'])));
  for (const [flag, h] of [
    ['-hmac-md5', 'md5'],
    ['-hmac-sha1', 'sha1'],
    ['-hmac-sha256', 'sha256'],
  ] as const) {
    test(`${flag} secret equals ours`, () => {
      assert.equal(svc.hmacSecret(h, PW), userdbpw([flag]));
    });
  }
});

describe("Courier's authpasswd hashes ({MD5}, {SHA256}, {SSHA}, $1$ ...)", {
  skip: !haveAuthpasswd && 'authpasswd not installed',
}, () => {
  for (const method of ['', 'md5', 'md5raw', 'sha1', 'ssha', 'sha256', 'sha512', 'crypt']) {
    test(method || '(default)', async () => {
      const h = execFileSync('authpasswd', method ? [method] : [], { input: `${PW}\n${PW}\n` })
        .toString()
        .trim();
      await assertScheme(h);
    });
  }
});

describe('{SCHEME} digests', () => {
  const vectors: [string, string][] = [
    // Computed independently with openssl dgst for the password "secret".
    ['{MD5}Xr4ilOzQ4PCOq3aQ0qbuaQ==', 'secret'],
    ['{md5raw}5ebe2294ecd0e0f08eab7690d2a6ee69', 'secret'],
    ['{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=', 'secret'],
    ['{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=', 'secret'],
  ];
  for (const [stored, clear] of vectors) {
    test(stored, async () => {
      assert.equal(await svc.verify(clear, stored), true);
      assert.equal(await svc.verify(`${clear}x`, stored), false);
    });
  }
  test('{SSHA} uses the last 4 bytes of the decoded value as salt', async () => {
    const salt = Buffer.from([1, 2, 3, 4]);
    const d = execFileSync('openssl', ['dgst', '-sha1', '-binary'], {
      input: Buffer.concat([Buffer.from('secret'), salt]),
    });
    const stored = `{SSHA}${Buffer.concat([d, salt]).toString('base64')}`;
    await assertSchemeFor('secret', stored);
  });
  test('{CRYPT} prefix strips to crypt()', async () => {
    await assertSchemeFor('secret', `{CRYPT}${md5Crypt(Buffer.from('secret'), '$1$abcdefgh')}`);
  });
  test('locked, empty and unknown hashes never verify', async () => {
    for (const s of ['', '!', '*', '!$1$abc$def', '{CRYPT}', 'x'])
      assert.equal(await svc.verify('', s), false);
  });
});

async function assertSchemeFor(clear: string, stored: string): Promise<void> {
  assert.equal(await svc.verify(clear, stored), true);
  assert.equal(await svc.verify(`${clear}!`, stored), false);
}

describe('hashing round trips', () => {
  for (const scheme of [
    'des',
    'md5-crypt',
    'sha256-crypt',
    'sha512-crypt',
    'bcrypt',
    'MD5',
    'MD5RAW',
    'SHA',
    'SHA256',
    'SHA512',
    'SSHA',
  ] as const) {
    test(scheme, async () => {
      const h = await svc.hash(scheme, 'secret');
      await assertSchemeFor('secret', h);
    });
  }
  test('yescrypt', { skip: !svc.native && 'native addon not built' }, async () => {
    const h = await svc.hash('yescrypt', 'secret');
    assert.match(h, /^\$y\$j9T\$/);
    await assertSchemeFor('secret', h);
  });
  test('sha512-crypt verifies with real libcrypt', { skip: !havePyCrypt && 'no python3 crypt' }, async () => {
    const h = await svc.hash('sha512-crypt', PW);
    const code = 'import crypt,sys;print(crypt.crypt(sys.argv[1], sys.argv[2]))';
    assert.equal(execFileSync('/usr/bin/python3', ['-W', 'ignore', '-c', code, PW, h]).toString().trim(), h);
  });
});

describe('password change keeps the scheme as Courier does', () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'SHA512'],
    ['$1$abc$def', 'md5-crypt'],
    ['{md5}x', 'MD5'],
    ['{SSHA}x', 'SSHA'],
    ['$6$x$y', 'SSHA'],
    ['ab0123456789.', 'SSHA'],
  ];
  for (const [old, want] of cases) test(String(old), () => assert.equal(schemeForPasswordChange(old), want));
});

describe('CRAM digests', () => {
  test('CRAM-MD5 from clear password equals RFC 2195 example', () => {
    const d = svc.cramDigest('md5', '<1896.697170952@postoffice.reston.mci.net>', {
      clear: 'tanstaaftanstaaf',
    });
    assert.equal(d, 'b913a602c7eda7a495b4e6e7334d3890');
  });
  test('precomputed secret gives the same digest as the clear password', () => {
    for (const h of ['md5', 'sha1', 'sha256'] as const) {
      const pre = svc.hmacSecret(h, 'a-long-password-'.repeat(6));
      assert.equal(
        svc.cramDigest(h, '<abc@host>', { precomputed: pre }),
        svc.cramDigest(h, '<abc@host>', { clear: 'a-long-password-'.repeat(6) }),
      );
    }
  });
});

describe('pure-JS fallback (native addon not used)', () => {
  test('yescrypt reported unsupported, everything else still works', async () => {
    const js = createPasswordService({ log, useNative: false });
    try {
      assert.equal(js.native, false);
      await assert.rejects(js.hash('yescrypt', 'x'), /yescrypt needs the native addon/);
      assert.equal(await js.verify('x', '$y$j9T$F5Jx5fExrKuPp53xLKQ..1$abc'), false);
      assert.equal(await js.pam('login', 'root', 'x'), undefined);
      const h = await js.hash('sha512-crypt', 'x');
      assert.equal(await js.verify('x', h), true);
    } finally {
      await js.close();
    }
  });

  test('SHA-crypt and bcrypt: the addon (used when built) and JS give the same strings', async () => {
    const js = createPasswordService({ log, useNative: false });
    try {
      for (const scheme of ['sha256-crypt', 'sha512-crypt', 'bcrypt'] as const) {
        const byDefault = await svc.hash(scheme, PW);
        const byJs = await js.hash(scheme, PW);
        assert.equal(await js.verify(PW, byDefault), true, `JS accepts ${byDefault}`);
        assert.equal(await svc.verify(PW, byJs), true, `default service accepts ${byJs}`);
        assert.equal(await svc.verify(WRONG, byJs), false);
      }
    } finally {
      await js.close();
    }
  });
});
