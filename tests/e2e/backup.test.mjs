// Issue 15 in real headless Chromium: the Export half of the Import and export page driven as a
// person would. Every file is taken from the browser's own download (Playwright's `download`
// event) and checked by something other than our writer: the encrypted backup restored in a
// second, fresh profile with the codes compared against oathtool and Node's HMAC; the Aegis vault
// opened by tests/node/aegis_decrypt.mjs (Node's scrypt and AES-GCM); the plain list re-imported.
// Then the popup's backup reminder, Last backup in Settings, and the automatic backup.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ROOT, closeAll, codeButton, freshProfile, launch, openPopup, patchedDist, seedAccounts,
} from './harness.mjs';
import { assertCodes } from './otp-reference.mjs';

const BACKUP_PASSWORD = 'backup pass phrase ✓';
const KEYS = [
  'JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'MFRGGZDFMZTWQ2LKNNWG23TPOA',
  'KRUGKIDROVUWG2ZAMJZG653OEBTG66BAJJ2W24DT', 'ONSWG4TFOQQGC3DUN5TWK5DIMVZCA2LT', 'NB2W45DFOIQGK6DBNVYGYZI',
  'GE3TQMRQGAYDAMBQGAYDAMBQGAYDAMBQ', 'OBQXG43XN5ZGIIDGN5ZCAYTBMNVXK4DT',
];

/**
 * Every account shape of the issue, as the add form takes it (strings): TOTP SHA1/256/512 with
 * 6, 7 and 8 digits and odd periods, HOTP with a counter past 2^53 (a JS number would round it),
 * Steam, and Unicode labels.
 */
const SHAPES = [
  { issuer: 'Example', name: 'alice@example.com', secret: KEYS[0], type: 'totp', algorithm: 'SHA1', digits: '6', period: '30' },
  { issuer: 'Bank', name: 'bob', secret: KEYS[1], type: 'totp', algorithm: 'SHA256', digits: '8', period: '60' },
  { issuer: 'Cloud', name: 'carol', secret: KEYS[2], type: 'totp', algorithm: 'SHA512', digits: '7', period: '45' },
  { issuer: 'Odd', name: 'seventeen', secret: KEYS[3], type: 'totp', algorithm: 'SHA1', digits: '6', period: '17' },
  { issuer: 'VPN', name: 'token', secret: KEYS[4], type: 'hotp', algorithm: 'SHA1', digits: '6', counter: '9007199254740993' },
  { issuer: 'Safe', name: 'hotp512', secret: KEYS[5], type: 'hotp', algorithm: 'SHA512', digits: '8', counter: '4294967297' },
  { issuer: 'Steam', name: 'gaben', secret: KEYS[6], type: 'steam' },
  { issuer: 'Ünïcødé Bänk', name: '名前 ✓ 🔐', secret: KEYS[7], type: 'totp', algorithm: 'SHA1', digits: '6', period: '30' },
];

let scratch;
before(async () => { scratch = await mkdtemp(join(tmpdir(), 'tba-backup-')); });
after(async () => {
  await closeAll();
  await rm(scratch, { recursive: true, force: true });
});

async function openTransfer(browser, hash = '') {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => { throw new Error(`transfer page error: ${error.message}`); });
  await page.goto(`chrome-extension://${browser.extensionId}/transfer.html${hash}`);
  await page.waitForFunction(() => performance.getEntriesByName('transfer-ready').length > 0
    || !document.getElementById('notice').hidden, null, { timeout: 30_000 });
  return page;
}

/** Everything in chrome.storage.local, as one string to compare byte for byte. */
const dumpLocal = (page) => page.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));

/**
 * What an export may not change: everything stored but the backup facts and the popup's notice
 * derived from them (README: exports record the backup, and change nothing else).
 */
const dumpAccounts = (page) => page.evaluate(async () => {
  const all = await chrome.storage.local.get(null);
  for (const key of ['backup_facts', 'backup_notice']) delete all[key];
  return JSON.stringify(all);
});

const status = (page, text) => page.getByRole('status').filter({ hasText: text });
const alert = (page, text) => page.getByRole('alert').filter({ hasText: text });
const downloadButton = (page) => page.getByRole('button', { name: 'Download', exact: true });

/** Today's date in this machine's time zone (the browser's), as the file names carry it. */
function localDate(date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Counts the downloads a page starts, so a refused export can be shown to have saved nothing. */
function countDownloads(page) {
  const counter = { count: 0 };
  page.on('download', () => { counter.count += 1; });
  return counter;
}

/** Presses Download and returns {name, path, text} of the file the browser saves. */
async function download(page) {
  const [event] = await Promise.all([
    page.waitForEvent('download', { timeout: 90_000 }),
    downloadButton(page).click(),
  ]);
  assert.equal(await event.failure(), null, 'the download completed');
  const path = join(scratch, `${Date.now()}-${event.suggestedFilename()}`);
  await event.saveAs(path);
  return { name: event.suggestedFilename(), path, text: await readFile(path, 'utf8') };
}

/** Waits until the Download button is usable again (an export finished, saved or refused). */
async function settled(page) {
  await page.waitForFunction(() => {
    const button = document.getElementById('export-download');
    return !button.disabled && button.textContent === 'Download';
  }, null, { timeout: 90_000 });
}

/** The popup's code labels, in list order. */
const shownLabels = (popup) => popup.locator('button[aria-label^="Copy code for "]').evaluateAll(
  (buttons) => buttons.map((b) => b.getAttribute('aria-label').replace(/^Copy code for /, '').replace(/: .*$/, '')),
);

/** Fills the two backup password fields. */
async function typePasswords(page, password, confirmation = password) {
  await page.getByLabel('Backup password', { exact: true }).fill(password);
  await page.getByLabel('Confirm backup password').fill(confirmation);
}

/** Imports `file` (encrypted with `password`, if given) through Backup file and the preview. */
async function restore(page, path, count, password = null) {
  await page.getByLabel('Backup file').setInputFiles(path);
  if (password !== null) {
    await page.getByLabel('File password').fill(password);
    await page.getByRole('button', { name: 'Open' }).click();
  }
  await page.locator('#preview').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: `Import ${count} accounts` }).click();
  await status(page, `Imported ${count} accounts`).waitFor({ timeout: 20_000 });
}

/** The labels the popup must show for SHAPES, sorted. */
const shapeLabels = () => SHAPES.map((s) => `${s.issuer} ${s.name}`).sort();

describe('export from a profile holding every account shape', () => {
  let source;
  let page;
  let backup;
  const fresh = [];

  before(async () => {
    source = await launch();
    page = await openTransfer(source);
    await seedAccounts(page, SHAPES);
    // A damaged record kept aside, holding an account of its own: never exported.
    await page.evaluate((record) => chrome.storage.local.set({ 'vault_damaged:1790000000000:vault': record }), JSON.stringify({
      schema: 1,
      revision: 1,
      accounts: [{ id: 'e'.repeat(32), issuer: 'Aside', name: 'x', type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, secret: 'MZXW6YTBOI' }],
    }));
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('transfer-ready').length > 0);
  });
  after(async () => {
    await source?.close();
    await source?.cleanup();
    for (const browser of fresh) await browser.cleanup();
  });

  /** A second, fresh profile (closed and removed after the test). */
  async function secondProfile() {
    const browser = await launch();
    fresh.push(browser);
    return browser;
  }

  test('Encrypted backup: short or mismatched passwords say so and save nothing; Download saves a dated file with no key in it', async () => {
    const downloads = countDownloads(page);
    const stored = await dumpAccounts(page);
    assert.equal(await page.getByRole('radio', { name: /^Encrypted backup/ }).isChecked(), true, 'the default');

    await typePasswords(page, 'short', 'short');
    await downloadButton(page).click();
    await alert(page, 'Use at least 8 characters for the backup password.').waitFor();
    await settled(page);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'backup-password', 'focus on the field to fix');

    await typePasswords(page, BACKUP_PASSWORD, `${BACKUP_PASSWORD}!`);
    await downloadButton(page).click();
    await alert(page, 'The two backup passwords are not the same.').waitFor();
    await settled(page);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'backup-confirm');
    assert.equal(downloads.count, 0, 'a refused export saves nothing');

    await typePasswords(page, BACKUP_PASSWORD);
    backup = await download(page);
    assert.equal(backup.name, `toolbar-authenticator-backup-${localDate()}.json`);
    await status(page, `Saved ${SHAPES.length} accounts to ${backup.name}`).waitFor();
    assert.equal(await page.getByRole('alert').filter({ visible: true }).count(), 0, 'no error left shown');
    assert.equal(await page.getByLabel('Backup password', { exact: true }).inputValue(), '', 'the password leaves the page');
    assert.equal(downloads.count, 1);

    const file = JSON.parse(backup.text);
    assert.equal(file.format, 'toolbar-authenticator-backup');
    assert.equal(file.version, 1);
    assert.equal(file.cipher, 'xchacha20poly1305');
    assert.equal(file.kdf.algorithm, 'argon2id');
    for (const shape of SHAPES) {
      assert.ok(!backup.text.includes(shape.secret), 'no key in the file');
      assert.ok(!backup.text.toLowerCase().includes(shape.secret.toLowerCase().slice(0, 12)), 'not even in lower case');
      assert.ok(!backup.text.includes(shape.name) && !backup.text.includes(shape.issuer), 'no label either');
    }
    assert.equal(await dumpAccounts(page), stored, 'the export changed nothing stored but the backup facts');
  });

  test('the backup restores in a second profile: a wrong password stores nothing, the right one the same accounts and codes', async () => {
    assert.ok(backup, 'the previous test saved a backup');
    const target = await secondProfile();
    const restorePage = await openTransfer(target);
    const empty = await dumpLocal(restorePage);

    await restorePage.getByLabel('Backup file').setInputFiles(backup.path);
    await restorePage.getByLabel('File password').fill('not the backup password');
    await restorePage.getByRole('button', { name: 'Open' }).click();
    await alert(restorePage, 'Wrong password for this file').waitFor({ timeout: 60_000 });
    assert.equal(await restorePage.locator('#preview').isHidden(), true, 'no preview after a wrong password');
    assert.equal(await dumpLocal(restorePage), empty, 'a wrong password stores nothing, byte for byte');

    await restorePage.getByLabel('File password').fill(BACKUP_PASSWORD);
    await restorePage.getByRole('button', { name: 'Open' }).click();
    await restorePage.locator('#preview').waitFor({ timeout: 60_000 });
    assert.match(await restorePage.locator('#preview-summary').textContent(), /^Toolbar Authenticator backup: 8 entries read/);
    const counters = await restorePage.locator('#preview-rows tr').filter({ hasText: 'HOTP' }).locator('td').allTextContents();
    assert.ok(counters.includes('counter 9007199254740993'), `the exact counter in the preview: ${counters}`);
    await restorePage.getByRole('button', { name: `Import ${SHAPES.length} accounts` }).click();
    await status(restorePage, `Imported ${SHAPES.length} accounts`).waitFor({ timeout: 20_000 });
    await target.close();

    // The restored profile, started again: the accounts were stored, not only shown.
    const again = await launch({ profile: target.profile });
    const popup = await openPopup(again);
    assert.deepEqual((await shownLabels(popup)).sort(), shapeLabels());
    assert.equal(await codeButton(popup, 'Aside').count(), 0, 'the record kept aside was not in the backup');
    await assertCodes(popup, SHAPES);
    await again.close();
  });

  test('Aegis vault: the file opens with Node\'s scrypt and AES-GCM to the same accounts; without encryption only after a second Download', async () => {
    const downloads = countDownloads(page);
    const stored = await dumpAccounts(page);
    await page.getByRole('radio', { name: 'Aegis vault' }).check();
    await typePasswords(page, BACKUP_PASSWORD);
    const aegis = await download(page);
    assert.equal(aegis.name, `toolbar-authenticator-aegis-${localDate()}.json`);
    for (const shape of SHAPES) assert.ok(!aegis.text.includes(shape.secret), 'no key in the encrypted file');

    const decrypted = execFileSync('node', [join(ROOT, 'tests/node/aegis_decrypt.mjs'), aegis.path], {
      env: { ...process.env, AEGIS_PASSWORD: BACKUP_PASSWORD }, encoding: 'utf8',
    });
    assertAegisEntries(decrypted);

    // Without encryption: the first Download only warns.
    await page.getByRole('checkbox', { name: /^Without encryption/ }).check();
    assert.equal(await page.getByLabel('Backup password', { exact: true }).isHidden(), true, 'no password for a plain vault');
    await downloadButton(page).click();
    await alert(page, 'A vault without encryption lets anyone who reads the file make your codes').waitFor();
    await settled(page);
    assert.equal(downloads.count, 1, 'the first press saved nothing');
    const plain = await download(page);
    assert.equal(plain.name, `toolbar-authenticator-aegis-plain-${localDate()}.json`);
    const vault = JSON.parse(plain.text);
    assert.equal(typeof vault.db, 'object', 'a plain vault holds its entries in the clear');
    assertAegisEntries(plain.text); // as text: JSON.parse would round the counters
    assert.ok(!plain.text.includes('MZXW6YTBOI'), 'the record kept aside is not exported');
    await page.getByRole('checkbox', { name: /^Without encryption/ }).uncheck();
    assert.equal(await dumpAccounts(page), stored, 'the exports changed nothing stored but the backup facts');
  });

  test('Plain otpauth list: only behind its warning; the text re-imports to the same accounts and codes', async () => {
    const downloads = countDownloads(page);
    const stored = await dumpAccounts(page);
    await page.getByRole('radio', { name: 'Plain otpauth list' }).check();
    await page.getByText('This file holds every key in the clear: anyone who reads it').waitFor();
    assert.equal(await page.getByLabel('Backup password', { exact: true }).isHidden(), true);
    await downloadButton(page).click();
    await alert(page, 'Tick the box above to confirm that you understand the list is not encrypted.').waitFor();
    await settled(page);
    assert.equal(downloads.count, 0, 'nothing saved before the warning is acknowledged');

    await page.getByRole('checkbox', { name: 'I understand: this file holds every key in the clear' }).check();
    const list = await download(page);
    assert.equal(list.name, `toolbar-authenticator-otpauth-${localDate()}.txt`);
    const lines = list.text.split('\n').filter(Boolean);
    assert.equal(lines.length, SHAPES.length);
    assert.ok(lines.every((line) => line.startsWith('otpauth://')), 'one link per line');
    assert.ok(!list.text.includes('MZXW6YTBOI'), 'the record kept aside is not exported');
    assert.equal(await dumpAccounts(page), stored, 'the export changed nothing stored but the backup facts');

    const target = await secondProfile();
    const importPage = await openTransfer(target);
    await restore(importPage, list.path, SHAPES.length);
    const popup = await openPopup(target);
    assert.deepEqual((await shownLabels(popup)).sort(), shapeLabels());
    await assertCodes(popup, SHAPES);
    await target.close();
  });
});

/** The decrypted Aegis content holds SHAPES, field by field (the counter read as text, exactly). */
function assertAegisEntries(text) {
  const parsed = JSON.parse(text);
  const { entries } = parsed.db ?? parsed; // a plain vault, or the content of an encrypted one
  assert.equal(entries.length, SHAPES.length);
  const counters = [...text.matchAll(/"counter":\s*(\d+)/g)].map((m) => m[1]);
  for (const shape of SHAPES) {
    const entry = entries.find((e) => e.issuer === shape.issuer && e.name === shape.name);
    assert.ok(entry, `${shape.issuer} ${shape.name} is in the vault`);
    assert.equal(entry.type, shape.type);
    assert.equal(entry.info.secret, shape.secret);
    if (shape.type === 'steam') {
      assert.deepEqual([entry.info.algo, entry.info.digits, entry.info.period], ['SHA1', 5, 30]);
      continue;
    }
    assert.equal(entry.info.algo, shape.algorithm);
    assert.equal(entry.info.digits, Number(shape.digits));
    if (shape.type === 'hotp') assert.ok(counters.includes(shape.counter), `${shape.issuer}: counter ${shape.counter}`);
    else assert.equal(entry.info.period, Number(shape.period));
  }
}

// ---- the popup's reminder and Last backup -----------------------------------------------------

/** Adds an account through the popup's add form, as a person would. */
async function addByForm(popup, issuer, secret) {
  await popup.getByRole('button', { name: 'Add account' }).click();
  await popup.getByRole('textbox', { name: 'Issuer', exact: true }).fill(issuer);
  await popup.getByRole('textbox', { name: 'Account name', exact: true }).fill('me');
  await popup.getByRole('textbox', { name: 'Secret key', exact: true }).fill(secret);
  await popup.getByRole('button', { name: 'Save' }).click();
  await codeButton(popup, `${issuer} me`).waitFor({ timeout: 20_000 });
}

/** Waits until the worker's notice describes the vault as stored now; returns the notice. */
async function noticeUpToDate(page) {
  const handle = await page.waitForFunction(async () => {
    const stored = await chrome.storage.local.get(['vault', 'backup_notice']);
    if (!stored.vault || !stored.backup_notice) return false;
    const notice = JSON.parse(stored.backup_notice);
    return notice.revision === JSON.parse(stored.vault).revision && notice;
  }, null, { timeout: 30_000, polling: 100 });
  return handle.jsonValue();
}

/** Opens Settings in the popup, returns the Last backup line, and goes back to the list. */
async function lastBackupLine(popup) {
  await popup.evaluate(() => { document.getElementById('last-backup').textContent = ''; });
  await popup.getByRole('button', { name: 'Settings' }).click();
  const line = popup.locator('#last-backup');
  await popup.waitForFunction(() => document.getElementById('last-backup').textContent !== '');
  const text = await line.textContent();
  await popup.getByRole('button', { name: 'Back', exact: true }).click();
  return text;
}

const reminder = (popup) => popup.locator('#backup-reminder');

describe('the backup reminder', () => {
  test('after the fifth added account; Back up now opens the encrypted backup; gone after a backup; Dismiss until the next change; Last backup in Settings', async () => {
    const browser = await launch();
    const popup = await openPopup(browser);
    assert.equal(await lastBackupLine(popup), 'Last backup: never');

    for (let i = 0; i < 4; i += 1) await addByForm(popup, `Added${i}`, KEYS[i]);
    assert.equal((await noticeUpToDate(popup)).added, 4);
    assert.equal(await reminder(popup).isHidden(), true, 'no reminder after four accounts');
    await addByForm(popup, 'Added4', KEYS[4]);
    await reminder(popup).getByText('5 accounts added since your last backup.').waitFor({ timeout: 30_000 });

    const [tab] = await Promise.all([
      browser.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Back up now' }).click(),
    ]);
    await tab.waitForFunction(() => performance.getEntriesByName('transfer-ready').length > 0, null, { timeout: 30_000 });
    assert.equal(new URL(tab.url()).hash, '#backup');
    assert.equal(await tab.getByRole('radio', { name: /^Encrypted backup/ }).isChecked(), true);
    assert.equal(await tab.evaluate(() => document.activeElement.id), 'backup-password', 'ready to type the backup password');
    await typePasswords(tab, BACKUP_PASSWORD);
    await download(tab);
    await reminder(popup).waitFor({ state: 'hidden', timeout: 30_000 });
    assert.match(await lastBackupLine(popup), /^Last backup: (now|this minute|\d+ minutes? ago)$/);

    // Three days later (the facts' time moved back): Settings says so.
    await popup.evaluate(async () => {
      const facts = JSON.parse((await chrome.storage.local.get('backup_facts')).backup_facts);
      facts.lastBackup -= 3 * 86_400;
      await chrome.storage.local.set({ backup_facts: JSON.stringify(facts) });
    });
    await popup.waitForFunction(async () => {
      const { backup_notice: notice } = await chrome.storage.local.get('backup_notice');
      return Date.now() / 1000 - JSON.parse(notice).lastBackup > 2 * 86_400;
    }, null, { timeout: 30_000, polling: 100 });
    assert.equal(await lastBackupLine(popup), 'Last backup: 3 days ago');

    // Five more through the JS API: the reminder again; Dismiss hides it, also in a new popup.
    await seedAccounts(popup, [5, 6, 7, 8, 9].map((i) => ({ issuer: `Seeded${i}`, name: 'me', secret: KEYS[i % KEYS.length] })));
    await reminder(popup).getByText('5 accounts added since your last backup.').waitFor({ timeout: 30_000 });
    await popup.getByRole('button', { name: 'Dismiss' }).click();
    await reminder(popup).waitFor({ state: 'hidden' });
    await popup.waitForFunction(async () => {
      const { backup_notice: notice } = await chrome.storage.local.get('backup_notice');
      return JSON.parse(notice).remind === null;
    }, null, { timeout: 30_000, polling: 100 });
    const second = await openPopup(browser);
    await codeButton(second, 'Seeded9 me').waitFor();
    assert.equal(await reminder(second).isHidden(), true, 'dismissed: not in the next popup either');

    // The next change brings it back.
    await addByForm(second, 'After', KEYS[2]);
    await reminder(second).getByText('6 accounts added since your last backup.').waitFor({ timeout: 30_000 });
    await browser.close();
    await browser.cleanup();
  });
});

// ---- the automatic backup and a locked vault ---------------------------------------------------

describe('the automatic backup', () => {
  test('the shipped manifest asks for downloads only as an optional permission, beside the clipboard ones', async () => {
    const browser = await launch();
    const manifest = await browser.worker.evaluate(() => chrome.runtime.getManifest());
    await browser.close();
    await browser.cleanup();
    assert.ok(!manifest.permissions.includes('downloads'));
    for (const permission of ['clipboardRead', 'clipboardWrite', 'downloads']) {
      assert.ok(manifest.optional_permissions.includes(permission), `${permission} is an optional permission as the browser reads the manifest`);
    }
  });

  test('turned on: a backup into Downloads/toolbar-authenticator at once, that restores; the next change waits a day', async () => {
    // The worker runs in a time zone whose date is not UTC's now: the file carries the local one.
    const zone = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const { browser, page, downloads, done } = await autoBackupBrowser({ TZ: zone });
    try {
      await seedAccounts(page, SHAPES.slice(0, 3));
      await autoStatus(page, 'Automatic backup is off.').waitFor();
      await turnOn(page, 'short');
      await alert(page, 'Use at least 8 characters for the backup password.').waitFor({ timeout: 30_000 });

      await turnOn(page, BACKUP_PASSWORD);
      await autoStatus(page, /^Automatic backup is on\. Last automatic backup: (now|this minute)/).waitFor({ timeout: 60_000 });
      const stored = await page.evaluate(() => chrome.storage.local.get('auto_backup'));
      assert.ok(!stored.auto_backup.includes(BACKUP_PASSWORD), 'only a key made from the password is kept');

      const item = await finishedDownload(browser);
      const date = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
      assert.notEqual(date, new Date().toISOString().slice(0, 10), `${zone} is a day away from UTC`);
      assert.equal(item.filename, join(downloads, 'toolbar-authenticator', `toolbar-authenticator-backup-${date}.json`));
      const text = await readFile(item.filename, 'utf8');
      for (const shape of SHAPES) assert.ok(!text.includes(shape.secret), 'no key in the file');

      // A change the same day: no second file now, an alarm a day after the first.
      await seedAccounts(page, SHAPES.slice(3, 4));
      const alarm = await browser.worker.evaluate(async () => {
        for (let i = 0; i < 100; i += 1) {
          const found = await chrome.alarms.get('auto-backup');
          if (found) return found;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return null;
      });
      assert.ok(alarm, 'the next automatic backup is scheduled');
      assert.ok(alarm.scheduledTime > Date.now() + 23 * 3600_000, 'at most once a day');
      assert.equal((await browser.worker.evaluate(() => chrome.downloads.search({}))).length, 1);

      // The file is a backup like the others: it restores in a fresh profile.
      const target = await launch();
      const restorePage = await openTransfer(target);
      await restore(restorePage, item.filename, 3, BACKUP_PASSWORD);
      const popup = await openPopup(target);
      await assertCodes(popup, SHAPES.slice(0, 3));
      await target.close();
      await target.cleanup();
    } finally {
      await done();
    }
  });

  test('with a vault password the key is sealed under it; removing the vault password pauses the backups and asks again', async () => {
    const { browser, page, done } = await autoBackupBrowser();
    try {
      await page.evaluate(async (shape) => {
        const wasm = await import('./pkg/toolbar_authenticator.js');
        await wasm.default();
        const auth = await wasm.Authenticator.load();
        await auth.add(shape);
        await auth.setPassword('vault pass phrase', 'vault pass phrase');
      }, SHAPES[0]);
      await page.reload();
      await autoStatus(page, 'Automatic backup is off.').waitFor({ timeout: 30_000 });
      await turnOn(page, BACKUP_PASSWORD);
      await autoStatus(page, /^Automatic backup is on\. Last automatic backup: (now|this minute)/).waitFor({ timeout: 60_000 });
      assert.equal(JSON.parse((await page.evaluate(() => chrome.storage.local.get('auto_backup'))).auto_backup).key.kind, 'sealed');
      assert.equal((await finishedDownload(browser)).state, 'complete');

      await page.evaluate(async () => {
        const wasm = await import('./pkg/toolbar_authenticator.js');
        await wasm.default();
        const auth = await wasm.Authenticator.load();
        await auth.removePassword('vault pass phrase');
      });
      await autoStatus(page, 'Automatic backup is paused: your vault password changed').waitFor({ timeout: 30_000 });
      await turnOn(page, BACKUP_PASSWORD);
      await autoStatus(page, /^Automatic backup is on\./).waitFor({ timeout: 60_000 });
      assert.equal(JSON.parse((await page.evaluate(() => chrome.storage.local.get('auto_backup'))).auto_backup).key.kind, 'plain');
    } finally {
      await done();
    }
  });
});

/**
 * A browser for the automatic backup: a test-only copy of dist/ granting `downloads` (headless,
 * nobody can answer the permission prompt), and the browser's own download naming (Playwright
 * saves under random names) into a Downloads folder set in the profile's preferences.
 */
async function autoBackupBrowser(env = undefined) {
  const dist = await patchedDist((manifest) => {
    manifest.permissions.push('downloads');
    manifest.optional_permissions = manifest.optional_permissions.filter((p) => p !== 'downloads');
  });
  const downloads = await mkdtemp(join(scratch, 'Downloads-'));
  const profile = await freshProfile();
  await mkdir(join(profile, 'Default'), { recursive: true });
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify({
    download: { default_directory: downloads, prompt_for_download: false },
  }));
  const browser = await launch({ dist, profile, env });
  const page = await openTransfer(browser);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
  const done = async () => {
    await browser.close();
    await browser.cleanup();
    await rm(dist, { recursive: true, force: true });
  };
  return { browser, page, downloads, done };
}

const autoStatus = (page, text) => page.locator('#auto-backup-status').filter({ hasText: text });

/** Types the automatic backup's password twice and presses Turn on automatic backup. */
async function turnOn(page, password) {
  await page.getByLabel('Password for automatic backups', { exact: true }).fill(password);
  await page.getByLabel('Confirm password for automatic backups', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Turn on automatic backup' }).click();
}

/** The first download the extension made, once it is no longer in progress. */
async function finishedDownload(browser) {
  const item = await browser.worker.evaluate(async () => {
    for (let i = 0; i < 300; i += 1) {
      const [found] = await chrome.downloads.search({});
      if (found && found.state !== 'in_progress') return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return null;
  });
  assert.equal(item?.state, 'complete', `the download finished: ${item?.error}`);
  return item;
}

describe('a locked vault', () => {
  test('the page asks for the password first, then the backup is made; the sealed vault is unchanged', async () => {
    const browser = await launch();
    const popup = await openPopup(browser);
    await popup.evaluate(async (shape) => {
      const wasm = await import('./pkg/toolbar_authenticator.js');
      await wasm.default();
      const auth = await wasm.Authenticator.load();
      await auth.add(shape);
      await auth.setPassword('vault pass phrase', 'vault pass phrase');
      await auth.lock();
    }, SHAPES[0]);
    const page = await openTransfer(browser, '#backup');
    await page.getByRole('heading', { name: 'Your accounts are locked' }).waitFor();
    assert.equal(await page.getByLabel('Backup password', { exact: true }).isHidden(), true, 'no export before unlocking');
    await page.getByLabel('Password', { exact: true }).fill('vault pass phrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByLabel('Backup password', { exact: true }).waitFor({ timeout: 30_000 });
    const vault = (await page.evaluate(() => chrome.storage.local.get('vault'))).vault;
    await typePasswords(page, BACKUP_PASSWORD);
    const file = await download(page);
    assert.equal(file.name, `toolbar-authenticator-backup-${localDate()}.json`);
    assert.ok(!file.text.includes(SHAPES[0].secret));
    assert.equal((await page.evaluate(() => chrome.storage.local.get('vault'))).vault, vault, 'the sealed vault is untouched');
    await status(page, 'Saved 1 account to').waitFor();
    await browser.close();
    await browser.cleanup();
  });
});
