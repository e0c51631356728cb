// The decode-rate corpus: which codes to draw and how. Deterministic (seeded): the same specs
// on every run. Codes are made here by npm `qrcode` (an encoder independent of ours) at error
// correction level M; the page (page/qr.js) draws each spec on a canvas.

import QRCode from 'qrcode';

/** mulberry32: a small seeded generator, [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Byte-mode capacity at level M of versions 1..25 (ISO/IEC 18004 table 7). */
const BYTES_M = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504,
  560, 624, 666, 711, 779, 857, 911, 997];

const ISSUERS = ['GitHub', 'Google', 'Example Bank', 'Microsoft', 'Dropbox', 'Amazon Web Services',
  'Proton', 'Bitwarden', 'Cloudflare', 'Société Générale', 'npm', 'Mastodon'];
const NAMES = ['alice@example.com', 'bob', 'carol.smith@example.org', 'dave+2fa@mail.example',
  'erin', 'frank_the_admin', 'grace@example.net'];
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function pick(r, list) { return list[Math.floor(r() * list.length)]; }

function base32(r, chars) {
  let s = '';
  for (let i = 0; i < chars; i += 1) s += B32[Math.floor(r() * 32)];
  return s;
}

/**
 * A realistic `otpauth://` link of about `length` characters (padded in the account name): with
 * issuer and a 32-character key when that fits, else the shortest form sites use.
 */
function otpauthLink(r, length) {
  const issuer = pick(r, ISSUERS);
  const extra = r() < 0.3 ? `&algorithm=SHA256&digits=8&period=${pick(r, [30, 60])}` : '';
  const key = base32(r, 32);
  const full = (name) => `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(name)}`
    + `?secret=${key}&issuer=${encodeURIComponent(issuer)}${extra}`;
  const short = (name) => `otpauth://totp/${encodeURIComponent(name)}?secret=${key.slice(0, 16)}`;
  const make = full('a').length <= length ? full : short;
  let name = pick(r, NAMES);
  while (make(name).length < length) name += pick(r, ['x', '.', '-', '1']);
  while (make(name).length > length && name.length > 1) name = name.slice(0, -1);
  return make(name);
}

// --- Google Authenticator transfer payloads (protobuf MigrationPayload), written here. ---

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}
const field = (no, type) => varint((no << 3) | type);
const bytesField = (no, bytes) => [...field(no, 2), ...varint(bytes.length), ...bytes];
const intField = (no, n) => [...field(no, 0), ...varint(n)];
const utf8 = (s) => [...Buffer.from(s, 'utf8')];

function otpParameters(r, name) {
  const secret = Array.from({ length: 20 }, () => Math.floor(r() * 256));
  const hotp = r() < 0.15;
  return [
    ...bytesField(1, secret), ...bytesField(2, utf8(name)), ...bytesField(3, utf8(pick(r, ISSUERS))),
    ...intField(4, 1), ...intField(5, r() < 0.2 ? 2 : 1), ...intField(6, hotp ? 1 : 2),
    ...(hotp ? intField(7, Math.floor(r() * 1e6)) : []),
  ];
}

function migrationLink(accounts, batch) {
  const payload = [
    ...accounts.flatMap((a) => bytesField(1, a)),
    ...intField(2, 1), ...intField(3, batch.size), ...intField(4, batch.index), ...intField(5, batch.id),
  ];
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(payload).toString('base64'))}`;
}

/** A dense transfer link of at most `length` characters, as full as accounts make it. */
function migrationText(r, length) {
  const batch = { size: 1 + Math.floor(r() * 3), index: 0, id: Math.floor(r() * 2 ** 31) };
  const accounts = [];
  for (;;) {
    const next = [...accounts, otpParameters(r, pick(r, NAMES))];
    if (migrationLink(next, batch).length > length) break;
    accounts.push(next.at(-1));
  }
  if (accounts.length === 0) accounts.push(otpParameters(r, 'a'));
  // Fill the rest with a longer last name.
  let last = accounts.length - 1;
  let name = 'x';
  for (;;) {
    const trial = [...accounts.slice(0, last), otpParameters(rng(last + 7), name + 'y')];
    if (migrationLink(trial, batch).length > length) break;
    name += 'y';
    accounts[last] = trial[last];
  }
  return migrationLink(accounts, batch);
}

/** The text for a code of version `v`: bare keys (1-2), `otpauth://` links (3-9), transfers. */
function payloadFor(r, v) {
  const low = v === 1 ? 8 : BYTES_M[v - 2] + 1;
  const high = BYTES_M[v - 1];
  const length = Math.floor(low + r() * (high - low));
  if (v <= 2) return base32(r, v === 1 ? 16 : 32); // alphanumeric: 20 and 38 fit
  if (v <= 9) return otpauthLink(r, length);
  return migrationText(r, length);
}

/** One of the three ways a page draws a code (see drawCode in page/qr.js). */
const anyDraw = (r) => pick(r, ['nearest', 'vector', 'bitmap']);
const smoothDraw = (r) => pick(r, ['vector', 'bitmap']);

/** How each category draws its codes (the page reads these fields). */
const CATEGORIES = {
  'clean, 1-2 px/module': (r) => (r() < 0.4 ? { ppm: 1, draw: 'nearest' } : { ppm: 1 + r(), draw: anyDraw(r) }),
  'clean, 2-8 px/module': (r) => ({ ppm: 2 + Math.floor(r() * 7), draw: 'nearest' }),
  'scaled (non-integer)': (r) => ({ ppm: 2 + r() * 6, draw: anyDraw(r) }),
  'rotated 1-10°': (r) => ({ ppm: 2 + r() * 6, draw: smoothDraw(r), angle: (r() < 0.5 ? -1 : 1) * (1 + r() * 9) }),
  'JPEG q 0.3-0.8': (r) => ({ ppm: 2 + r() * 6, draw: anyDraw(r), jpeg: 0.3 + r() * 0.5 }),
  'noise σ 8-32': (r) => ({ ppm: 2 + r() * 6, draw: anyDraw(r), noise: 8 + r() * 24 }),
  'inverted (light on dark)': (r) => ({ ppm: 2 + r() * 6, draw: anyDraw(r), invert: true }),
  'busy page': (r) => ({ ppm: 2 + r() * 6, draw: anyDraw(r), busy: true }),
};

export const CATEGORY_NAMES = Object.keys(CATEGORIES);

/**
 * `perCategory` specs per category, versions 1..25 in turn: {category, text, version, size,
 * modules (a '0'/'1' string, row by row), ppm, draw, angle?, jpeg?, noise?, invert?, busy?,
 * seed}.
 */
export function makeCorpus({ perCategory, seed = 20261201 }) {
  const specs = [];
  for (const [c, [category, draw]] of Object.entries(CATEGORIES).entries()) {
    for (let i = 0; i < perCategory; i += 1) {
      const r = rng(seed + c * 100_003 + i * 7919);
      const version = 1 + ((i + c * 3) % 25);
      const text = payloadFor(r, version);
      // One segment (bare keys are alphanumeric, the rest bytes): the capacities are exact for it.
      const code = QRCode.create([{ data: text, mode: version <= 2 ? 'alphanumeric' : 'byte' }], { errorCorrectionLevel: 'M', version });
      const { size, data } = code.modules;
      specs.push({
        category, text, version, size,
        modules: Array.from(data, (b) => (b ? '1' : '0')).join(''),
        angle: 0, jpeg: 0, noise: 0, invert: false, busy: false,
        ...draw(r), seed: Math.floor(r() * 2 ** 31),
      });
    }
  }
  return specs;
}
