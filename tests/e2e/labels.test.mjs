// Issuer and account names cannot pose as another account (issue 13): a pasted otpauth:// link,
// a typed label and a rename lose their bidirectional-override and zero-width characters, in
// what is stored and in what the popup shows and reads aloud. Real extension, real Chromium.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeAll, codeButton, launch, openPopup, storedLocal } from './harness.mjs';

after(closeAll);

const KEY = 'JBSWY3DPEHPK3PXP';
const RLO = '\u202E'; // right-to-left override: "moc.lapyap" reads "paypal.com"
const ZWSP = '\u200B'; // zero-width space: "ali​ce" looks like "alice" but is another name
/** Every character the issue names, raw or as a JSON \u escape. */
const HIDDEN = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\u2060\uFEFF]|\\u(202[a-e]|206[6-9]|200[b-f]|061c|2060|feff)/i;

const field = (page, name) => page.getByRole('textbox', { name, exact: true });

/** Everything the popup's page shows or labels: text, values and ARIA attributes. */
function pageText(page) {
  return page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const element of document.querySelectorAll('*')) {
      for (const attribute of ['aria-label', 'title', 'value']) {
        const value = element.getAttribute(attribute);
        if (value) parts.push(value);
      }
    }
    return parts.join('\n');
  });
}

describe('labels', () => {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser.close(); await browser.cleanup(); });

  test('a pasted link whose issuer hides characters is stored clean, and read aloud clean', async () => {
    const page = await openPopup(browser);
    await page.getByRole('button', { name: 'Add account' }).click();
    const issuer = `Pay${ZWSP}Pal ${RLO}moc.lapyap`;
    const name = `ali${ZWSP}ce`;
    const link = `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(name)}`
      + `?secret=${KEY}&issuer=${encodeURIComponent(issuer)}`;
    await field(page, 'Secret key').fill(link);
    assert.equal(await field(page, 'Issuer').inputValue(), 'PayPal moc.lapyap');
    assert.equal(await field(page, 'Account name').inputValue(), 'alice');
    await page.getByRole('button', { name: 'Save' }).click();

    const button = codeButton(page, 'PayPal moc.lapyap alice');
    await button.waitFor();
    assert.equal(await button.getAttribute('aria-label'), 'Copy code for PayPal moc.lapyap alice');
    assert.doesNotMatch(await pageText(page), HIDDEN);
    const stored = JSON.stringify(await storedLocal(page));
    assert.match(stored, /PayPal moc\.lapyap/);
    assert.doesNotMatch(stored, HIDDEN);
    await page.close();
  });

  test('typed labels and renames lose hidden characters, and keep everything else', async () => {
    const page = await openPopup(browser);
    await page.getByRole('button', { name: 'Add account' }).click();
    await field(page, 'Issuer').fill(`Crédit${ZWSP} Agricole\u2067`);
    await field(page, 'Account name').fill(`\u200Fzoë\uFEFF`);
    await field(page, 'Secret key').fill('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    await page.getByRole('button', { name: 'Save' }).click();
    await codeButton(page, 'Crédit Agricole zoë').waitFor();

    await page.getByRole('button', { name: 'Edit Crédit Agricole zoë' }).click();
    await field(page, 'Issuer').fill(`${RLO}lanigiro`);
    await field(page, 'Account name').fill(`zo${ZWSP}ë`);
    await page.getByRole('button', { name: 'Save' }).click();
    const renamed = codeButton(page, 'lanigiro zoë');
    await renamed.waitFor();
    assert.equal(await renamed.getAttribute('aria-label'), 'Copy code for lanigiro zoë');
    assert.doesNotMatch(await pageText(page), HIDDEN);
    assert.doesNotMatch(JSON.stringify(await storedLocal(page)), HIDDEN);
    await page.close();
  });
});
