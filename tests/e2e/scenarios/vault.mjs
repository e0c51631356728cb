// The stored vault: surviving a restart, the password, lock, unlock and auto-lock.
//
// Where the browsers differ, the scenario says so and checks each one's behaviour:
// - background: Chromium runs background.js as a service worker, Firefox as an event page (a
//   document); the auto-lock alarm wakes whichever it is.
// - storage.session (where the unlocked key lives, memory only): Chromium caps it at
//   QUOTA_BYTES (10 MB); Firefox 140 declares no quota. The key is far below either.
// - restart: Chromium reloads the unpacked extension; Firefox keeps the installed add-on in the
//   profile. Both must come back with the accounts, locked if a password is set.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { awayFromBoundary, oathtool } from '../harness.mjs';
import {
  KEY, KEY2, KEY3, PASSWORD, addByForm, codeButton, seedAccounts, setPassword, storedLocal, unlock,
} from './shared.mjs';

const SECRETS = [KEY, KEY2, KEY3];

/** Runs `body(session)` in a fresh browser, always closing it and removing its profile. */
async function withBrowser(driver, body) {
  const session = await driver.start();
  try {
    await body(session);
  } finally {
    await session.close();
    await session.cleanup();
  }
}

export function vaultScenarios(driver) {
  test('accounts survive closing the popup and restarting the browser', () => withBrowser(driver, async (session) => {
    let page = await session.openPopup();
    await addByForm(page, { issuer: 'Persistent', name: 'pat', secret: KEY });
    await codeButton(page, 'Persistent pat').waitFor();
    await page.close();
    page = await session.openPopup();
    await codeButton(page, 'Persistent pat').waitFor();

    await session.restart();
    page = await session.openPopup();
    await codeButton(page, 'Persistent pat').waitFor();
    assert.equal(JSON.parse((await storedLocal(page)).vault).schema, 1);
  }));

  test('set a password: no key in storage; lock, a wrong password changes nothing, unlock', () => withBrowser(driver, async (session) => {
    const page = await session.openPopup();
    await seedAccounts(page, SECRETS.map((secret, i) => ({ issuer: `Enc ${i}`, name: 'me', secret })));
    await setPassword(page);

    const dump = JSON.stringify(await storedLocal(page));
    for (const secret of SECRETS) assert.ok(!dump.includes(secret), 'no key in storage');
    assert.ok(!dump.includes(PASSWORD), 'the password itself is never stored');
    const inSession = await page.evaluate(async () => ({
      items: await chrome.storage.session.get(null),
      quota: chrome.storage.session.QUOTA_BYTES ?? null,
    }));
    // The derived key, and the guard's copy (protection and highest revision seen; no secret).
    assert.deepEqual(Object.keys(inSession.items).sort(), ['vault_guard', 'vault_key'],
      'only the derived key and the guard are in session storage');
    assert.ok(!JSON.stringify(inSession.items).includes(PASSWORD));
    const used = JSON.stringify(inSession.items).length;
    if (driver.name === 'chromium') {
      assert.equal(inSession.quota, 10 * 1024 * 1024, 'Chromium caps storage.session at 10 MB');
    }
    assert.ok(used < 1024 && used < (inSession.quota ?? Infinity), `${used} bytes in storage.session`);

    await page.role('button', 'Lock now').click();
    await page.role('heading', 'Your accounts are locked').waitFor();
    assert.equal(await page.css('#accounts li').count(), 0);
    assert.deepEqual(await page.evaluate(() => chrome.storage.session.get('vault_key')), {});

    const before = JSON.stringify(await storedLocal(page));
    await unlock(page, 'not the password');
    await page.alert('Wrong password').waitFor({ timeout: 20_000 });
    assert.equal(JSON.stringify(await storedLocal(page)), before, 'a wrong password changes nothing');

    await unlock(page);
    await codeButton(page, 'Enc 0 me').waitFor({ timeout: 20_000 });
    await awayFromBoundary(30, 4000);
    const t = Math.floor(Date.now() / 1000);
    assert.equal((await codeButton(page, 'Enc 1 me').text()).replace(' ', ''), oathtool({ key: KEY2 }, t));

    // A restarted browser starts locked (storage.session is memory only); the accounts remain.
    await session.restart();
    const again = await session.openPopup();
    await again.role('heading', 'Your accounts are locked').waitFor();
    await unlock(again);
    await codeButton(again, 'Enc 2 me').waitFor({ timeout: 20_000 });
  }));

  test('auto-lock after the idle time, by an alarm that wakes the background', () => withBrowser(driver, async (session) => {
    let page = await session.openPopup();
    await seedAccounts(page, [{ issuer: 'Idle', name: 'i', secret: KEY }]);
    await setPassword(page);
    // Fifteen seconds: both browsers accept an alarm this short for an unpacked or unsigned
    // build. (Six were too few on a busy machine: the lock could come before the codes were
    // looked for.)
    await page.evaluate(() => chrome.storage.local.set({ autoLockMinutes: 0.25 }));
    await page.close();
    page = await session.openPopup(); // opening counts as use: the alarm starts now
    await codeButton(page, 'Idle i').waitFor();
    assert.ok(await page.evaluate(() => chrome.alarms.get('auto-lock')), 'an auto-lock alarm is set');
    await page.role('heading', 'Your accounts are locked').waitFor({ timeout: 45_000 });
    assert.deepEqual(await page.evaluate(() => chrome.storage.session.get('vault_key')), {});

    // The alarm just ran background.js: a worker in Chromium, an event page in Firefox.
    const background = await page.evaluate(async () => {
      const [context] = await chrome.runtime.getContexts({ contextTypes: ['BACKGROUND'] });
      const declared = chrome.runtime.getManifest().background;
      return {
        documentUrl: context?.documentUrl ?? null,
        // Firefox reports the manifest with its defaults filled in and the scripts as URLs.
        manifest: {
          worker: declared.service_worker ?? null,
          scripts: (declared.scripts ?? []).map((url) => url.split('/').pop()),
          type: declared.type,
        },
      };
    });
    if (driver.name === 'firefox') {
      assert.deepEqual(background.manifest, { worker: null, scripts: ['background.js'], type: 'module' });
      assert.match(background.documentUrl, /^moz-extension:\/\/.+\.html$/, 'an event page has a document');
    } else {
      assert.deepEqual(background.manifest, { worker: 'background.js', scripts: [], type: 'module' });
      assert.equal(background.documentUrl, null, 'a service worker has no document');
    }
  }));
}
