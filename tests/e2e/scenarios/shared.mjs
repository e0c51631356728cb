// Helpers the scenarios share: keys, the code button, adding accounts.

import { escapeRegExp } from '../harness.mjs';

export const KEY = 'JBSWY3DPEHPK3PXP';
export const KEY2 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
export const KEY3 = 'MFRGGZDFMZTWQ2LKNNWG23TPOA';
export const PASSWORD = 'correct horse battery staple';

/** Polls `check()` (in node) until it is truthy; fails after `timeout` ms naming `what`. */
export async function until(what, check, { timeout = 10_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The code button of the account whose label starts with `label`. */
export function codeButton(page, label) {
  return page.role('button', new RegExp(`^Copy code for ${escapeRegExp(label)}`));
}

/** The displayed code of `label`, without grouping spaces. */
export async function shownCode(page, label) {
  return (await codeButton(page, label).text()).replace(/\s/g, '');
}

/** Adds an account through the add form, as a user would. */
export async function addByForm(page, { issuer, name, secret }) {
  await page.role('button', 'Add account').click();
  await page.role('textbox', 'Issuer').fill(issuer);
  await page.role('textbox', 'Account name').fill(name);
  await page.role('textbox', 'Secret key').fill(secret);
  await page.role('button', 'Save').click();
}

/** Adds accounts through the module's own API from an extension page (quick set-up), then reloads. */
export async function seedAccounts(page, forms) {
  await page.evaluate(async (forms) => {
    const wasm = await import(new URL('pkg/toolbar_authenticator.js', location.href).href);
    await wasm.default();
    const auth = await wasm.Authenticator.load();
    for (const form of forms) await auth.add(form);
  }, forms);
  await page.reload();
}

/** Everything in chrome.storage.local. */
export function storedLocal(page) {
  return page.evaluate(() => chrome.storage.local.get(null));
}

/** The accessible name (aria-label) of the focused element. */
export function focusedLabel(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id);
}

/** Sets a password from Settings and goes back to the list. */
export async function setPassword(page, password = PASSWORD) {
  await page.role('button', 'Settings').click();
  await page.label('New password').fill(password);
  await page.label('Confirm password').fill(password);
  await page.role('button', 'Set password').click();
  await page.status('Password set').waitFor({ timeout: 20_000 });
  await page.role('button', 'Back').click();
}

/** Types the password on the lock screen and presses Unlock. */
export async function unlock(page, password = PASSWORD) {
  await page.label('Password').fill(password);
  await page.role('button', 'Unlock').click();
}
