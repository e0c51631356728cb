// Codes: adding by key and by link, the code against oathtool, copying, search, edit, delete.
//
// Clipboard: the popup copies with navigator.clipboard.writeText from the user's click or key
// press. Chromium's harness grants clipboard permissions; Firefox needs none for a write made
// from a user gesture (the manifest asks for no clipboardWrite), and copying there proves it.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SCREENSHOTS, awayFromBoundary, oathtool } from '../harness.mjs';
import {
  KEY, KEY2, KEY3, addByForm, codeButton, focusedLabel, seedAccounts, storedLocal, until,
} from './shared.mjs';

export function codeScenarios(driver) {
  let session;
  before(async () => { session = await driver.start(); });
  after(async () => { await session.close(); await session.cleanup(); });

  test('add by key (spaced, lower case): the code equals oathtool; click, Enter and Space copy it', async () => {
    const page = await session.openPopup();
    await addByForm(page, { issuer: 'Example Backup', name: 'alice@example.com', secret: 'jbsw y3dp ehpk 3pxp' });
    const button = codeButton(page, 'Example Backup alice@example.com');
    await button.waitFor();
    assert.equal(await focusedLabel(page), 'Copy code for Example Backup alice@example.com');

    await awayFromBoundary(30, 4000);
    const t = Math.floor(Date.now() / 1000);
    const shown = await button.text();
    assert.match(shown, /^\d{3} \d{3}$/, 'grouped for reading');
    const code = shown.replace(' ', '');
    assert.equal(code, oathtool({ key: KEY }, t));

    await button.click();
    await page.status('Copied').waitFor();
    assert.equal(await session.clipboard(), code);

    for (const key of ['Enter', 'Space']) {
      await session.setClipboard('cleared');
      await button.focus();
      await page.press(key);
      const copied = await until(`${key} copies`, async () => {
        const text = await session.clipboard();
        return text !== 'cleared' && text;
      });
      assert.equal(copied, code, `${key} copies the code`);
    }
    // The key reached neither the page's markup nor storage in readable form.
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    assert.ok(!html.includes(KEY) && !html.toLowerCase().includes('jbsw y3dp'));
    assert.ok(!JSON.stringify(await storedLocal(page)).includes('jbsw y3dp'));
    await page.close();
  });

  test('paste an otpauth link: every field is filled; the SHA256 / 8 digit / 60 s code equals oathtool', async () => {
    const page = await session.openPopup();
    const uri = `otpauth://totp/ACME%20Corp:bob%40acme.test?secret=${KEY}&issuer=ACME%20Corp&algorithm=SHA256&digits=8&period=60`;
    await session.setClipboard(uri);
    await page.role('button', 'Add account').click();
    await page.role('textbox', 'Secret key').focus();
    await page.press('Control+V');
    assert.equal(await page.role('textbox', 'Issuer').value(), 'ACME Corp');
    assert.equal(await page.role('textbox', 'Account name').value(), 'bob@acme.test');
    await page.css('#advanced summary').click();
    assert.equal(await page.label('Type').value(), 'totp');
    assert.equal(await page.label('Algorithm').value(), 'SHA256');
    assert.equal(await page.label('Digits').value(), '8');
    assert.equal(await page.label('Period (seconds)').value(), '60');
    await page.role('button', 'Save').click();
    const button = codeButton(page, 'ACME Corp bob@acme.test');
    await button.waitFor();
    await awayFromBoundary(60, 4000);
    const t = Math.floor(Date.now() / 1000);
    const shown = await button.text();
    assert.match(shown, /^\d{4} \d{4}$/);
    assert.equal(shown.replace(' ', ''), oathtool({ key: KEY, algorithm: 'SHA256', digits: 8, period: 60 }, t));
    await page.close();
  });

  test('type to search (case and accents ignored); Enter copies the first match', async () => {
    const page = await session.openPopup();
    await seedAccounts(page, [
      { issuer: 'Société Générale', name: 'zoé', secret: KEY2 },
      { issuer: 'Bank of Tests', name: 'carol', secret: KEY3 },
    ]);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search');
    await page.type('SOCI');
    assert.equal(await codeButton(page, 'Société Générale').isVisible(), true);
    assert.equal(await codeButton(page, 'Bank of Tests').isVisible(), false);
    await page.role('searchbox', 'Search').fill('');
    await page.role('searchbox', 'Search').focus();
    await page.type('generale zoe');
    await awayFromBoundary(30, 4000);
    await page.press('Enter');
    await page.status('Copied').waitFor();
    const t = Math.floor(Date.now() / 1000);
    assert.equal(await session.clipboard(), oathtool({ key: KEY2 }, t));
    await page.role('searchbox', 'Search').fill('nothing like this');
    await page.css('#no-match').waitFor();
    assert.match(await page.css('#no-match').text(), /No account matches/);
    await page.close();
  });

  test('edit an account, then delete it after a confirmation naming it', async () => {
    const page = await session.openPopup();
    await seedAccounts(page, [{ issuer: 'Rename Me', name: 'erin', secret: KEY }]);
    await page.role('button', 'Edit Rename Me erin').click();
    await page.role('textbox', 'Issuer').fill('Renamed');
    await page.role('button', 'Save').click();
    await codeButton(page, 'Renamed erin').waitFor();
    await page.role('button', 'Delete Renamed erin').click();
    assert.match(await page.css('#delete-text').text(), /Delete “Renamed \(erin\)”\?/);
    await page.role('button', 'Cancel').click();
    assert.equal(await codeButton(page, 'Renamed erin').count(), 1);
    await page.role('button', 'Delete Renamed erin').click();
    await page.role('button', 'Delete account').click();
    await page.status('Account deleted').waitFor();
    assert.equal(await codeButton(page, 'Renamed erin').count(), 0);
    const vault = JSON.parse((await storedLocal(page)).vault);
    assert.ok(!JSON.stringify(vault).includes('Renamed'), 'gone from storage too');
    await page.close();
  });

  test('the popup with four accounts, for README (screenshot)', async () => {
    const page = await session.openPopup();
    // A fresh start: the guard's session copy would see the new vault as a rolled-back one.
    await page.evaluate(() => Promise.all([chrome.storage.local.clear(), chrome.storage.session.clear()]));
    await seedAccounts(page, [
      { issuer: 'Example Backup', name: 'alice@example.com', secret: KEY },
      { issuer: 'Ledger Accounting', name: 'alice', secret: KEY2, digits: '8', algorithm: 'SHA256', type: 'totp', period: '30' },
      { issuer: 'Cloud Files', name: 'a.smith', secret: KEY3 },
      { issuer: 'Steam', name: 'gamer', secret: '63BEDWCQZKTQWPESARIERL5DTTQFCJTK', type: 'steam' },
    ]);
    await page.setViewport({ width: 360, height: 400 });
    await awayFromBoundary(30, 9000); // codes in their last 5 seconds turn red
    await page.reload();
    await codeButton(page, 'Steam gamer').waitFor();
    assert.equal(await page.css('#accounts li').count(), 4);
    await page.screenshot(join(SCREENSHOTS, `popup-${driver.name}.png`));
    await page.close();
  });
}
