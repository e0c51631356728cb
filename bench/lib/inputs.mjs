// The shared inputs of the code-generation benchmark: the same keys and times for everyone.

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const PERIOD = 30;

/** A small deterministic PRNG (mulberry32), so every run uses the same keys. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RFC 4648 base32 without padding. */
export function base32(bytes) {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** `count` random 20-byte (SHA1-sized) keys as `{base32, hex}`. */
export function makeKeys(count, seed = 20240611) {
  const random = prng(seed);
  return Array.from({ length: count }, () => {
    const bytes = Array.from({ length: 20 }, () => Math.floor(random() * 256));
    return { base32: base32(bytes), hex: bytes.map((b) => b.toString(16).padStart(2, '0')).join('') };
  });
}

/**
 * `count` Unix times, each in a different period and in its middle (so a clock read a few
 * milliseconds late still gives the same code), spread from 2023 onwards.
 */
export function makeTimes(count, seed = 7) {
  const random = prng(seed);
  const start = 1_700_000_000 - (1_700_000_000 % PERIOD);
  return Array.from({ length: count }, (_, i) => start + (i * 997 + Math.floor(random() * 900)) * PERIOD + PERIOD / 2);
}
