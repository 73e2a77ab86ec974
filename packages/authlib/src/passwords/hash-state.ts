/**
 * Minimal MD5 / SHA-1 / SHA-256 compression functions with an exposed chaining state, for Courier's
 * precomputed HMAC secrets (`hmac-md5pw`...): the stored value is the hex of the raw hash state after
 * one block of key⊕opad (outer) followed by the one after key⊕ipad (inner), not finalised. Node's
 * crypto cannot resume from such a state, hence these few lines.
 */
export type StateHash = 'md5' | 'sha1' | 'sha256';

interface HashDef {
  readonly iv: readonly number[];
  readonly littleEndian: boolean;
  readonly digestLen: number;
  compress(state: number[], block: Buffer): void;
}

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));
const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);

function md5Compress(st: number[], block: Buffer): void {
  const w = Array.from({ length: 16 }, (_, i) => block.readInt32LE(i * 4));
  let [a, b, c, d] = st as [number, number, number, number];
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    const r = i >> 4;
    if (r === 0) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (r === 1) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (r === 2) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    const tmp = d;
    d = c;
    c = b;
    b = (b + rotl((a + f + MD5_K[i]! + w[g]!) | 0, MD5_S[(r << 2) | (i & 3)]!)) | 0;
    a = tmp;
  }
  st[0] = (st[0]! + a) | 0;
  st[1] = (st[1]! + b) | 0;
  st[2] = (st[2]! + c) | 0;
  st[3] = (st[3]! + d) | 0;
}

function sha1Compress(st: number[], block: Buffer): void {
  const w = new Array<number>(80);
  for (let i = 0; i < 16; i++) w[i] = block.readInt32BE(i * 4);
  for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!, 1);
  let [a, b, c, d, e] = st as [number, number, number, number, number];
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const t = (rotl(a, 5) + f + e + k + w[i]!) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  const v = [a, b, c, d, e];
  for (let i = 0; i < 5; i++) st[i] = (st[i]! + v[i]!) | 0;
}

const SHA256_K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

function sha256Compress(st: number[], block: Buffer): void {
  const w = new Array<number>(64);
  for (let i = 0; i < 16; i++) w[i] = block.readInt32BE(i * 4);
  for (let i = 16; i < 64; i++) {
    const s0 = rotr(w[i - 15]!, 7) ^ rotr(w[i - 15]!, 18) ^ (w[i - 15]! >>> 3);
    const s1 = rotr(w[i - 2]!, 17) ^ rotr(w[i - 2]!, 19) ^ (w[i - 2]! >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let [a, b, c, d, e, f, g, h] = st as [number, number, number, number, number, number, number, number];
  for (let i = 0; i < 64; i++) {
    const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + SHA256_K[i]! + w[i]!) | 0;
    const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  const v = [a, b, c, d, e, f, g, h];
  for (let i = 0; i < 8; i++) st[i] = (st[i]! + v[i]!) | 0;
}

const DEFS: Record<StateHash, HashDef> = {
  md5: {
    iv: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476],
    littleEndian: true,
    digestLen: 16,
    compress: md5Compress,
  },
  sha1: {
    iv: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0],
    littleEndian: false,
    digestLen: 20,
    compress: sha1Compress,
  },
  sha256: {
    iv: [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
    littleEndian: false,
    digestLen: 32,
    compress: sha256Compress,
  },
};

export function stateDigestLength(h: StateHash): number {
  return DEFS[h].digestLen;
}

function stateToBytes(def: HashDef, st: readonly number[]): Buffer {
  const out = Buffer.alloc(st.length * 4);
  for (let i = 0; i < st.length; i++) {
    if (def.littleEndian) out.writeInt32LE(st[i]!, i * 4);
    else out.writeInt32BE(st[i]!, i * 4);
  }
  return out;
}

function bytesToState(def: HashDef, buf: Buffer): number[] {
  return Array.from({ length: def.iv.length }, (_, i) =>
    def.littleEndian ? buf.readInt32LE(i * 4) : buf.readInt32BE(i * 4),
  );
}

/** Finish a hash started from `state` after `prefixLen` bytes (one block), over `data`. */
function finishFrom(def: HashDef, state: number[], prefixLen: number, data: Buffer): Buffer {
  const total = prefixLen + data.length;
  const padLen = (data.length + 9 + 63) & ~63;
  const buf = Buffer.alloc(padLen);
  data.copy(buf);
  buf[data.length] = 0x80;
  const bits = BigInt(total) * 8n;
  if (def.littleEndian) buf.writeBigUInt64LE(bits, padLen - 8);
  else buf.writeBigUInt64BE(bits, padLen - 8);
  for (let off = 0; off < padLen; off += 64) def.compress(state, buf.subarray(off, off + 64));
  return stateToBytes(def, state);
}

/** Courier's precomputed HMAC secret for `key`: hex(outer state ‖ inner state). */
export function hmacPrecompute(h: StateHash, key: Buffer): string {
  const def = DEFS[h];
  const k = Buffer.alloc(64);
  (key.length > 64 ? finishFrom(def, [...def.iv], 0, key) : key).copy(k);
  const pad = (x: number): Buffer => Buffer.from(k.map((b) => b ^ x));
  const outer = [...def.iv];
  def.compress(outer, pad(0x5c));
  const inner = [...def.iv];
  def.compress(inner, pad(0x36));
  return stateToBytes(def, outer).toString('hex') + stateToBytes(def, inner).toString('hex');
}

/** HMAC of `message` from a precomputed secret (hex outer‖inner); undefined if the secret is malformed. */
export function hmacFromPrecomputed(h: StateHash, secretHex: string, message: Buffer): Buffer | undefined {
  const def = DEFS[h];
  const n = def.iv.length * 4;
  if (!/^[0-9a-fA-F]*$/.test(secretHex) || secretHex.length !== n * 4) return undefined;
  const raw = Buffer.from(secretHex, 'hex');
  const outer = bytesToState(def, raw.subarray(0, n));
  const inner = bytesToState(def, raw.subarray(n, 2 * n));
  const innerDigest = finishFrom(def, inner, 64, message).subarray(0, def.digestLen);
  return finishFrom(def, outer, 64, innerDigest).subarray(0, def.digestLen);
}
