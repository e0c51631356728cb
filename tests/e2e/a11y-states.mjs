// Every state of the extension's pages that the accessibility tests check (a11y.test.mjs), in
// the order a real session reaches them: each state starts from the one before, through the UI
// as a user would (keys typed, buttons pressed), in real headless Chromium with the built dist/.
// Local web pages stand in for the sites a user visits: sites whose Date header is 12 s (plain
// http), 137 s and 3 hours (https, a certificate made by openssl for the run) off, for the
// clock warning's severities and its correction, and pages showing QR codes (Scan QR code).

import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { ROOT, launch, openPopup, patchedDist, seedAccounts } from './harness.mjs';

export const PASSWORD = 'correct horse battery staple';
const KEY = 'JBSWY3DPEHPK3PXP';
const KEY2 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const KEY3 = 'MFRGGZDFMZTWQ2LKNNWG23TPOA';

/** The accounts of the list states: TOTP, HOTP, Steam, and a 10 s TOTP (reaches "ending" soon). */
export const ACCOUNTS = [
  { issuer: 'Example Backup', name: 'alice@example.com', secret: KEY },
  { issuer: 'Counter Bank', name: 'bob', secret: KEY2, type: 'hotp', counter: '0' },
  { issuer: 'Steam', name: 'gamer', secret: KEY3, type: 'steam' },
  { issuer: 'Short Period', name: 'carol', secret: KEY, period: '10' },
];

/** ../shared/interop/ (GPL test data beside the checkout), read in place, never copied here. */
const INTEROP = join(ROOT, '..', 'shared', 'interop');

/** A file of ../shared/interop/; its absence fails the state, naming the path. */
async function interop(relative) {
  const path = join(INTEROP, relative);
  try {
    await readFile(path);
  } catch {
    throw new Error(`${path} is missing: the Import page's states read a real Aegis export from ${INTEROP}`);
  }
  return path;
}

const LINK = `otpauth://totp/Example%20Shop:carol%40example.com?secret=${KEY2}&issuer=Example%20Shop`;
const SECOND = `otpauth://totp/Other:dave?secret=${KEY}&issuer=Other`;

/** A key and a self-signed certificate for 127.0.0.1, made by openssl for this run. */
async function certificate() {
  const dir = await mkdtemp(join(tmpdir(), 'tba-a11y-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: 'pipe' });
    return { key: await readFile(key), cert: await readFile(cert) };
  } catch (error) {
    throw new Error(`openssl (Debian package openssl) is needed for the https:// test sites: ${error.message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A local site (https with `tls`) whose answers carry a `Date` `skewMs` off (the clock check
 * reads it), with pages /plain, /none (no QR code) and /two (two QR codes made by npm `qrcode`).
 */
async function site(skewMs, tls = null) {
  const svg = (text) => QRCode.toString(text, { type: 'svg', margin: 4, width: 180 });
  const pages = {
    '/plain': '<h1>A web page</h1>',
    '/none': '<h1>Nothing to scan here</h1><p>Just text.</p>',
    '/two': `${await svg(LINK)} ${await svg(SECOND)}`,
  };
  const handler = (req, res) => {
    res.sendDate = false;
    res.writeHead(200, { 'content-type': 'text/html', date: new Date(Date.now() + skewMs).toUTCString() });
    res.end(req.method === 'HEAD' ? undefined : `<!doctype html><title>Test site</title>${pages[req.url] ?? ''}`);
  };
  const server = tls ? createTlsServer(tls, handler) : createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: (path) => `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}${path}`,
    close: () => { server.closeAllConnections(); server.close(); },
  };
}

/**
 * Starts Chromium with a test copy of dist/ whose `<all_urls>` host permission stands in for
 * the activeTab grant a toolbar click gives (the clock check and Scan QR code need it), and the
 * three local sites. Returns the environment the states share.
 */
export async function startEnvironment() {
  const dist = await patchedDist((manifest) => { manifest.host_permissions = ['<all_urls>']; });
  const browser = await launch({ dist, args: ['--ignore-certificate-errors'] });
  const tls = await certificate();
  const sites = {
    right: await site(0),
    warning: await site(12_000),
    critical: await site(-137_000, tls),
    far: await site(3 * 3600_000 + 20_000, tls),
  };
  const tab = browser.context.pages()[0] ?? await browser.context.newPage();
  return {
    browser,
    sites,
    /** The page the user's tab shows (the clock check and Scan QR code read it). */
    tab,
    /** The popup opened as a tab (most states). */
    page: null,
    async close() {
      for (const s of Object.values(sites)) s.close();
      await browser.close();
      await browser.cleanup();
      await rm(dist, { recursive: true, force: true });
    },
  };
}

/** Shows `url` in the user's tab and opens the popup over it in a window of its own. */
async function popupOver(env, url) {
  await env.tab.goto(url);
  await env.tab.bringToFront();
  const opened = env.browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/popup.html') });
  await env.browser.worker.evaluate(() => chrome.windows.create({ url: 'popup.html', type: 'popup' }));
  const popup = await opened;
  popup.on('pageerror', (error) => { throw new Error(`popup page error: ${error.message}`); });
  await popup.waitForFunction(() => performance.getEntriesByName('clock-checked').length > 0, null, { timeout: 20_000 });
  return popup;
}

const visible = (locator) => locator.filter({ visible: true });
const byLabel = (page, text) => visible(page.getByLabel(text, { exact: true }));
const button = (page, name) => visible(page.getByRole('button', { name, exact: true }));
const heading = (page, name) => page.getByRole('heading', { name }).waitFor({ timeout: 30_000 });
const shown = (page, selector) => page.locator(selector).waitFor({ state: 'visible', timeout: 30_000 });

/** Fills the add form's key fields and presses Save; `advanced` fields are set after opening it. */
async function submitAdd(page, { issuer = 'Example', name = 'n', secret = KEY, advanced = null }) {
  await byLabel(page, 'Issuer').fill(issuer);
  await byLabel(page, 'Account name').fill(name);
  await byLabel(page, 'Secret key').fill(secret);
  if (advanced) {
    await page.evaluate(() => { document.getElementById('advanced').open = true; });
    await advanced();
  }
  await button(page, 'Save').click();
}

/** Opens the Import and export page in a tab of its own (as Settings does). */
async function openTransfer(env) {
  const page = await env.browser.context.newPage();
  page.on('pageerror', (error) => { throw new Error(`transfer page error: ${error.message}`); });
  await page.goto(`chrome-extension://${env.browser.extensionId}/transfer.html`);
  await page.waitForFunction(() => performance.getEntriesByName('transfer-ready').length > 0
    || !document.getElementById('notice').hidden, null, { timeout: 30_000 });
  return page;
}

/** Closes Scan QR code's windows and any popup window a state opened, keeping the main tab. */
async function closeWindows(env) {
  for (const page of env.browser.context.pages()) {
    if (page !== env.page && page !== env.tab) await page.close();
  }
}

/**
 * The states, in order: `{name, enter(env) → page}`. Each starts where the previous one left
 * the extension (storage included), so they run in this order only.
 */
export const STATES = [
  {
    name: 'empty list (first run)',
    async enter(env) {
      env.page = await openPopup(env.browser);
      await heading(env.page, 'No accounts yet');
      return env.page;
    },
  },
  {
    name: 'list with accounts (TOTP, HOTP, Steam)',
    async enter(env) {
      await seedAccounts(env.page, ACCOUNTS);
      await env.page.reload();
      await env.page.locator('#accounts li').nth(ACCOUNTS.length - 1).waitFor();
      return env.page;
    },
  },
  {
    name: 'a code about to change (last 5 seconds)',
    async enter(env) {
      await env.page.locator('.account.ending').first().waitFor({ timeout: 15_000 });
      return env.page;
    },
  },
  {
    name: 'search with no match',
    async enter(env) {
      await env.page.getByRole('searchbox', { name: 'Search' }).fill('zzz');
      await shown(env.page, '#no-match');
      return env.page;
    },
  },
  {
    name: 'add form',
    async enter(env) {
      await env.page.getByRole('searchbox', { name: 'Search' }).fill('');
      await button(env.page, 'Add account').click();
      await heading(env.page, 'Add account');
      return env.page;
    },
  },
  {
    name: 'add form: issuer error (no issuer, no name)',
    async enter(env) {
      await submitAdd(env.page, { issuer: '', name: '' });
      await shown(env.page, '#f-issuer-error');
      return env.page;
    },
  },
  {
    name: 'add form: account name error (too long)',
    async enter(env) {
      await submitAdd(env.page, { name: 'x'.repeat(257) });
      await shown(env.page, '#f-name-error');
      return env.page;
    },
  },
  {
    name: 'add form: secret key error',
    async enter(env) {
      await submitAdd(env.page, { secret: 'JBSWY3DPEHPK3PX1' });
      await shown(env.page, '#f-secret-error');
      return env.page;
    },
  },
  {
    name: 'add form: period error (Advanced open)',
    async enter(env) {
      await submitAdd(env.page, { advanced: () => byLabel(env.page, 'Period (seconds)').fill('0') });
      await shown(env.page, '#f-period-error');
      return env.page;
    },
  },
  {
    name: 'add form: counter error (HOTP)',
    async enter(env) {
      await submitAdd(env.page, {
        advanced: async () => {
          await byLabel(env.page, 'Type').selectOption('hotp');
          await byLabel(env.page, 'Counter').fill('-1');
        },
      });
      await shown(env.page, '#f-counter-error');
      return env.page;
    },
  },
  {
    name: 'add form: digits error (a value the list does not offer)',
    async enter(env) {
      await submitAdd(env.page, {
        advanced: async () => {
          await byLabel(env.page, 'Type').selectOption('totp');
          // A tampered form: the core refuses digits outside 6–8 with its own message.
          await env.page.evaluate(() => document.getElementById('f-digits').append(new Option('5', '5')));
          await byLabel(env.page, 'Digits').selectOption('5');
        },
      });
      await shown(env.page, '#f-digits-error');
      return env.page;
    },
  },
  {
    name: 'edit',
    async enter(env) {
      await env.page.keyboard.press('Escape');
      await button(env.page, 'Edit Example Backup alice@example.com').click();
      await heading(env.page, 'Edit account');
      return env.page;
    },
  },
  {
    name: 'edit: error',
    async enter(env) {
      await byLabel(env.page, 'Issuer').fill('');
      await byLabel(env.page, 'Account name').fill('');
      await button(env.page, 'Save').click();
      await shown(env.page, '#e-issuer-error');
      return env.page;
    },
  },
  {
    name: 'edit: QR code shown',
    async enter(env) {
      await button(env.page, 'Show QR code').click();
      await env.page.getByRole('img', { name: /^QR code of / }).waitFor();
      return env.page;
    },
  },
  {
    name: 'delete confirmation',
    async enter(env) {
      await env.page.keyboard.press('Escape');
      await button(env.page, 'Delete Short Period carol').click();
      await heading(env.page, 'Delete account?');
      return env.page;
    },
  },
  {
    name: 'settings',
    async enter(env) {
      await env.page.keyboard.press('Escape');
      await button(env.page, 'Settings').click();
      await heading(env.page, 'Settings');
      return env.page;
    },
  },
  {
    name: 'settings: new password too short',
    async enter(env) {
      await byLabel(env.page, 'New password').fill('short');
      await byLabel(env.page, 'Confirm password').fill('short');
      await button(env.page, 'Set password').click();
      await shown(env.page, '#p-new-error');
      return env.page;
    },
  },
  {
    name: 'settings: passwords differ',
    async enter(env) {
      await byLabel(env.page, 'New password').fill(PASSWORD);
      await byLabel(env.page, 'Confirm password').fill(`${PASSWORD}!`);
      await button(env.page, 'Set password').click();
      await shown(env.page, '#p-confirm-error');
      return env.page;
    },
  },
  {
    name: 'settings with a password set',
    async enter(env) {
      await byLabel(env.page, 'Confirm password').fill(PASSWORD);
      await button(env.page, 'Set password').click();
      await env.page.getByRole('status').filter({ hasText: 'Password set' }).waitFor({ timeout: 60_000 });
      await shown(env.page, '#password-actions');
      return env.page;
    },
  },
  {
    name: 'change password form',
    async enter(env) {
      await button(env.page, 'Change password').click();
      await shown(env.page, '#change-password');
      return env.page;
    },
  },
  {
    name: 'change password: wrong current password',
    async enter(env) {
      await byLabel(env.page, 'Current password').fill('not the password');
      await byLabel(env.page, 'New password').fill(`${PASSWORD} 2`);
      await byLabel(env.page, 'Confirm password').fill(`${PASSWORD} 2`);
      await button(env.page, 'Change password').click();
      await shown(env.page, '#c-current-error');
      return env.page;
    },
  },
  {
    name: 'remove password form',
    async enter(env) {
      await button(env.page, 'Cancel').click();
      await button(env.page, 'Remove password').click();
      await shown(env.page, '#remove-password');
      return env.page;
    },
  },
  {
    name: 'remove password: confirmation',
    async enter(env) {
      await byLabel(env.page, 'Current password').fill('not the password');
      await button(env.page, 'Remove password').click();
      await shown(env.page, '#remove-confirm-text');
      return env.page;
    },
  },
  {
    name: 'remove password: wrong current password',
    async enter(env) {
      await button(env.page, 'Remove password').click();
      await shown(env.page, '#r-current-error');
      return env.page;
    },
  },
  {
    name: 'list with Lock now',
    async enter(env) {
      await button(env.page, 'Back').click();
      await button(env.page, 'Lock now').waitFor();
      return env.page;
    },
  },
  {
    name: 'lock screen',
    async enter(env) {
      await button(env.page, 'Lock now').click();
      await heading(env.page, 'Your accounts are locked');
      return env.page;
    },
  },
  {
    name: 'lock screen: wrong password',
    async enter(env) {
      await byLabel(env.page, 'Password').fill('not the password');
      await button(env.page, 'Unlock').click();
      await shown(env.page, '#u-password-error');
      return env.page;
    },
  },
  {
    name: 'clock warning, 12 s off, plain http site (codes may be rejected, not corrected)',
    async enter(env) {
      await byLabel(env.page, 'Password').fill(PASSWORD);
      await button(env.page, 'Unlock').click();
      await button(env.page, 'Lock now').waitFor({ timeout: 30_000 });
      const popup = await popupOver(env, env.sites.warning.url('/plain'));
      await shown(popup, '#clock-warning');
      return popup;
    },
  },
  {
    name: 'clock warning, 137 s off, https site (codes will be rejected; Use corrected time)',
    async enter(env) {
      await closeWindows(env);
      const popup = await popupOver(env, env.sites.critical.url('/plain'));
      await shown(popup, '#clock-warning.critical');
      return popup;
    },
  },
  {
    name: 'clock warning with corrected time on',
    async enter(env) {
      const [popup] = env.browser.context.pages().filter((p) => p !== env.page && p !== env.tab);
      await button(popup, 'Use corrected time').click();
      await popup.locator('#clock-correct[aria-pressed="true"]').waitFor();
      return popup;
    },
  },
  {
    name: 'clock warning, 3 hours off: confirm the correction',
    async enter(env) {
      await closeWindows(env);
      const popup = await popupOver(env, env.sites.far.url('/plain'));
      await button(popup, 'Use corrected time').click();
      await popup.locator('#clock-confirm').waitFor();
      return popup;
    },
  },
  {
    name: 'Scan QR code: none found',
    async enter(env) {
      await closeWindows(env);
      const popup = await popupOver(env, env.sites.right.url('/none'));
      await button(popup, 'Scan QR code').click();
      await shown(popup, '#scan-message');
      return popup;
    },
  },
  {
    name: 'Scan QR code: several found, pick one',
    async enter(env) {
      await closeWindows(env);
      const popup = await popupOver(env, env.sites.right.url('/two'));
      await button(popup, 'Scan QR code').click();
      await heading(popup, 'Choose a QR code');
      return popup;
    },
  },
  {
    name: 'Scan QR code: add form from a scanned code',
    async enter(env) {
      const [popup] = env.browser.context.pages().filter((p) => p !== env.page && p !== env.tab);
      await button(popup, 'Other: dave').click();
      await shown(popup, '#f-secret-scanned');
      return popup;
    },
  },
  {
    name: 'Import and export page',
    async enter(env) {
      await closeWindows(env);
      env.transfer = await openTransfer(env);
      await env.transfer.getByLabel('Backup file').waitFor();
      return env.transfer;
    },
  },
  {
    name: 'Import: pasted links previewed (one not a link, one unnamed)',
    async enter(env) {
      await env.transfer.getByLabel('Text to import').fill([
        `otpauth://totp/Paste:one?secret=${KEY3}&issuer=Paste`,
        'this is not a link',
        `otpauth://hotp/?secret=${KEY2}&counter=4&digits=8`,
      ].join('\n'));
      await button(env.transfer, 'Show accounts').click();
      await shown(env.transfer, '#preview');
      return env.transfer;
    },
  },
  {
    name: 'Import: done (Imported 2 accounts)',
    async enter(env) {
      await button(env.transfer, 'Import 2 accounts').click();
      await env.transfer.getByRole('status').filter({ hasText: 'Imported 2 accounts' }).waitFor({ timeout: 30_000 });
      return env.transfer;
    },
  },
  {
    name: 'Import: a file it cannot read',
    async enter(env) {
      await env.transfer.getByLabel('Backup file').setInputFiles({
        name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Shopping list: milk, eggs\n'),
      });
      await shown(env.transfer, '#import-error');
      return env.transfer;
    },
  },
  {
    name: 'Import: an encrypted file asks for its password',
    async enter(env) {
      await env.transfer.getByLabel('Backup file').setInputFiles(await interop('aegis/aegis_encrypted.json'));
      await shown(env.transfer, '#password-form');
      return env.transfer;
    },
  },
  {
    name: 'Import: wrong file password',
    async enter(env) {
      await env.transfer.getByLabel('File password').fill('not the password');
      await button(env.transfer, 'Open').click();
      await shown(env.transfer, '#password-error');
      return env.transfer;
    },
  },
  {
    name: 'Import: an Aegis file previewed',
    async enter(env) {
      const expected = JSON.parse(await readFile(await interop('expected.json'), 'utf8'))
        .fixtures.find((f) => f.file === 'aegis/aegis_encrypted.json');
      await env.transfer.getByLabel('File password').fill(expected.password);
      await button(env.transfer, 'Open').click();
      await shown(env.transfer, '#preview');
      return env.transfer;
    },
  },
  {
    name: 'Import: cancelled',
    async enter(env) {
      await button(env.transfer, 'Cancel').click();
      await env.transfer.getByRole('status').filter({ hasText: 'Import cancelled' }).waitFor();
      return env.transfer;
    },
  },
  {
    name: 'Export to Google Authenticator: codes and the accounts left out',
    async enter(env) {
      await env.transfer.getByRole('radio', { name: 'Export to Google Authenticator' }).check();
      await button(env.transfer, 'Show QR codes').click();
      await env.transfer.getByRole('img', { name: /^Google Authenticator transfer code 1 of / }).waitFor();
      return env.transfer;
    },
  },
  {
    name: 'Import and export page, locked',
    async enter(env) {
      await env.page.bringToFront();
      await button(env.page, 'Lock now').click();
      await heading(env.page, 'Your accounts are locked');
      await env.transfer.close();
      env.transfer = await openTransfer(env);
      await heading(env.transfer, 'Your accounts are locked');
      return env.transfer;
    },
  },
  {
    name: 'Import and export page, locked: wrong password',
    async enter(env) {
      await byLabel(env.transfer, 'Password').fill('not the password');
      await button(env.transfer, 'Unlock').click();
      await shown(env.transfer, '#u-password-error');
      return env.transfer;
    },
  },
  {
    name: 'previous copy shown (current record unreadable)',
    async enter(env) {
      await env.transfer.close();
      await closeWindows(env);
      await env.page.bringToFront();
      await env.page.evaluate(() => Promise.all([chrome.storage.local.clear(), chrome.storage.session.clear()]));
      await env.page.reload();
      await seedAccounts(env.page, ACCOUNTS.slice(0, 2));
      // The current record replaced by something that is not a record: the previous one is shown.
      await env.page.evaluate(() => chrome.storage.local.set({ vault: { from: 'a future version' } }));
      await env.page.reload();
      await shown(env.page, '#notice');
      return env.page;
    },
  },
  {
    name: 'settings: records kept aside',
    async enter(env) {
      await env.page.evaluate(() => chrome.storage.local.set({
        'vault_damaged:1790000000000:vault': 'first record',
        'vault_damaged:1795000000000:vault_previous': 'x'.repeat(2500),
      }));
      await button(env.page, 'Settings').click();
      await shown(env.page, '#kept-aside');
      return env.page;
    },
  },
  {
    name: 'settings: delete a record kept aside, confirmation',
    async enter(env) {
      await visible(env.page.getByRole('button', { name: /^Delete the record kept/ })).first().click();
      await env.page.locator('#kept-aside-list .warning').filter({ visible: true }).waitFor();
      return env.page;
    },
  },
  {
    name: 'records that cannot be read',
    async enter(env) {
      await env.page.evaluate(async () => {
        await chrome.storage.local.clear();
        await chrome.storage.local.set({ vault_previous: '{"schema":1,"revision":' });
      });
      await env.page.reload();
      await heading(env.page, 'Your accounts could not be read');
      return env.page;
    },
  },
];
