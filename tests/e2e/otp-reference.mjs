// Reference codes for the browser tests, independent of our Rust: oathtool for TOTP and SHA-1
// HOTP, Node's own HMAC for HOTP with another hash (oathtool's --hotp is SHA-1 only), and Steam
// Guard's code written here from Steam's published algorithm. `assertCodes` compares what the
// popup shows with them at the same second.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { awayFromBoundary, codeButton, oathtool, oathtoolHotp, shownCode } from './harness.mjs';

/** The bytes of an unpadded (or padded) upper-case base32 key. */
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const char of text.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

/** Steam Guard's code (HOTP SHA-1 of the 30 s counter, five characters of Steam's alphabet). */
export function steamCode(key, t) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const mac = createHmac('sha1', base32Decode(key)).update(counter).digest();
  let value = mac.readUInt32BE(mac[19] & 0xf) & 0x7fffffff;
  const alphabet = '23456789BCDFGHJKMNPQRTVWXY';
  let code = '';
  for (let i = 0; i < 5; i += 1) { code += alphabet[value % 26]; value = Math.floor(value / 26); }
  return code;
}

/** RFC 4226 with any HMAC, from node's own crypto; `counter` may be a string (exact to 2^64 − 1). */
export function hotpCode(key, counter, algorithm, digits) {
  const moving = Buffer.alloc(8);
  moving.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm.replace('SHA', 'sha'), base32Decode(key)).update(moving).digest();
  const value = mac.readUInt32BE(mac[mac.length - 1] & 0xf) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, '0');
}

/**
 * Checks the popup's code for each expected entry (`{issuer, name, secret, type, algorithm,
 * digits, period?, counter?}`) against the reference at the same second.
 */
export async function assertCodes(popup, entries) {
  for (const entry of entries) {
    const label = [entry.issuer, entry.name].filter(Boolean).join(' ');
    await codeButton(popup, label).waitFor({ timeout: 20_000 });
    const digits = Number(entry.digits);
    if (entry.type === 'hotp') {
      const want = entry.algorithm === 'SHA1'
        ? oathtoolHotp({ key: entry.secret, digits }, entry.counter)
        : hotpCode(entry.secret, entry.counter, entry.algorithm, digits);
      assert.equal(await shownCode(popup, label), want, label);
      continue;
    }
    const period = Number(entry.period ?? 30);
    await awayFromBoundary(period);
    const t = Math.floor(Date.now() / 1000);
    const want = entry.type === 'steam'
      ? steamCode(entry.secret, t)
      : oathtool({ key: entry.secret, algorithm: entry.algorithm, digits, period }, t);
    assert.equal(await shownCode(popup, label), want, label);
  }
}
