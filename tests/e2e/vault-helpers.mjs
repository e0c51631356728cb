// Shared by the vault's browser tests (vault.test.mjs, hardening.test.mjs): passwords through
// the real Settings UI, storage scans, and test-only copies of dist/ (the shipped build has no
// test hook; these copies add one, or break what a test needs broken).

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { patchedDist } from './harness.mjs';
import { base32Decode } from './otp-reference.mjs';

export const PASSWORD = 'correct horse battery staple';
export const SECRETS = [
  'JBSWY3DPEHPK3PXP',
  'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  'MFRGGZDFMZTWQ2LKNNWG23TPOA',
];

const visible = (locator) => locator.filter({ visible: true });
/** The visible field labelled exactly `text`. */
export const label = (page, text) => visible(page.getByLabel(text, { exact: true }));

/** Every way a key could be written down: base32 (both cases), hex, base64 (std/url), raw. */
export function encodings(secret) {
  const bytes = base32Decode(secret);
  return [
    secret, secret.toLowerCase(), bytes.toString('hex'), bytes.toString('hex').toUpperCase(),
    bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url'), bytes.toString('latin1'),
    JSON.stringify([...bytes]).slice(1, -1),
  ];
}

/** Everything in chrome.storage (local, sync and session) as one JSON text. */
export async function dumpAll(page) {
  return page.evaluate(async () => JSON.stringify({
    local: await chrome.storage.local.get(null),
    sync: await chrome.storage.sync.get(null),
    session: await chrome.storage.session.get(null),
  }));
}

/** Fails if any encoding of any of `secrets` is anywhere in chrome.storage. */
export async function assertNoSecretStored(page, secrets) {
  const dump = await dumpAll(page);
  for (const secret of secrets) {
    for (const encoded of encodings(secret)) {
      if (dump.includes(encoded)) throw new Error(`found ${JSON.stringify(encoded)} in storage`);
    }
  }
}

/** Sets a first password through Settings and goes back to the list. */
export async function setPassword(page, password = PASSWORD) {
  await page.getByRole('button', { name: 'Settings' }).click();
  await label(page, 'New password').fill(password);
  await label(page, 'Confirm password').fill(password);
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.getByRole('status').filter({ hasText: 'Password set' }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Back', exact: true }).click();
}

/** Types `password` into the lock screen and presses Unlock. */
export async function unlock(page, password = PASSWORD) {
  await label(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/** Unlocks if the popup shows the lock screen, then waits for the list. */
export async function unlockIfNeeded(page) {
  await page.waitForFunction(() => performance.getEntriesByName('codes-painted').length > 0);
  if (await page.locator('#lock-view').isVisible()) await unlock(page);
  await page.locator('#accounts li').first().waitFor({ timeout: 30_000 });
}

/**
 * A copy of dist/ whose worker also carries the test hook `globalThis.toolbarAuthenticator`
 * (a handle on the vault through the worker's own WASM instance). The shipped worker loads
 * no WebAssembly and has no hook.
 */
export async function hookedDist() {
  const dir = await patchedDist((manifest) => {
    manifest.background.service_worker = 'test-worker.js';
  });
  await writeFile(join(dir, 'test-worker.js'), [
    "import './background.js';",
    "import init, { Authenticator } from './pkg/toolbar_authenticator.js';",
    'let ready = null;',
    'globalThis.toolbarAuthenticator = {',
    '  async load() { ready ??= init(); await ready; return Authenticator.load(); },',
    '};',
    '',
  ].join('\n'));
  return dir;
}

/**
 * A copy of dist/ where `pkg/toolbar_authenticator.js` throws when loaded, as a module that
 * fails to load would; the popup's pages import an intact copy from `pkg-popup/`.
 */
export async function brokenModuleDist() {
  const dir = await patchedDist(() => {});
  const { cp } = await import('node:fs/promises');
  await cp(join(dir, 'pkg'), join(dir, 'pkg-popup'), { recursive: true });
  const { readdir } = await import('node:fs/promises');
  // Every page script that imports the popup's module (popup.js, clock.js, scan.js, …).
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.js'))) {
    const path = join(dir, file);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replaceAll('./pkg/toolbar_authenticator.js', './pkg-popup/toolbar_authenticator.js'));
  }
  await writeFile(join(dir, 'pkg/toolbar_authenticator.js'), "throw new Error('module failed to load');\n");
  return dir;
}

/**
 * Runs in a popup or in a (hooked) worker: `count` additions through that context's own WASM
 * instance. Resolves to the issuers added, the codes of the additions refused, and every
 * edit with the time it started and its outcome (`code` for a refusal).
 */
export async function edits({ who, count }) {
  const auth = globalThis.toolbarAuthenticator
    ? await globalThis.toolbarAuthenticator.load()
    : await (async () => {
      const wasm = await import('./pkg/toolbar_authenticator.js');
      await wasm.default();
      return wasm.Authenticator.load();
    })();
  const secrets = ['JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'MFRGGZDFMZTWQ2LKNNWG23TPOA'];
  const added = [];
  const refused = [];
  const log = [];
  for (let i = 0; i < count; i += 1) {
    const issuer = `${who} ${i}`;
    const started = Date.now();
    try {
      await auth.add({ issuer, name: 'n', secret: secrets[i % 3] });
      added.push(issuer);
      log.push({ issuer, started });
    } catch (error) {
      refused.push(error.code ?? String(error));
      log.push({ issuer, started, code: error.code ?? String(error) });
    }
  }
  return { added, refused, edits: log };
}
