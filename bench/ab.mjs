// A/B of two builds' per-code paths in one Chromium page, interleaved, so machine noise hits
// both alike (on this shared machine separate runs differ by 20-40%):
//   cp -r dist/pkg /tmp/pkg-a; <change, cargo xtask build>; node bench/ab.mjs /tmp/pkg-a dist/pkg
// Prints the median ns/code of codeAt and codes() for A and B, and B/A. TIMES=n sets the times.
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { benchDist, openBenchPage, startBrowser } from './lib/browser.mjs';
import { makeKeys, makeTimes } from './lib/inputs.mjs';
const [A, B] = process.argv.slice(2);
const dist = await benchDist();
await cp(A, join(dist, 'pkgA'), { recursive: true });
await cp(B, join(dist, 'pkgB'), { recursive: true });
const browser = await startBrowser(dist);
try {
  const page = await openBenchPage(browser);
  const r = await page.evaluate(async ({ keys, times }) => {
    const { vaultRecord } = await import('./bench.js');
    await chrome.storage.local.clear();
    await chrome.storage.local.set({ vault: vaultRecord(keys) });
    const uris = keys.map((key, i) => `otpauth://totp/Bench:user${i}?secret=${key.base32}&issuer=Bench&algorithm=SHA1&digits=6&period=30`);
    const builds = {};
    for (const name of ['A', 'B']) {
      const m = await import(`./pkg${name}/toolbar_authenticator.js`);
      await m.default();
      builds[name] = { m, auth: await m.Authenticator.load() };
    }
    const total = keys.length * times.length;
    const loops = {
      codeAt: ({ m }) => { let x = 0; for (const t of times) for (const u of uris) x += m.codeAt(u, t).length; return x; },
      codes: ({ auth }) => { let x = 0; for (const t of times) { auth.setClockOffset(t * 1000 - Date.now()); x += auth.codes().length; } return x; },
    };
    const out = {};
    for (let round = 0; round < 7; round++) for (const [loop, f] of Object.entries(loops)) for (const name of ['A', 'B']) {
      const s = performance.now(); f(builds[name]); (out[`${loop} ${name}`] ??= []).push((performance.now() - s) * 1e6 / total);
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(med(v.slice(1)))]));
  }, { keys: makeKeys(100), times: makeTimes(Number(process.env.TIMES ?? 200)) });
  console.log(r, 'codeAt B/A', (r['codeAt B'] / r['codeAt A']).toFixed(3), 'codes B/A', (r['codes B'] / r['codes A']).toFixed(3));
} finally { await browser.close(); await browser.cleanup(); await rm(dist, { recursive: true, force: true }); }
