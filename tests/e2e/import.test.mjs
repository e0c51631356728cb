// Issue 14 in real headless Chromium: the Import and export page driven as a person would, with
// real exports from other apps read in place from ../shared/interop/ (never copied here), our
// own Google Authenticator transfer payloads and QR pictures, and the codes checked in the popup
// against oathtool (Steam against a reference written here from Steam's published algorithm).

import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import QRCode from 'qrcode';
import { ROOT, closeAll, codeButton, launch, openPopup } from './harness.mjs';
import { assertCodes } from './otp-reference.mjs';
import { migrationLink } from './qr-helpers.mjs';

const INTEROP = join(ROOT, '..', 'shared', 'interop');
let scratch;

before(async () => { scratch = await mkdtemp(join(tmpdir(), 'tba-import-')); });
after(async () => {
  await closeAll();
  await rm(scratch, { recursive: true, force: true });
});

/** A file of ../shared/interop/, read in place; its absence fails the test, saying so. */
async function interop(relative) {
  const path = join(INTEROP, relative);
  try {
    await access(path);
  } catch {
    throw new Error(`${path} is missing: the import tests read the real exports in ${INTEROP} (../shared/interop/ beside the checkout)`);
  }
  return path;
}

/** The expected entries of one interop file (expected.json). */
async function expectedOf(relative) {
  const all = JSON.parse(await readFile(await interop('expected.json'), 'utf8'));
  const fixture = all.fixtures.find((f) => f.file === relative);
  assert.ok(fixture, `expected.json lists ${relative}`);
  return fixture;
}

async function openTransfer(browser) {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => { throw new Error(`transfer page error: ${error.message}`); });
  await page.goto(`chrome-extension://${browser.extensionId}/transfer.html`);
  await page.waitForFunction(() => performance.getEntriesByName('transfer-ready').length > 0
    || !document.getElementById('notice').hidden, null, { timeout: 30_000 });
  return page;
}

/** Everything in chrome.storage.local, as one string to compare byte for byte. */
const dumpLocal = (page) => page.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));

const previewRows = (page) => page.locator('#preview-rows tr');
const status = (page, text) => page.getByRole('status').filter({ hasText: text });
const alert = (page, text) => page.getByRole('alert').filter({ hasText: text });

const KEYS = ['JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'MFRGGZDFMZTWQ2LKNNWG23TPOA', 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BAJJ2W24DT'];

describe('import', () => {
  test('an encrypted Aegis file: wrong then right password, uncheck one, import; the popup shows the codes', async () => {
    const file = await interop('aegis/aegis_encrypted.json');
    const expected = await expectedOf('aegis/aegis_encrypted.json');
    const browser = await launch();
    const page = await openTransfer(browser);
    const stored = await dumpLocal(page);

    await page.getByLabel('Backup file').setInputFiles(file);
    await page.getByLabel('File password').waitFor();
    await page.getByLabel('File password').fill('not the password');
    await page.getByRole('button', { name: 'Open' }).click();
    await alert(page, 'Wrong password for this file').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#preview').isHidden(), true, 'no preview after a wrong password');
    assert.equal(await dumpLocal(page), stored, 'a wrong password stores nothing');

    await page.getByLabel('File password').fill(expected.password);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.locator('#preview').waitFor({ timeout: 30_000 });
    assert.equal(await previewRows(page).count(), expected.entries.length);
    assert.match(await page.locator('#preview-summary').textContent(), /^Aegis: 7 entries read/);
    const hotp = previewRows(page).filter({ hasText: 'WWE' });
    assert.deepEqual(
      (await hotp.locator('td').allTextContents()).slice(1),
      ['Mason', 'HOTP', 'SHA512', '8', 'counter 10300', ''],
    );
    await page.getByRole('button', { name: 'Import 7 accounts' }).waitFor();
    await page.getByRole('checkbox', { name: 'Import Airbnb (Elijah)' }).uncheck();
    assert.equal(await dumpLocal(page), stored, 'the preview stores nothing');
    const html = await page.content();
    for (const entry of expected.entries) assert.ok(!html.includes(entry.secret), 'no key in the page');

    await page.getByRole('button', { name: 'Import 6 accounts' }).click();
    await status(page, 'Imported 6 accounts').waitFor({ timeout: 20_000 });
    const vault = JSON.parse((await page.evaluate(() => chrome.storage.local.get('vault'))).vault);
    assert.equal(vault.revision, 1, 'one vault write, one revision');
    assert.equal(vault.accounts.length, 6);

    const popup = await openPopup(browser);
    await assertCodes(popup, expected.entries.filter((e) => e.issuer !== 'Airbnb'));
    assert.equal(await codeButton(popup, 'Airbnb').count(), 0, 'the unchecked entry was not imported');
    await browser.close();
    await browser.cleanup();
  });

  test('a file dropped on the page is read like a chosen one', async () => {
    const name = 'aegis/aegis_plain.json';
    const text = await readFile(await interop(name), 'utf8');
    const expected = await expectedOf(name);
    const browser = await launch();
    const page = await openTransfer(browser);
    // The page's own drag and drop path: dragenter shows the drop zone, drop reads the file.
    const dropped = await page.evaluateHandle((content) => {
      const data = new DataTransfer();
      data.items.add(new File([content], 'from-aegis.json', { type: 'application/json' }));
      return data;
    }, text);
    await page.evaluate((data) => document.body.dispatchEvent(
      new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true })), dropped);
    assert.equal(await page.locator('#drop-zone').isVisible(), true, 'the drop zone shows while dragging');
    const taken = await page.evaluate((data) => !document.body.dispatchEvent(
      new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true })), dropped);
    assert.ok(taken, 'the page takes the drop (the browser does not open the file)');
    assert.equal(await page.locator('#drop-zone').isHidden(), true);
    await page.locator('#preview').waitFor({ timeout: 30_000 });
    assert.equal(await previewRows(page).count(), expected.entries.length);
    assert.match(await page.locator('#preview-summary').textContent(), /^Aegis: /);
    await browser.close();
    await browser.cleanup();
  });

  test('pasted links: a bad line is shown with its reason, an unnamed one is named; duplicates start unchecked', async () => {
    const browser = await launch();
    const page = await openTransfer(browser);
    const text = [
      `otpauth://totp/Paste:one?secret=${KEYS[0]}&issuer=Paste`,
      'this is not a link',
      '',
      `  otpauth://totp/?secret=${KEYS[1]}&algorithm=SHA256&digits=8  `,
    ].join('\r\n');
    await page.getByLabel('Text to import').fill(text);
    await page.getByRole('button', { name: 'Show accounts' }).click();
    await page.locator('#preview').waitFor();
    assert.equal(await previewRows(page).count(), 3);
    assert.match(await previewRows(page).nth(1).textContent(), /Not an otpauth:\/\/ link/);
    assert.equal(await previewRows(page).nth(1).getByRole('checkbox').count(), 0, 'a skipped line has no check box');
    assert.match(await previewRows(page).nth(2).textContent(), /Unnamed account/);
    await page.getByRole('button', { name: 'Import 2 accounts' }).click();
    await status(page, 'Imported 2 accounts').waitFor({ timeout: 20_000 });
    assert.equal(await page.getByLabel('Text to import').inputValue(), '', 'the pasted keys leave the page');

    // The same links again: both are already in the list, so both start unchecked.
    await page.getByLabel('Text to import').fill(text);
    await page.getByRole('button', { name: 'Show accounts' }).click();
    await page.getByRole('button', { name: 'Import 0 accounts' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Import 0 accounts' }).isDisabled(), true);
    assert.equal(await previewRows(page).filter({ hasText: 'Already in your list' }).count(), 2);

    const popup = await openPopup(browser);
    await assertCodes(popup, [
      { issuer: 'Paste', name: 'one', secret: KEYS[0], type: 'totp', algorithm: 'SHA1', digits: 6 },
      { issuer: '', name: 'Unnamed account', secret: KEYS[1], type: 'totp', algorithm: 'SHA256', digits: 8 },
    ]);
    await browser.close();
    await browser.cleanup();
  });

  test('a three-part Google Authenticator batch with part 3 missing says so and imports parts 1 and 2', async () => {
    const browser = await launch();
    const page = await openTransfer(browser);
    const batch = { size: 3, id: 424242 };
    const parts = [
      [{ key: KEYS[0], issuer: 'Google', name: 'first@example.com' }],
      [{ key: KEYS[2], issuer: 'Long', name: 'x'.repeat(200), algorithm: 3, digits: 2 }],
      [{ key: KEYS[3], issuer: 'Third', name: 'never read' }],
    ];
    const links = parts.map((accounts, index) => migrationLink(accounts, { ...batch, index }));
    await page.getByLabel('Text to import').fill(`${links[1]}\n${links[0]}`);
    await page.getByRole('button', { name: 'Show accounts' }).click();
    await page.locator('#preview').waitFor();
    await page.getByText('2 of 3 parts imported, part 3 missing').waitFor();
    assert.equal(await previewRows(page).count(), 2);
    assert.match(await page.locator('#preview-summary').textContent(), /^Google Authenticator: 2 entries read/);
    await page.getByRole('button', { name: 'Import 2 accounts' }).click();
    await status(page, 'Imported 2 accounts').waitFor({ timeout: 20_000 });

    const popup = await openPopup(browser);
    await assertCodes(popup, [
      { issuer: 'Google', name: 'first@example.com', secret: KEYS[0], type: 'totp', algorithm: 'SHA1', digits: 6 },
      { issuer: 'Long', name: 'x'.repeat(200), secret: KEYS[2], type: 'totp', algorithm: 'SHA512', digits: 8 },
    ]);
    await browser.close();
    await browser.cleanup();
  });

  test('QR pictures: a chosen image file, then the parts of a batch chosen and pasted with Ctrl+V', async () => {
    const browser = await launch();
    const page = await openTransfer(browser);
    const single = join(scratch, 'single.png');
    await QRCode.toFile(single, `otpauth://totp/Picture:pic?secret=${KEYS[3]}&issuer=Picture`, { scale: 4 });
    await page.getByLabel('Backup file').setInputFiles(single);
    await page.locator('#preview').waitFor({ timeout: 20_000 });
    assert.equal(await previewRows(page).count(), 1);
    await page.getByRole('button', { name: 'Import 1 account' }).click();
    await status(page, 'Imported 1 account').waitFor({ timeout: 20_000 });

    const batch = { size: 2, id: 7 };
    const first = join(scratch, 'part1.png');
    await QRCode.toFile(first, migrationLink([{ key: KEYS[1], issuer: 'Part', name: 'one' }], { ...batch, index: 0 }), { scale: 4 });
    await page.getByLabel('Backup file').setInputFiles(first);
    await page.getByText('1 of 2 parts imported, part 2 missing').waitFor({ timeout: 20_000 });
    const second = await QRCode.toDataURL(migrationLink([{ key: KEYS[2], issuer: 'Part', name: 'two' }], { ...batch, index: 1 }), { scale: 4 });
    await page.evaluate(async (url) => {
      const blob = await (await fetch(url)).blob();
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
    }, second);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+V');
    await page.getByText('All 2 parts of the Google Authenticator transfer read').waitFor({ timeout: 20_000 });
    assert.equal(await previewRows(page).count(), 2);
    await page.getByRole('button', { name: 'Import 2 accounts' }).click();
    await status(page, 'Imported 2 accounts').waitFor({ timeout: 20_000 });

    const popup = await openPopup(browser);
    await assertCodes(popup, [
      { issuer: 'Picture', name: 'pic', secret: KEYS[3], type: 'totp', algorithm: 'SHA1', digits: 6 },
      { issuer: 'Part', name: 'one', secret: KEYS[1], type: 'totp', algorithm: 'SHA1', digits: 6 },
      { issuer: 'Part', name: 'two', secret: KEYS[2], type: 'totp', algorithm: 'SHA1', digits: 6 },
    ]);
    await browser.close();
    await browser.cleanup();
  });

  test('a corrupt file, a damaged encrypted one and a cancelled import leave storage byte for byte unchanged', async () => {
    const browser = await launch();
    const page = await openTransfer(browser);
    await page.getByLabel('Text to import').fill(`otpauth://totp/Kept:k?secret=${KEYS[0]}&issuer=Kept`);
    await page.getByRole('button', { name: 'Show accounts' }).click();
    await page.getByRole('button', { name: 'Import 1 account' }).click();
    await status(page, 'Imported 1 account').waitFor({ timeout: 20_000 });
    const stored = await dumpLocal(page);

    const plain = await readFile(await interop('aegis/aegis_plain.json'));
    const cut = join(scratch, 'cut.json');
    await writeFile(cut, plain.subarray(0, Math.floor(plain.length / 2)));
    await page.getByLabel('Backup file').setInputFiles(cut);
    await alert(page, /This is not a file this extension can import\. It reads: .*otpauth:\/\/ links, Google Authenticator, Aegis/).waitFor();
    assert.equal(await dumpLocal(page), stored);

    const encrypted = JSON.parse(await readFile(await interop('aegis/aegis_encrypted.json'), 'utf8'));
    const db = Buffer.from(encrypted.db, 'base64');
    db[10] ^= 0xff;
    encrypted.db = db.toString('base64');
    const damaged = join(scratch, 'damaged.json');
    await writeFile(damaged, JSON.stringify(encrypted));
    await page.getByLabel('Backup file').setInputFiles(damaged);
    await page.getByLabel('File password').fill((await expectedOf('aegis/aegis_encrypted.json')).password);
    await page.getByRole('button', { name: 'Open' }).click();
    await alert(page, 'This Aegis file is damaged').waitFor({ timeout: 30_000 });
    assert.equal(await dumpLocal(page), stored);

    await page.getByLabel('Backup file').setInputFiles(await interop('aegis/aegis_plain.json'));
    await page.getByRole('button', { name: 'Import 7 accounts' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await status(page, 'Import cancelled. Nothing was stored.').waitFor();
    assert.equal(await page.locator('#preview').isHidden(), true);
    assert.equal(await dumpLocal(page), stored);
    await browser.close();
    await browser.cleanup();
  });

  test('a locked vault asks for the password first; the import is sealed like the rest', async () => {
    const browser = await launch();
    const popup = await openPopup(browser);
    await popup.evaluate(async () => {
      const wasm = await import('./pkg/toolbar_authenticator.js');
      await wasm.default();
      const auth = await wasm.Authenticator.load();
      await auth.add({ issuer: 'Before', name: 'b', secret: 'JBSWY3DPEHPK3PXP' });
      await auth.setPassword('pass phrase', 'pass phrase');
      await auth.lock();
    });
    const page = await openTransfer(browser);
    await page.getByRole('heading', { name: 'Your accounts are locked' }).waitFor();
    assert.equal(await page.getByLabel('Backup file').isHidden(), true, 'no import before unlocking');
    await page.getByLabel('Password', { exact: true }).fill('wrong');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await alert(page, 'Wrong password').waitFor({ timeout: 20_000 });
    await page.getByLabel('Password', { exact: true }).fill('pass phrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByLabel('Backup file').waitFor({ timeout: 20_000 });

    await page.getByLabel('Text to import').fill(`otpauth://totp/Sealed:s?secret=${KEYS[1]}&issuer=Sealed`);
    await page.getByRole('button', { name: 'Show accounts' }).click();
    await page.getByRole('button', { name: 'Import 1 account' }).click();
    await status(page, 'Imported 1 account').waitFor({ timeout: 20_000 });
    const dump = await dumpLocal(page);
    assert.equal(JSON.parse(JSON.parse(dump).vault).schema, 3, 'still sealed (the current sealed schema)');
    assert.ok(!dump.includes(KEYS[1]), 'the imported key is not stored in the clear');

    await popup.reload();
    await assertCodes(popup, [{ issuer: 'Sealed', name: 's', secret: KEYS[1], type: 'totp', algorithm: 'SHA1', digits: 6 }]);
    await browser.close();
    await browser.cleanup();
  });

  test('Settings opens the page in a tab; the popup never loads the second module', async () => {
    const browser = await launch();
    const requests = [];
    const popup = await browser.context.newPage();
    popup.on('request', (request) => requests.push(request.url()));
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.waitForFunction(() => performance.getEntriesByName('codes-visible').length > 0);
    await popup.getByRole('button', { name: 'Settings' }).click();
    const [tab] = await Promise.all([
      browser.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Import and export' }).click(),
    ]);
    await tab.waitForLoadState();
    assert.equal(new URL(tab.url()).pathname, '/transfer.html');
    await tab.getByRole('heading', { name: 'Import and export' }).waitFor();
    assert.equal(await tab.title(), 'Import and export');
    assert.ok(requests.some((url) => url.endsWith('/pkg/toolbar_authenticator_bg.wasm')), 'the popup loaded its module');
    const foreign = requests.filter((url) => url.includes('toolbar_authenticator_transfer') || url.includes('transfer.js'));
    assert.deepEqual(foreign, [], 'the popup loaded none of the Import page');
    await browser.close();
    await browser.cleanup();
  });
});
