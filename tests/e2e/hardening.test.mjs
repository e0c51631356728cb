// Issue 13 in real headless Chromium: no plaintext or old key left by a protection change, no
// silent downgrade or rollback, nothing unreadable treated as absent, a lock that stays locked,
// and passwords (length, NFC, key derivation). Each test failed on the code before the fix.
// The idle lock needs a display (tests/e2e/idle.test.mjs).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  DIST, ROOT, closeAll, codeButton, launch, openPopup, seedAccounts, storedLocal,
} from './harness.mjs';
import {
  PASSWORD, SECRETS, assertNoSecretStored, brokenModuleDist, edits, hookedDist, label,
  setPassword, unlock, unlockIfNeeded,
} from './vault-helpers.mjs';

after(closeAll);

const LOCKED = 'Your accounts are locked';
const DAMAGED = 'Your accounts could not be read';

/** A plain (schema 1) record with one account, as a storage writer could put it. */
function plainRecord(issuer, secret, revision = 1) {
  return JSON.stringify({
    schema: 1,
    revision,
    accounts: [{
      id: 'f'.repeat(32), issuer, name: 'x', type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, secret,
    }],
  });
}

/** The sealed record `text` with one ciphertext character changed. */
function altered(text) {
  const record = JSON.parse(text);
  const first = record.ciphertext[0] === 'A' ? 'B' : 'A';
  return JSON.stringify({ ...record, ciphertext: first + record.ciphertext.slice(1) });
}

async function openWith(browser, items) {
  const page = await openPopup(browser);
  await page.evaluate((values) => chrome.storage.local.set(values), items);
  await page.reload();
  return page;
}

const heading = (page, name) => page.getByRole('heading', { name }).waitFor({ timeout: 30_000 });
const alert = (page, text) => page.getByRole('alert').filter({ hasText: text }).first()
  .waitFor({ timeout: 30_000 });

async function withBrowser(options, body) {
  const browser = await launch(options);
  try {
    await body(browser);
  } finally {
    await browser.close();
    await browser.cleanup();
  }
}

describe('plaintext and old keys do not survive a protection change', () => {
  test('showing the previous copy, Set password leaves no key in any encoding; Change leaves nothing under the old one', () => withBrowser({}, async (browser) => {
    const page = await openPopup(browser);
    await seedAccounts(page, SECRETS.map((secret, i) => ({ issuer: `Prev ${i}`, name: 'p', secret })));
    await seedAccounts(page, [{ issuer: 'Latest', name: 'l', secret: SECRETS[0] }]);
    await page.evaluate(() => chrome.storage.local.set({ vault: '{"schema":1,"revision":' }));
    await page.reload();
    await alert(page, 'previous copy is shown');
    await setPassword(page);
    await assertNoSecretStored(page, SECRETS);

    await page.evaluate(() => chrome.storage.local.set({ vault: '{"broken' }));
    await page.reload();
    await alert(page, 'previous copy is shown');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Change password' }).click();
    await label(page, 'Current password').fill(PASSWORD);
    await label(page, 'New password').fill('second password 2');
    await label(page, 'Confirm password').fill('second password 2');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor({ timeout: 30_000 });
    const stored = await storedLocal(page);
    const salt = JSON.parse(stored.vault).kdf.salt;
    assert.equal(JSON.parse(stored.vault_previous).kdf.salt, salt, 'the previous generation is under the new password');
    const aside = Object.keys(stored).filter((key) => key.startsWith('vault_damaged'));
    assert.ok(aside.length >= 2);
    for (const key of aside) assert.equal(JSON.parse(stored[key]).kdf.salt, salt, `${key} is under the new password`);
    await assertNoSecretStored(page, SECRETS);
  }));

  test('a stale popup cannot set a password over the one another window set', () => withBrowser({}, async (browser) => {
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Shared', name: 's', secret: SECRETS[0] }]);
    await page.reload();
    // A handle loaded while the vault was plain, as a popup opened before holds one.
    await page.evaluate(async () => {
      const wasm = await import('./pkg/toolbar_authenticator.js');
      await wasm.default();
      globalThis.stale = await wasm.Authenticator.load();
    });
    await setPassword(page);
    const refused = await page.evaluate(async () => {
      try {
        await globalThis.stale.setPassword('another password', 'another password');
        return null;
      } catch (error) {
        return error.code;
      }
    });
    assert.equal(refused, 'vault.already-protected');
    await page.getByRole('button', { name: 'Lock now' }).click();
    await heading(page, LOCKED);
    await unlock(page);
    await codeButton(page, 'Shared s').waitFor({ timeout: 30_000 });
  }));

  test('every popup re-renders when another one sets a password, Settings included', () => withBrowser({}, async (browser) => {
    const first = await openPopup(browser);
    await seedAccounts(first, [{ issuer: 'Shared', name: 's', secret: SECRETS[0] }]);
    await first.reload();
    const second = await openPopup(browser);
    await codeButton(second, 'Shared s').waitFor();
    await second.getByRole('button', { name: 'Settings' }).click();
    await second.getByRole('button', { name: 'Set password' }).waitFor();
    await setPassword(first);
    // The other popup shows the change: Settings offers Change/Remove, the header Lock now.
    await second.getByRole('button', { name: 'Change password' }).waitFor({ timeout: 30_000 });
    assert.equal(await second.locator('#set-password').isHidden(), true);
    await second.getByRole('button', { name: 'Back', exact: true }).click();
    await second.getByRole('button', { name: 'Lock now' }).waitFor({ timeout: 30_000 });
  }));
});

describe('no silent downgrade, no rollback', () => {
  test('a plain record put where the sealed one was is not used, and the next edit writes no plaintext', () => withBrowser({}, async (browser) => {
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Mine', name: 'm', secret: SECRETS[0] }]);
    await page.reload();
    await setPassword(page);
    await page.evaluate((vault) => chrome.storage.local.set({ vault }), plainRecord('Planted', SECRETS[2], 99));
    await page.reload();
    await alert(page, 'without password protection');
    await codeButton(page, 'Mine m').waitFor();
    assert.equal(await codeButton(page, 'Planted x').count(), 0);

    await seedAccounts(page, [{ issuer: 'After', name: 'a', secret: SECRETS[1] }]);
    const stored = await storedLocal(page);
    assert.equal(JSON.parse(stored.vault).schema, 3, 'still sealed');
    await assertNoSecretStored(page, [SECRETS[0], SECRETS[1]]);
    const aside = Object.keys(stored).filter((key) => key.startsWith('vault_damaged'));
    assert.equal(aside.length, 1, 'the planted record is kept aside');
    assert.ok(!stored[aside[0]].includes('Planted'), 'and sealed');

    // Locked: the planted record does not open the list either.
    await page.getByRole('button', { name: 'Lock now' }).click();
    await heading(page, LOCKED);
    await page.evaluate((vault) => chrome.storage.local.set({ vault }), plainRecord('Planted', SECRETS[2], 99));
    await page.reload();
    await heading(page, LOCKED);
    assert.equal(await codeButton(page, 'Planted x').count(), 0);
  }));

  test('an older generation copied back is refused, so an HOTP counter cannot go back', () => withBrowser({}, async (browser) => {
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Counter', name: 'c', secret: SECRETS[0], type: 'hotp', counter: '0' }]);
    await page.reload();
    await setPassword(page);
    const saved = await storedLocal(page);
    for (let i = 0; i < 2; i += 1) {
      await page.getByRole('button', { name: /^Next code for Counter/ }).click();
    }
    await page.waitForFunction(() => chrome.storage.local.get('vault')
      .then(({ vault }) => JSON.parse(vault).revision >= 4));
    const now = await storedLocal(page);

    await page.evaluate((vault) => chrome.storage.local.set({ vault }), now.vault_previous);
    await page.reload();
    await heading(page, DAMAGED);
    assert.match(await page.locator('#damaged-text').innerText(), /older than/);

    // A whole earlier copy (both generations) put back is refused too.
    await page.evaluate((items) => chrome.storage.local.set(items), { vault: saved.vault, vault_previous: saved.vault_previous });
    await page.reload();
    await heading(page, DAMAGED);
    assert.equal((await storedLocal(page)).vault, saved.vault, 'never written over');
  }));

  test('locked, a right password on damaged records reaches the damaged view; a wrong one says Wrong password', () => withBrowser({}, async (browser) => {
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Both', name: 'b', secret: SECRETS[0] }]);
    await page.reload();
    await setPassword(page);
    await page.getByRole('button', { name: 'Lock now' }).click();
    await heading(page, LOCKED);
    const stored = await storedLocal(page);
    const damaged = { vault: altered(stored.vault), vault_previous: altered(stored.vault_previous) };
    await page.evaluate((items) => chrome.storage.local.set(items), damaged);
    await page.reload();
    await heading(page, LOCKED);
    await unlock(page, 'not the password');
    await alert(page, 'Wrong password');
    await unlock(page);
    await heading(page, DAMAGED);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download stored data' }).click();
    assert.equal(await readFile(await (await download).path(), 'utf8'), damaged.vault);
  }));
});

describe('nothing unreadable is treated as absent', () => {
  test('no current record and an unreadable previous one is damage, not a first run', () => withBrowser({}, async (browser) => {
    let page = await openWith(browser, { vault_previous: '{"schema":1,"revision":' });
    await heading(page, DAMAGED);
    assert.equal(await page.locator('#empty').isVisible(), false);
    page = await openWith(browser, { vault_previous: JSON.stringify({ schema: 99, revision: 1 }) });
    await heading(page, DAMAGED);
    assert.match(await page.locator('#damaged-text').innerText(), /newer version/);
  }));

  test('a stored value that is not text is damage, offered as JSON, and kept aside by the next edit', () => withBrowser({}, async (browser) => {
    const value = { schema: 1, revision: 5, accounts: [], from: 'a future version' };
    let page = await openWith(browser, { vault: value });
    await heading(page, DAMAGED);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download stored data' }).click();
    const stored = (await storedLocal(page)).vault;
    assert.deepEqual(stored, value, 'left as it was');
    assert.equal(await readFile(await (await download).path(), 'utf8'), JSON.stringify(stored));

    page = await openWith(browser, { vault: value, vault_previous: plainRecord('Older', SECRETS[0]) });
    await alert(page, 'previous copy is shown');
    await seedAccounts(page, [{ issuer: 'New', name: 'n', secret: SECRETS[1] }]);
    const after = await storedLocal(page);
    const aside = Object.keys(after).filter((key) => key.startsWith('vault_damaged'));
    assert.deepEqual(aside.map((key) => JSON.parse(after[key])), [value]);
  }));

  test('an unreadable previous generation is kept aside before an edit replaces it', () => withBrowser({}, async (browser) => {
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Current', name: 'c', secret: SECRETS[0] }]);
    await page.evaluate(() => chrome.storage.local.set({ vault_previous: '{"schema":1,"revision": broken' }));
    await page.reload();
    await codeButton(page, 'Current c').waitFor();
    await seedAccounts(page, [{ issuer: 'Second', name: 's', secret: SECRETS[1] }]);
    const stored = await storedLocal(page);
    const aside = Object.keys(stored).filter((key) => key.startsWith('vault_damaged'));
    assert.deepEqual(aside.map((key) => stored[key]), ['{"schema":1,"revision": broken']);
  }));

  test('records kept aside are listed in Settings with date and size; Download; Delete only when confirmed', () => withBrowser({}, async (browser) => {
    const page = await openWith(browser, {
      'vault_damaged:1790000000000:vault': 'first record',
      'vault_damaged:1795000000000:vault_previous': 'x'.repeat(2500),
    });
    await page.getByRole('button', { name: 'Settings' }).click();
    const items = page.locator('#kept-aside-list li');
    await items.first().waitFor();
    assert.equal(await items.count(), 2);
    const texts = await items.allTextContents();
    assert.match(texts[0], /2026/);
    assert.match(texts[0], /2\.5\s*kB/);
    assert.match(texts[1], /2026/);
    assert.match(texts[1], /12\s*byte/);
    const download = page.waitForEvent('download');
    await items.nth(1).getByRole('button', { name: /^Download the record kept/ }).click();
    assert.equal(await readFile(await (await download).path(), 'utf8'), 'first record');

    const remove = items.nth(1).getByRole('button', { name: /^Delete the record kept/ });
    await remove.click();
    await page.getByText('Press Delete again to confirm').waitFor();
    assert.equal((await storedLocal(page))['vault_damaged:1790000000000:vault'], 'first record', 'not before confirming');
    await remove.click();
    await page.getByRole('status').filter({ hasText: 'Record deleted' }).waitFor();
    const stored = await storedLocal(page);
    assert.equal('vault_damaged:1790000000000:vault' in stored, false);
    assert.equal(stored['vault_damaged:1795000000000:vault_previous'].length, 2500);
    assert.equal(await items.count(), 1);
  }));

  test('a full storage says "Storage is full" and changes nothing', () => withBrowser({}, async (browser) => {
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Kept', name: 'k', secret: SECRETS[0] }]);
    await page.reload();
    await codeButton(page, 'Kept k').waitFor();
    // Fill chrome.storage.local up to a few bytes under its quota (no unlimitedStorage).
    await page.evaluate(async () => {
      const quota = chrome.storage.local.QUOTA_BYTES;
      const used = await chrome.storage.local.getBytesInUse(null);
      const filler = quota - used - 'filler'.length - 2 - 40;
      await chrome.storage.local.set({ filler: 'f'.repeat(filler) });
    });
    const before = await storedLocal(page);
    await page.getByRole('button', { name: 'Add account' }).click();
    await label(page, 'Issuer').fill('Too much');
    await label(page, 'Secret key').fill(SECRETS[1]);
    await page.getByRole('button', { name: 'Save' }).click();
    await alert(page, 'Storage is full');
    assert.deepEqual(await storedLocal(page), before, 'nothing changed');
  }));
});

describe('a lock that stays locked', () => {
  test('Lock now racing 50 edits from two popups and the worker: locked at the end, no edit lost', async () => {
    const dist = await hookedDist();
    await withBrowser({ dist }, async (browser) => {
      const first = await openPopup(browser);
      await seedAccounts(first, [{ issuer: 'Seed', name: 's', secret: SECRETS[0] }]);
      await first.reload();
      await setPassword(first);
      const second = await openPopup(browser);
      await codeButton(second, 'Seed s').waitFor();
      const runs = Promise.all([
        first.evaluate(edits, { who: 'first', count: 50 }),
        second.evaluate(edits, { who: 'second', count: 50 }),
        browser.worker.evaluate(edits, { who: 'worker', count: 50 }),
      ]);
      // Lock while an edit is being written: Lock now, pressed the moment an edit has stored
      // the records (and before it has finished: it still holds the write lock then).
      await first.waitForFunction(() => chrome.storage.local.get('vault')
        .then(({ vault }) => JSON.parse(vault).revision >= 12), null, { polling: 20 });
      const lockedAt = await first.evaluate(() => new Promise((resolve) => {
        chrome.storage.onChanged.addListener(function pressLockNow(changes, area) {
          if (area !== 'local' || !('vault' in changes)) return;
          chrome.storage.onChanged.removeListener(pressLockNow);
          document.getElementById('lock-button').click();
          resolve(Date.now());
        });
      }));
      const results = await runs;
      assert.deepEqual(await first.evaluate(() => chrome.storage.session.get('vault_key')), {}, 'still locked');
      let added = 0;
      for (const result of results) {
        for (const edit of result.edits) {
          if (edit.started > lockedAt + 1000) assert.equal(edit.code, 'vault.locked', `${edit.issuer} was written after the lock`);
          if (edit.code) assert.equal(edit.code, 'vault.locked');
          else added += 1;
        }
      }
      assert.ok(added < 150, 'the lock landed while edits were being written');
      await heading(first, LOCKED);
      await first.reload();
      await unlockIfNeeded(first);
      const shown = new Set(await first.locator('#accounts .issuer').allTextContents());
      for (const result of results) {
        for (const edit of result.edits) {
          if (!edit.code) assert.ok(shown.has(edit.issuer), `${edit.issuer} was added, then lost`);
        }
      }
      assert.equal(shown.size, added + 1);
    });
  });

  test('the shipped worker has no test hook', async () => {
    const shipped = await readFile(join(DIST, 'background.js'), 'utf8');
    assert.ok(!shipped.includes('toolbarAuthenticator'), 'no test hook in the shipped worker');
    await withBrowser({}, async (browser) => {
      assert.equal(await browser.worker.evaluate(() => 'toolbarAuthenticator' in globalThis), false);
    });
  });

  test('a module that fails to load does not stop the auto-lock', async () => {
    const dist = await brokenModuleDist();
    await withBrowser({ dist }, async (browser) => {
      let page = await openPopup(browser);
      await page.evaluate(async (secret) => {
        const wasm = await import('./pkg-popup/toolbar_authenticator.js');
        await wasm.default();
        await (await wasm.Authenticator.load()).add({ issuer: 'Idle', name: 'i', secret });
      }, SECRETS[0]);
      await page.reload();
      await setPassword(page);
      await page.evaluate(() => chrome.storage.local.set({ autoLockMinutes: 0.1 }));
      await page.close();
      page = await openPopup(browser);
      await codeButton(page, 'Idle i').waitFor();
      await heading(page, LOCKED);
      assert.deepEqual(await page.evaluate(() => chrome.storage.session.get('vault_key')), {});
    });
  });
});

describe('passwords and key derivation', () => {
  test('a new password needs 8 characters', () => withBrowser({}, async (browser) => {
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Short', name: 's', secret: SECRETS[0] }]);
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    await label(page, 'New password').fill('seven77');
    await label(page, 'Confirm password').fill('seven77');
    await page.getByRole('button', { name: 'Set password' }).click();
    await alert(page, 'at least 8 characters');
    assert.equal(JSON.parse((await storedLocal(page)).vault).schema, 1, 'not protected');
  }));

  test('a short hint under a new password says what to change as it is typed', () => withBrowser({}, async (browser) => {
    const page = await openPopup(browser);
    await page.getByRole('button', { name: 'Settings' }).click();
    const hint = page.locator('#p-new-hint');
    await hint.filter({ hasText: 'At least 8 characters' }).waitFor();
    const field = label(page, 'New password');
    for (const [typed, says] of [
      ['short', 'Too short'], ['12345678', 'run like 12345678'], ['zebrafish', 'Only letters or only digits'],
      ['zebra-42', 'Longer is stronger'], ['zebra fish lamp', 'Good length'],
    ]) {
      await field.fill(typed);
      await hint.filter({ hasText: says }).waitFor();
    }
  }));

  test('the composed and decomposed forms of a password unlock the same vault', () => withBrowser({}, async (browser) => {
    const composed = 'Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e';
    const decomposed = 'Cafe\u0301 cre\u0300me bru\u0302le\u0301e';
    assert.notEqual(composed, decomposed);
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Accents', name: 'a', secret: SECRETS[0] }]);
    await page.reload();
    await setPassword(page, composed);
    await page.getByRole('button', { name: 'Lock now' }).click();
    await heading(page, LOCKED);
    await unlock(page, decomposed);
    await codeButton(page, 'Accents a').waitFor({ timeout: 30_000 });
  }));

  test('an unlock that finds weaker key derivation re-seals with today\'s defaults', () => withBrowser({}, async (browser) => {
    const fixture = (await readFile(join(ROOT, 'tests/data/vault-schema2.json'), 'utf8')).trim();
    assert.equal(JSON.parse(fixture).kdf.params.memoryKib, 19456, 'the fixture uses the minimum');
    const page = await openWith(browser, { vault: fixture });
    await heading(page, LOCKED);
    await unlock(page, 'correct horse');
    await page.locator('#accounts li').first().waitFor({ timeout: 30_000 });
    const stored = await storedLocal(page);
    for (const record of [stored.vault, stored.vault_previous]) {
      const { schema, kdf } = JSON.parse(record);
      assert.deepEqual(kdf.params, { memoryKib: 65536, iterations: 3, parallelism: 4 });
      assert.equal(schema, 3);
    }
    await page.getByRole('button', { name: 'Lock now' }).click();
    await unlock(page, 'correct horse');
    await page.locator('#accounts li').first().waitFor({ timeout: 30_000 });
  }));

  test('a header asking more than a popup can afford is refused before any derivation', () => withBrowser({}, async (browser) => {
    const fixture = JSON.parse((await readFile(join(ROOT, 'tests/data/vault-schema2.json'), 'utf8')).trim());
    fixture.kdf.params.memoryKib = 256 * 1024 + 1;
    const page = await openWith(browser, { vault: JSON.stringify(fixture) });
    await heading(page, DAMAGED);
    assert.match(await page.locator('#damaged-text').innerText(), /more memory or time/);
  }));

  test('key derivation never freezes the popup', () => withBrowser({}, async (browser) => {
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Smooth', name: 's', secret: SECRETS[0] }]);
    await page.reload();
    await setPassword(page);
    await page.getByRole('button', { name: 'Lock now' }).click();
    await heading(page, LOCKED);
    // The longest the page goes without running a 5 ms timer while Unlock derives the key.
    await page.evaluate(() => {
      globalThis.gaps = { max: 0, last: performance.now() };
      globalThis.gaps.timer = setInterval(() => {
        const now = performance.now();
        globalThis.gaps.max = Math.max(globalThis.gaps.max, now - globalThis.gaps.last);
        globalThis.gaps.last = now;
      }, 5);
    });
    const started = Date.now();
    await unlock(page);
    await codeButton(page, 'Smooth s').waitFor({ timeout: 30_000 });
    const took = Date.now() - started;
    const longest = await page.evaluate(() => { clearInterval(globalThis.gaps.timer); return globalThis.gaps.max; });
    assert.ok(longest < took / 2, `the page stalled for ${Math.round(longest)} ms of a ${took} ms unlock`);
  }));
});
