// "Clear the clipboard after 30 s": the worker empties the clipboard if it still holds the
// copied code (Chromium: through an offscreen document; Firefox: in its background page).
//
// The test copy of the build waits 1.5 s instead of 30 s (CLEAR_AFTER_MS in
// clipboard-worker.js) and grants the optional clipboard permissions in its manifest, because a
// headless browser cannot answer the permission prompt the switch shows.

import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { DIST, DIST_FIREFOX, patchedDist, shortenClipboardDelay } from '../harness.mjs';
import { KEY, codeButton, seedAccounts, shownCode, until } from './shared.mjs';

const LABEL = 'Example Backup alice@example.com';
const SWITCH = 'Clear the clipboard after 30 s';

export function clipboardScenarios(driver) {
  let session;
  let dist;

  before(async () => {
    const from = driver.name === 'firefox' ? DIST_FIREFOX : DIST;
    dist = await patchedDist((manifest) => {
      // Granted at install, and still optional (so the switch may ask for it, as it does).
      manifest.permissions.push(...manifest.optional_permissions);
    }, from);
    await shortenClipboardDelay(dist, 1_500);
    session = await driver.start({ dist });
    const page = await session.openPopup();
    await seedAccounts(page, [{ issuer: 'Example Backup', name: 'alice@example.com', secret: KEY }]);
    await page.close();
  });

  after(async () => {
    await session?.close();
    await session?.cleanup();
    await rm(dist, { recursive: true, force: true });
  });

  test('cleared once the delay has passed if still there; left alone if something else was copied', async () => {
    const page = await session.openPopup();
    const pending = () => page.evaluate(
      () => chrome.storage.session.get('clipboard_pending').then((items) => items.clipboard_pending ?? null),
    );
    await page.role('button', 'Settings').click();
    await page.role('checkbox', SWITCH).setChecked(true);
    await page.status(`${SWITCH}: on`).waitFor();
    await page.role('button', 'Back').click();

    await codeButton(page, LABEL).click();
    const code = await shownCode(page, LABEL);
    await until('the worker has the code', async () => (await pending()) === code);
    await until('the clipboard is emptied', async () => (await session.clipboard()) === '', { timeout: 15_000 });

    await codeButton(page, LABEL).click();
    await until('the worker has the code again', async () => typeof (await pending()) === 'string');
    await session.setClipboard('a note the user copied');
    await until('the worker is done', async () => (await pending()) === null, { timeout: 15_000 });
    assert.equal(await session.clipboard(), 'a note the user copied');
    await page.close();
  });
}
