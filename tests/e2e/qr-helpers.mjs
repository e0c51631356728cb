// QR helpers for the browser tests: Google Authenticator transfer links written and read here
// field by field (independently of the Rust code under test), and two decoders for pictures of
// what the extension draws: ours (the built transfer module, run in Node) and npm jsQR.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import jsQR from 'jsqr';
import { DIST } from './harness.mjs';

// ---- base32 -------------------------------------------------------------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text) {
  let bits = 0; let value = 0; const out = [];
  for (const char of text.toUpperCase().replace(/=+$/, '')) {
    value = (value << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

export function base32Encode(bytes) {
  let bits = 0; let value = 0; let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) { out += ALPHABET[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

// ---- Google Authenticator transfer payloads (Google's public MigrationPayload schema) -------

function varint(number) {
  const out = [];
  let v = BigInt(number);
  while (v >= 0x80n) { out.push(Number(v & 0x7fn) | 0x80); v >>= 7n; }
  out.push(Number(v));
  return out;
}
const bytesField = (no, bytes) => [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
const intField = (no, value) => [...varint(no << 3), ...varint(value)];

/** `OtpParameters`: algorithm 1 SHA1 / 2 SHA256 / 3 SHA512, digits 1 = 6 / 2 = 8, type 1 HOTP / 2 TOTP. */
function otpParameters({ key, name, issuer, algorithm = 1, digits = 1, type = 2 }) {
  return [
    ...bytesField(1, base32Decode(key)), ...bytesField(2, Buffer.from(name)), ...bytesField(3, Buffer.from(issuer)),
    ...intField(4, algorithm), ...intField(5, digits), ...intField(6, type),
  ];
}

/** An `otpauth-migration://` link holding `accounts`, part `index` (from 0) of `size`. */
export function migrationLink(accounts, { size, index, id }) {
  const payload = [
    ...accounts.flatMap((account) => bytesField(1, otpParameters(account))),
    ...intField(2, 1), ...intField(3, size), ...intField(4, index), ...intField(5, id),
  ];
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(payload).toString('base64'))}`;
}

/** The protobuf fields of `bytes`: [{no, value}] (value a BigInt or a Buffer). */
function fields(bytes) {
  const out = [];
  let at = 0;
  const readVarint = () => {
    let result = 0n; let shift = 0n;
    for (;;) {
      const byte = bytes[at++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
      shift += 7n;
    }
  };
  while (at < bytes.length) {
    const tag = Number(readVarint());
    const [no, wire] = [tag >> 3, tag & 7];
    if (wire === 0) out.push({ no, value: readVarint() });
    else if (wire === 2) {
      const length = Number(readVarint());
      out.push({ no, value: bytes.subarray(at, at + length) });
      at += length;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

const ALGORITHMS = { 0: 'SHA1', 1: 'SHA1', 2: 'SHA256', 3: 'SHA512', 4: 'MD5' };

/** Reads a transfer link: `{size, index, id, accounts: [{key, name, issuer, algorithm, digits, type, counter}]}`. */
export function readMigration(link) {
  const url = new URL(link);
  if (url.protocol !== 'otpauth-migration:') throw new Error(`not a transfer link: ${url.protocol}`);
  const payload = fields(Buffer.from(url.searchParams.get('data'), 'base64'));
  const int = (list, no) => Number(list.find((f) => f.no === no)?.value ?? 0n);
  const accounts = payload.filter((f) => f.no === 1).map((f) => {
    const p = fields(f.value);
    const bytes = (no) => p.find((x) => x.no === no)?.value ?? Buffer.alloc(0);
    return {
      key: base32Encode(bytes(1)),
      name: bytes(2).toString('utf8'),
      issuer: bytes(3).toString('utf8'),
      algorithm: ALGORITHMS[int(p, 4)],
      digits: int(p, 5) === 2 ? 8 : 6,
      type: int(p, 6) === 1 ? 'hotp' : 'totp',
      counter: int(p, 7),
    };
  });
  return { version: int(payload, 2), size: int(payload, 3), index: int(payload, 4), id: int(payload, 5), accounts };
}

// ---- decoding pictures ----------------------------------------------------------------------

let ours = null;

/** Every code's text in an RGBA picture, by our decoder (dist/'s transfer module, in Node). */
export async function decodeOurs({ width, height, data }) {
  if (!ours) {
    const pkg = join(DIST, 'pkg');
    const module = await import(pathToFileURL(join(pkg, 'toolbar_authenticator_transfer.js')));
    module.initSync({ module: await readFile(join(pkg, 'toolbar_authenticator_transfer_bg.wasm')) });
    ours = module;
  }
  return ours.decodeQr(width, height, data).map((code) => code.text);
}

/** The code's text in an RGBA picture, by jsQR (what the leading extension falls back to). */
export function decodeJsQR({ width, height, data }) {
  const found = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height);
  return found?.data ?? null;
}

/** A PNG (e.g. Playwright's element screenshot) as RGBA pixels, decoded by the browser of `page`. */
export async function pngPixels(page, png) {
  const { width, height, data } = await page.evaluate(async (base64) => {
    const blob = await (await fetch(`data:image/png;base64,${base64}`)).blob();
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let text = '';
    for (let i = 0; i < pixels.length; i += 0x8000) {
      text += String.fromCharCode(...pixels.subarray(i, i + 0x8000));
    }
    return { width: bitmap.width, height: bitmap.height, data: btoa(text) };
  }, png.toString('base64'));
  return { width, height, data: new Uint8Array(Buffer.from(data, 'base64')) };
}

/** Screenshots `locator` and decodes it with both decoders: `{ours: [text], jsqr: text}`. */
export async function decodeShown(page, locator) {
  const pixels = await pngPixels(page, await locator.screenshot());
  return { ours: await decodeOurs(pixels), jsqr: decodeJsQR(pixels) };
}
