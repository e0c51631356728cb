// An independent reader of Aegis encrypted vaults, for tests/aegis_export.rs: it shares no code
// with our Rust writer or reader. It follows Aegis's own description (docs/vault.md in its
// repository): scrypt(password, slot salt, N, r, p) unwraps the master key from a password slot
// (type 1) with AES-256-GCM; the master key opens `db` with AES-256-GCM and header.params.
//
// Usage: AEGIS_PASSWORD=… node tests/node/aegis_decrypt.mjs vault.json
// Checks every field Aegis needs to import the vault, exits 1 naming the first one that is
// wrong, and prints the decrypted content (the JSON text, unchanged) on stdout.
import { readFileSync } from 'node:fs';
import { createDecipheriv, scryptSync } from 'node:crypto';

const fail = (what) => {
  process.stderr.write(`aegis_decrypt: ${what}\n`);
  process.exit(1);
};
const check = (ok, what) => ok || fail(what);

const HEX = (bytes) => new RegExp(`^[0-9a-f]{${bytes * 2}}$`);
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BASE32 = /^[A-Z2-7]+$/;

function gcmOpen(key, nonceHex, tagHex, ciphertext) {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonceHex, 'hex'));
  decipher.setAuthTag(Buffer.from(tagHex, 'hex'));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

const [path] = process.argv.slice(2);
const password = process.env.AEGIS_PASSWORD ?? fail('AEGIS_PASSWORD is not set');
const vault = JSON.parse(readFileSync(path, 'utf8'));

check(vault.version === 1, 'version is not 1');
const { header, db } = vault;
check(typeof db === 'string', 'db is not a base64 string (the vault is not encrypted)');
check(header && Array.isArray(header.slots), 'header.slots is not an array');
check(/^[A-Za-z0-9+/]+={0,2}$/.test(db) && db.length % 4 === 0, 'db is not padded base64');
check(HEX(12).test(header.params?.nonce ?? ''), 'header.params.nonce is not 12 bytes of hex');
check(HEX(16).test(header.params?.tag ?? ''), 'header.params.tag is not 16 bytes of hex');

const slots = header.slots.filter((slot) => slot.type === 1);
check(slots.length === 1, `expected one password slot (type 1), found ${slots.length}`);
const [slot] = slots;
check(UUID4.test(slot.uuid ?? ''), 'slot uuid is not a version 4 UUID');
check(slot.n === 32768 && slot.r === 8 && slot.p === 1, 'slot scrypt is not N=32768 r=8 p=1');
check(HEX(32).test(slot.salt ?? ''), 'slot salt is not 32 bytes of hex');
check(HEX(32).test(slot.key ?? ''), 'slot key is not 32 bytes of hex');
check(HEX(12).test(slot.key_params?.nonce ?? ''), 'slot key_params.nonce is not 12 bytes');
check(HEX(16).test(slot.key_params?.tag ?? ''), 'slot key_params.tag is not 16 bytes');

const derived = scryptSync(Buffer.from(password, 'utf8'), Buffer.from(slot.salt, 'hex'), 32, {
  N: slot.n,
  r: slot.r,
  p: slot.p,
  maxmem: 64 * 1024 * 1024,
});
let master;
try {
  master = gcmOpen(derived, slot.key_params.nonce, slot.key_params.tag, Buffer.from(slot.key, 'hex'));
} catch {
  fail('the password does not unwrap the master key');
}
check(master.length === 32, 'the master key is not 32 bytes');
let plain;
try {
  plain = gcmOpen(master, header.params.nonce, header.params.tag, Buffer.from(db, 'base64'));
} catch {
  fail('the master key does not open db');
}

const text = plain.toString('utf8');
const content = JSON.parse(text);
check(content.version === 3, 'db.version is not 3');
check(Array.isArray(content.entries), 'db.entries is not an array');
check(Array.isArray(content.groups), 'db.groups is not an array');
const JAVA_LONG_MAX = 2n ** 63n - 1n;
content.entries.forEach((entry, i) => {
  const at = (what) => `entry ${i}: ${what}`;
  check(['totp', 'hotp', 'steam'].includes(entry.type), at(`type ${entry.type}`));
  check(UUID4.test(entry.uuid ?? ''), at('uuid is not a version 4 UUID'));
  check(typeof entry.name === 'string' && typeof entry.issuer === 'string', at('labels'));
  check(typeof entry.note === 'string', at('note'));
  check(typeof entry.favorite === 'boolean', at('favorite'));
  check(entry.icon === null, at('icon'));
  check(Array.isArray(entry.groups), at('groups'));
  const { info } = entry;
  check(info && BASE32.test(info.secret ?? ''), at('info.secret is not unpadded base32'));
  check(['SHA1', 'SHA256', 'SHA512'].includes(info.algo), at(`info.algo ${info.algo}`));
  check(Number.isInteger(info.digits), at('info.digits'));
  if (entry.type === 'hotp') {
    // Aegis reads the counter as a Java long: find its digits in the text, not as a float.
    check(Number.isInteger(info.counter) && info.counter >= 0, at('info.counter'));
    check(!('period' in info), at('an HOTP entry has a period'));
  } else {
    check(Number.isInteger(info.period) && info.period > 0, at('info.period'));
    check(!('counter' in info), at('a time-based entry has a counter'));
  }
  if (entry.type === 'steam') {
    check(info.digits === 5 && info.algo === 'SHA1' && info.period === 30, at('steam params'));
  }
});
for (const match of text.matchAll(/"counter":(\d+)/g)) {
  check(BigInt(match[1]) <= JAVA_LONG_MAX, `counter ${match[1]} is beyond a Java long`);
}
process.stdout.write(text);
