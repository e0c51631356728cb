// Code-generation contenders, run inside the extension (so our WASM loads exactly as the popup
// loads it, under the extension CSP). bench/run.mjs calls the globals below with page.evaluate.
// Every contender computes the same codes (keys x times); the caller compares them.

import init, { Authenticator, codeAt } from './pkg/toolbar_authenticator.js';
import * as OTPAuth from './bench-vendor/otpauth.esm.js';
import JsSHA from './bench-vendor/sha1.mjs';

/* global CryptoJS */

const PERIOD = 30;
const DIGITS = 6;

const wasmReady = init();

/** HOTP dynamic truncation of a hex HMAC-SHA1, as hex-based extensions do it. */
function truncateHex(hmac) {
  const offset = parseInt(hmac.slice(-1), 16);
  const value = parseInt(hmac.substr(offset * 2, 8), 16) & 0x7fffffff;
  return String(value % 10 ** DIGITS).padStart(DIGITS, '0');
}

/** The TOTP counter of Unix time `t` as 16 hex digits. */
function counterHex(t) {
  return Math.floor(t / PERIOD).toString(16).padStart(16, '0');
}

/** A plain schema-1 vault record with one SHA1/6/30 TOTP account per key. */
export function vaultRecord(keys) {
  const accounts = keys.map((key, i) => ({
    id: i.toString(16).padStart(32, '0'),
    issuer: `Bench ${i}`,
    name: `user${i}@example.com`,
    type: 'totp',
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
    secret: key.base32,
  }));
  return JSON.stringify({ schema: 1, revision: 1, accounts });
}

/** Replaces everything stored with a plain vault holding `keys` (or nothing). */
async function seed(keys) {
  await chrome.storage.local.clear();
  await chrome.storage.session.clear();
  if (keys.length > 0) await chrome.storage.local.set({ vault: vaultRecord(keys) });
}

/**
 * One function per contender: `(times, out)` fills `out[ti * keys.length + k]` with the code of
 * key `k` at `times[ti]`. Set-up that a real caller does once per account is done here.
 */
async function contenders(keys) {
  await wasmReady;
  const uris = keys.map((key, i) => `otpauth://totp/Bench:user${i}?secret=${key.base32}`
    + `&issuer=Bench&algorithm=SHA1&digits=${DIGITS}&period=${PERIOD}`);
  await seed(keys);
  const auth = await Authenticator.load();
  const slot = new Map(keys.map((_, i) => [i.toString(16).padStart(32, '0'), i]));
  const ids = auth.accounts().map((account) => account.id);
  const totps = keys.map((key) => new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(key.base32), algorithm: 'SHA1', digits: DIGITS, period: PERIOD,
  }));
  const n = keys.length;
  return {
    wasm_codeAt(times, out) {
      times.forEach((t, ti) => {
        for (let k = 0; k < n; k += 1) out[ti * n + k] = codeAt(uris[k], t);
      });
    },
    wasm_bulk(times, out) {
      times.forEach((t, ti) => {
        // codes() reads the clock itself; the offset moves "now" to t (times are mid-period).
        auth.setClockOffset(t * 1000 - Date.now());
        // One line per account in accounts() order: `code \t display \t msLeft`.
        auth.codes().split('\n').forEach((line, k) => {
          out[ti * n + slot.get(ids[k])] = line.slice(0, line.indexOf('\t'));
        });
      });
    },
    otpauth(times, out) {
      times.forEach((t, ti) => {
        const timestamp = t * 1000;
        for (let k = 0; k < n; k += 1) out[ti * n + k] = totps[k].generate({ timestamp });
      });
    },
    jssha(times, out) {
      times.forEach((t, ti) => {
        const counter = counterHex(t);
        for (let k = 0; k < n; k += 1) {
          const sha = new JsSHA('SHA-1', 'HEX', { hmacKey: { value: keys[k].hex, format: 'HEX' } });
          sha.update(counter);
          out[ti * n + k] = truncateHex(sha.getHash('HEX'));
        }
      });
    },
    crypto_js(times, out) {
      times.forEach((t, ti) => {
        const counter = CryptoJS.enc.Hex.parse(counterHex(t));
        for (let k = 0; k < n; k += 1) {
          const hmac = CryptoJS.HmacSHA1(counter, CryptoJS.enc.Hex.parse(keys[k].hex));
          out[ti * n + k] = truncateHex(hmac.toString(CryptoJS.enc.Hex));
        }
      });
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** First index where `codes` differs from `reference`, or -1. */
function firstMismatch(reference, codes) {
  for (let i = 0; i < reference.length; i += 1) if (codes[i] !== reference[i]) return i;
  return -1;
}

/** Set by `benchCodesSetup`: the contenders, their inputs and outputs, and timed blocks. */
let codeBench = null;

/**
 * Part 1, set-up: prepares every contender for `keys` x `times` and lets each compute every
 * code once (warm-up, and what `benchCodesCheck` compares). Resolves to the contenders' names.
 * bench/lib/codes.mjs then sizes each contender's block with `benchCodesBlock` and times the
 * blocks in interleaved rounds with `benchCodesRun` (one contender per call, so rounds can
 * include the native bench and the CPU time can be read around each call).
 */
globalThis.benchCodesSetup = async ({ keys, times }) => {
  const all = await contenders(keys);
  const total = keys.length * times.length;
  const outs = Object.fromEntries(Object.keys(all).map((name) => [name, new Array(total)]));
  for (const [name, run] of Object.entries(all)) run(times, outs[name]);
  codeBench = { all, keys, times, outs, blocks: {} };
  for (const name of Object.keys(all)) globalThis.benchCodesBlock(name, 1);
  return Object.keys(all);
};

/** Sets contender `name`'s timed block to `length` times (the inputs' times, cycled). */
globalThis.benchCodesBlock = (name, length) => {
  const { keys, times, blocks } = codeBench;
  const block = Array.from({ length }, (_, i) => times[i % times.length]);
  blocks[name] = { times: block, out: new Array(length * keys.length) };
};

/** Part 1, one timing: contender `name` computes its block; resolves to wall-clock ns per code. */
globalThis.benchCodesRun = (name) => {
  const { all, keys, blocks } = codeBench;
  const block = blocks[name];
  const started = performance.now();
  all[name](block.times, block.out);
  return ((performance.now() - started) * 1e6) / (keys.length * block.times.length);
};

/**
 * Part 1, the check: per contender, the first code that differs from `wasm_codeAt`'s (null when
 * every code is identical), over every key and time.
 */
globalThis.benchCodesCheck = () => {
  const { all, keys, times, outs } = codeBench;
  const reference = outs.wasm_codeAt;
  return Object.fromEntries(Object.keys(all).map((name) => {
    const at = firstMismatch(reference, outs[name]);
    return [name, at < 0 ? null : {
      key: Math.floor(at % keys.length),
      time: times[Math.floor(at / keys.length)],
      expected: reference[at],
      got: outs[name][at],
    }];
  }));
};

/** Stores a plain vault for the popup benchmarks. */
globalThis.benchSeed = seed;

/**
 * Part 4: protects a vault of `keys` with a password, then times lock + unlock `runs` times
 * (only unlock is timed: Argon2id key derivation and decryption).
 */
globalThis.benchUnlock = async ({ keys, runs }) => {
  await wasmReady;
  await seed(keys);
  const auth = await Authenticator.load();
  const password = 'correct horse battery staple';
  await auth.setPassword(password, password);
  const ms = [];
  for (let i = 0; i < runs; i += 1) {
    await auth.lock();
    if (auth.status().state !== 'locked') throw new Error('lock() did not lock');
    const started = performance.now();
    await auth.unlock(password);
    ms.push(performance.now() - started);
    const status = auth.status();
    if (status.state !== 'ready' || status.count !== keys.length) {
      throw new Error(`unlock gave ${JSON.stringify(status)}`);
    }
  }
  await seed([]);
  return { medianMs: median(ms), runsMs: ms };
};

globalThis.benchReady = wasmReady.then(() => true);
