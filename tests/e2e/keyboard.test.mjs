// Keyboard only (issue 18), in real headless Chromium with the built dist/: every action of the
// popup is reached and done with keys alone (no click, no fill: Tab, Shift+Tab, Enter, Space,
// arrows, Escape and typed text), and Escape or Cancel puts the focus back on what opened a view.
// Tab order and a visible focus in every state are checked by a11y.test.mjs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, startEnvironment } from './a11y-states.mjs';
import { awayFromBoundary, closeAll, oathtool, oathtoolHotp, openPopup } from './harness.mjs';

after(closeAll);

const KEY = 'JBSWY3DPEHPK3PXP';
const KEY2 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** The focused element's accessible name as a user hears it (aria-label, label, or text). */
function focusedName(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';
    return (el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent).trim();
  });
}

/** Presses Tab (or Shift+Tab) until the focused control's name matches `name`. */
async function tabTo(page, name, { back = false } = {}) {
  const seen = [];
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const current = await focusedName(page);
    if (name instanceof RegExp ? name.test(current) : current === name) return;
    seen.push(current);
  }
  throw new Error(`Tab never reached ${name}; it went through ${seen.join(' | ')}`);
}

async function expectFocus(page, name, why) {
  await page.waitForFunction(([want, regexp]) => {
    const el = document.activeElement;
    const current = (el?.getAttribute('aria-label') ?? el?.labels?.[0]?.textContent ?? el?.textContent ?? '').trim();
    return regexp ? new RegExp(want).test(current) : current === want;
  }, name instanceof RegExp ? [name.source, true] : [name, false], { timeout: 10_000 }).catch(async () => {
    assert.fail(`${why}: focus is on "${await focusedName(page)}", not ${name}`);
  });
}

const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

describe('keyboard only', () => {
  let env;
  let page;

  before(async () => {
    env = await startEnvironment();
    page = await openPopup(env.browser);
  });
  after(async () => { await env?.close(); });

  test('first run: Add account has the focus; an account is added with keys alone', async () => {
    await expectFocus(page, 'Add account', 'on first run');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'Issuer', 'the add form opens on its first field');
    await page.keyboard.type('Keyboard Bank');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim');
    await page.keyboard.press('Tab');
    await page.keyboard.type('jbsw y3dp ehpk 3pxp');
    await page.keyboard.press('Enter');
    await expectFocus(page, /^Copy code for Keyboard Bank kim: /, 'after Save, the new code');
  });

  test('an HOTP account through Advanced: summary, select and Save by keyboard; Next code too', async () => {
    await tabTo(page, 'Add account', { back: true });
    await page.keyboard.press('Enter');
    await page.keyboard.type('Counter Bank');
    await page.keyboard.press('Tab');
    await page.keyboard.type('bob');
    await page.keyboard.press('Tab');
    await page.keyboard.type(KEY2);
    await tabTo(page, /^Advanced/);
    await page.keyboard.press('Enter');
    await tabTo(page, 'Type');
    await page.keyboard.press('ArrowDown'); // Time-based → Counter-based
    assert.equal(await page.locator('#f-type').inputValue(), 'hotp');
    await tabTo(page, 'Save');
    await page.keyboard.press('Enter');
    await expectFocus(page, /^Copy code for Counter Bank bob: /, 'after Save, the new code');
    const counterCode = () => page.getByRole('button', { name: /^Copy code for Counter Bank bob/ }).textContent()
      .then((text) => text.replace(/\s/g, ''));
    assert.equal(await counterCode(), oathtoolHotp({ key: KEY2 }, 0));

    await tabTo(page, 'Next code for Counter Bank bob');
    await page.keyboard.press('Enter');
    const next = oathtoolHotp({ key: KEY2 }, 1);
    for (let i = 0; i < 50 && (await counterCode()) !== next; i += 1) await page.waitForTimeout(100);
    assert.equal(await counterCode(), next);
    await expectFocus(page, /^Copy code for Counter Bank bob: /, 'Next code moves to the new code, ready to copy');
  });

  test('open → type to search → Enter copies the first match, announced once', async () => {
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('codes-painted').length > 0);
    await expectFocus(page, 'Search', 'with accounts, the popup opens in Search');
    await page.keyboard.type('keyb');
    await awayFromBoundary(30);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Code copied' }).waitFor();
    assert.equal(await clipboard(page), oathtool({ key: KEY }, Math.floor(Date.now() / 1000)));
    // Arrow down from Search reaches the code; Space copies it too.
    await page.evaluate(() => navigator.clipboard.writeText('cleared'));
    await page.keyboard.press('ArrowDown');
    await expectFocus(page, /^Copy code for Keyboard Bank kim: /, 'ArrowDown from Search');
    await page.keyboard.press('Space');
    await page.waitForFunction(async () => (await navigator.clipboard.readText()) !== 'cleared');
    await page.keyboard.press('ArrowUp');
    await expectFocus(page, 'Search', 'ArrowUp from the first code');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
  });

  test('Escape and Cancel close a view and put the focus back on what opened it', async () => {
    const cases = [
      ['Add account', 'Add account'],
      ['Edit Keyboard Bank kim', 'Edit account'],
      ['Delete Keyboard Bank kim', 'Delete account?'],
      ['Settings', 'Settings'],
    ];
    for (const [opener, heading] of cases) {
      for (const close of ['Escape', 'Cancel']) {
        await tabTo(page, opener);
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: heading, exact: true }).waitFor();
        if (close === 'Escape') {
          await page.keyboard.press('Escape');
        } else {
          await tabTo(page, heading === 'Settings' ? 'Back' : 'Cancel');
          await page.keyboard.press('Enter');
        }
        await expectFocus(page, opener, `${close} in "${heading}"`);
      }
    }
  });

  test('edit and delete by keyboard', async () => {
    await tabTo(page, 'Edit Keyboard Bank kim');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'Issuer', 'edit opens on Issuer');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Keys Bank');
    await page.keyboard.press('Enter');
    await expectFocus(page, /^Copy code for Keys Bank kim: /, 'after Save, the renamed code');

    await tabTo(page, 'Delete Keys Bank kim');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'Cancel', 'the delete question starts on the safe answer');
    await page.keyboard.press('Shift+Tab');
    await expectFocus(page, 'Delete account', 'Shift+Tab reaches Delete account');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Keys Bank kim' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Copy code for Keys Bank/ }).count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement === document.body), false, 'the focus is not lost');
  });

  test('password: set, Escape out of a password form, lock and unlock, by keyboard', async () => {
    await tabTo(page, 'Settings');
    await page.keyboard.press('Enter');
    await tabTo(page, 'New password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Password set' }).waitFor({ timeout: 60_000 });
    await expectFocus(page, 'Change password', 'after setting a password');

    await page.keyboard.press('Enter');
    await expectFocus(page, 'Current password', 'Change password opens its form');
    await page.keyboard.press('Escape');
    await expectFocus(page, 'Change password', 'Escape closes the form, Settings stays');
    assert.equal(await page.getByRole('heading', { name: 'Settings' }).isVisible(), true);
    await tabTo(page, 'Remove password');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Cancel');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'Remove password', 'Cancel closes the form');
    await page.keyboard.press('Escape');
    await expectFocus(page, 'Settings', 'the next Escape closes Settings');

    await tabTo(page, 'Lock now', { back: true });
    await page.keyboard.press('Enter');
    await expectFocus(page, 'Password', 'the lock screen starts in Password');
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor({ timeout: 60_000 });
    await expectFocus(page, 'Password', 'a wrong password leaves the focus in Password');
    await page.keyboard.type(PASSWORD); // the wrong one is selected: typing replaces it
    await page.keyboard.press('Enter');
    await expectFocus(page, 'Search', 'unlocked, the list opens in Search');
  });

  test('Scan QR code: the list of codes and the add form it opens return to Scan QR code', async () => {
    await env.tab.goto(env.sites.right.url('/two'));
    await env.tab.bringToFront();
    const opened = env.browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/popup.html') });
    await env.browser.worker.evaluate(() => chrome.windows.create({ url: 'popup.html', type: 'popup' }));
    const popup = await opened;
    await popup.waitForFunction(() => performance.getEntriesByName('codes-painted').length > 0);
    await tabTo(popup, 'Scan QR code', { back: true });
    await popup.keyboard.press('Enter');
    await popup.getByRole('heading', { name: 'Choose a QR code' }).waitFor();
    await expectFocus(popup, /: /, 'the list of codes starts on its first code');
    await popup.keyboard.press('Escape');
    await expectFocus(popup, 'Scan QR code', 'Escape in the list of codes');

    await popup.keyboard.press('Enter');
    await popup.getByRole('heading', { name: 'Choose a QR code' }).waitFor();
    await tabTo(popup, 'Other: dave');
    await popup.keyboard.press('Enter');
    await expectFocus(popup, 'Issuer', 'the add form opens filled from the code');
    assert.equal(await popup.locator('#f-issuer').inputValue(), 'Other');
    await popup.keyboard.press('Escape');
    await expectFocus(popup, 'Scan QR code', 'Escape in the add form a scan opened');
    await popup.close();
  });
});
