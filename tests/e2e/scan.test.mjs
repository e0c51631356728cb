// Scan QR code in real headless Chromium: a local page shows QR codes made by npm `qrcode` (an
// encoder independent of ours), at page zoom 150% on a screen of device pixel ratio 2; the popup
// (in a window of its own, as the toolbar opens it) captures the tab and decodes it with the
// second WebAssembly module. A test copy of dist/ has the <all_urls> host permission standing in
// for the activeTab grant a toolbar click gives.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import QRCode from 'qrcode';
import { awayFromBoundary, closeAll, codeButton, launch, oathtool, patchedDist, shownCode } from './harness.mjs';
import { base32Encode, migrationLink } from './qr-helpers.mjs';

after(closeAll);

const KEY = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const LINK = `otpauth://totp/Example%20Shop:carol%40example.com?secret=${KEY}&issuer=Example%20Shop&digits=8&period=30`;
const SECOND = 'otpauth://totp/Other:dave?secret=JBSWY3DPEHPK3PXP&issuer=Other';

/** A dense Google Authenticator batch: 3 parts of 10 accounts each (QR version 25, 117 modules). */
const BATCH = Array.from({ length: 3 }, (_, part) => Array.from({ length: 10 }, (_, i) => ({
  key: base32Encode(Buffer.alloc(20, part * 10 + i + 1)),
  issuer: `Batch service ${part * 10 + i}`,
  name: `user.${part * 10 + i}@example.com`,
})));
const BATCH_LINKS = BATCH.map((accounts, index) => migrationLink(accounts, { size: 3, index, id: 31337 }));

/**
 * A local site: /dark shows LINK light on a dark page (/dark-code the code alone), /two two
 * codes, /none no code, /mixed LINK and part 1 of the batch, /batch/N part N of the batch,
 * 256 CSS pixels wide (at zoom 150% and DPR 2 about 6.5 device pixels a module; the tab is 420
 * CSS pixels wide).
 */
async function site() {
  const svg = (text, dark, light, width = 180) => QRCode.toString(text, {
    type: 'svg', errorCorrectionLevel: 'M', margin: 4, width, color: { dark, light },
  });
  const pages = {
    '/dark': `<body style="background:#121212;color:#ddd"><h1>Two-factor sign-in</h1>
      <p>Scan this code with your authenticator.</p>${await svg(LINK, '#e8e8e8', '#121212')}`,
    '/two': `<body>${await svg(LINK, '#000', '#fff')} ${await svg(SECOND, '#000', '#fff')}`,
    '/none': '<body><h1>Nothing to scan here</h1><p>Just text.</p>',
    // The code alone, for zoom 200% in the 420 × 640 window.
    '/dark-code': `<body style="background:#121212;margin:4px">${await svg(LINK, '#e8e8e8', '#121212', 150)}`,
  };
  pages['/mixed'] = `<body>${await svg(LINK, '#000', '#fff', 150)} ${await svg(BATCH_LINKS[0], '#000', '#fff', 256)}`;
  for (const [index, link] of BATCH_LINKS.entries()) {
    pages[`/batch/${index + 1}`] = `<body><p>Transfer accounts: ${index + 1} of 3</p>
      ${await svg(link, '#000', '#fff', 256)}`;
  }
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>Test site</title>${pages[req.url] ?? ''}`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: (path) => `http://127.0.0.1:${server.address().port}${path}`,
    close: () => { server.closeAllConnections(); server.close(); },
  };
}

/**
 * Shows `url` in `tab` at `zoom`, then opens the popup in a window of its own (the toolbar
 * popup leaves the user's window the last focused one); resolves once its codes are painted.
 */
async function popupOverZoomed(browser, tab, url, zoom) {
  await tab.goto(url);
  await tab.bringToFront();
  await browser.worker.evaluate(async ([shown, factor]) => {
    const [page] = await chrome.tabs.query({ url: shown });
    await chrome.tabs.setZoom(page.id, factor);
  }, [url, zoom]);
  const opened = browser.context.waitForEvent('page');
  await browser.worker.evaluate(() => chrome.windows.create({
    url: 'popup.html', type: 'popup', width: 420, height: 640,
  }));
  const popup = await opened;
  popup.on('pageerror', (error) => { throw new Error(`popup page error: ${error.message}`); });
  await popup.waitForFunction(() => performance.getEntriesByName('codes-painted').length > 0);
  return popup;
}

describe('Scan QR code', () => {
  let browser;
  let dist;
  let server;
  let tab;

  before(async () => {
    server = await site();
    dist = await patchedDist((manifest) => {
      // captureVisibleTab takes activeTab (a toolbar click) or <all_urls>.
      manifest.host_permissions = ['<all_urls>'];
    });
    browser = await launch({ dist, colorScheme: 'dark', args: ['--force-device-scale-factor=2'] });
    tab = browser.context.pages()[0] ?? await browser.context.newPage();
  });

  after(async () => {
    server.close();
    await browser.close();
    await browser.cleanup();
    await rm(dist, { recursive: true, force: true });
  });

  /** Shows `path` in the tab at `zoom`, then opens the popup in a window of its own. */
  const popupOver = (path, zoom = 1.5) => popupOverZoomed(browser, tab, server.url(path), zoom);

  /** Waits for the add form to be filled by a scan; fails with the popup's message if not. */
  async function filled(popup) {
    await popup.waitForFunction(() => document.getElementById('f-issuer').value !== ''
      || !document.getElementById('scan-message').hidden);
    const message = await popup.locator('#scan-message').evaluate((m) => (m.hidden ? '' : m.textContent));
    assert.equal(message, '', 'the scan said');
  }

  test('the popup loads no QR decoder until Scan QR code is pressed', async () => {
    const popup = await popupOver('/none');
    const loaded = () => popup.evaluate(() => performance.getEntriesByName('qr-module-loaded').length > 0
      || performance.getEntriesByType('resource').some((r) => r.name.includes('_transfer')));
    assert.equal(await loaded(), false);
    await popup.getByRole('button', { name: 'Scan QR code' }).click();
    const alert = popup.getByRole('alert').filter({ hasText: 'No QR code found' });
    await alert.waitFor();
    assert.equal(await alert.textContent(),
      'No QR code found on this page. Zoom the page so the whole code is visible, or use an image file.');
    assert.equal(await loaded(), true);
    await popup.close();
  });

  test('a light-on-dark code at zoom 150% and DPR 2 fills the add form; Save gives oathtool\'s code', async () => {
    const popup = await popupOver('/dark');
    await popup.getByRole('button', { name: 'Scan QR code' }).click();
    const issuer = popup.getByRole('textbox', { name: 'Issuer', exact: true });
    await filled(popup);
    assert.equal(await issuer.inputValue(), 'Example Shop');
    assert.equal(await popup.getByRole('textbox', { name: 'Account name', exact: true }).inputValue(),
      'carol@example.com');
    // The key is never shown, nor anywhere in the page.
    assert.equal(await popup.getByRole('textbox', { name: 'Secret key', exact: true }).isVisible(), false);
    assert.equal(await popup.locator('#f-secret').inputValue(), '');
    assert.ok(!(await popup.content()).includes(KEY));
    await popup.getByRole('button', { name: 'Save' }).click();
    const label = 'Example Shop carol@example.com';
    await codeButton(popup, label).waitFor();
    await awayFromBoundary(30);
    const t = Math.floor(Date.now() / 1000);
    assert.equal(await shownCode(popup, label), oathtool({ key: KEY, digits: 8 }, t));
    await popup.close();
  });

  test('a dense three-part Google Authenticator batch, scanned part by part, adds up on the Import page', async () => {
    const popup = await popupOver('/batch/1');
    const opened = browser.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Scan QR code' }).click();
    await popup.locator('#scan-message').waitFor({ timeout: 30_000 });
    assert.equal(await popup.locator('#scan-message').textContent(),
      'Google Authenticator transfer code read: its accounts are shown on the Import and export page.');
    const page = await opened;
    page.on('pageerror', (error) => { throw new Error(`transfer page error: ${error.message}`); });
    assert.match(page.url(), /\/transfer\.html#scan$/, 'the link is not in the URL');
    await page.getByText('1 of 3 parts imported, parts 2 and 3 missing').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#preview-rows tr').count(), 10);
    await page.getByText('press Scan QR code in the toolbar again', { exact: false }).waitFor();
    assert.deepEqual(await page.evaluate(() => chrome.storage.session.get('scan_handover')), {},
      'the handed-over links leave session storage once taken');
    await popup.close();

    // Parts 3 then 2, each scanned from a fresh popup: the page already open takes them.
    for (const [part, expected] of [[3, '2 of 3 parts imported, part 2 missing'],
      [2, 'All 3 parts of the Google Authenticator transfer read']]) {
      const next = await popupOver(`/batch/${part}`);
      await next.getByRole('button', { name: 'Scan QR code' }).click();
      await page.getByText(expected).waitFor({ timeout: 30_000 });
      await next.close();
    }
    const pages = browser.context.pages().filter((p) => p.url().includes('/transfer.html'));
    assert.equal(pages.length, 1, 'one Import and export page');
    assert.equal(await page.locator('#preview-rows tr').count(), 30);
    await page.getByRole('button', { name: 'Import 30 accounts' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 30 accounts' }).waitFor({ timeout: 30_000 });

    const check = await popupOver('/none', 1);
    const label = `${BATCH[2][9].issuer} ${BATCH[2][9].name}`;
    await codeButton(check, label).waitFor();
    await awayFromBoundary(30);
    assert.equal(await shownCode(check, label), oathtool({ key: BATCH[2][9].key }, Math.floor(Date.now() / 1000)));
    await check.close();
    await page.close();
  });

  test('a page with an otpauth:// code and a transfer code: the list offers both; the transfer goes to the Import page', async () => {
    const popup = await popupOver('/mixed', 1);
    await popup.getByRole('button', { name: 'Scan QR code' }).click();
    await popup.getByRole('heading', { name: 'Choose a QR code' }).waitFor({ timeout: 30_000 });
    assert.deepEqual((await popup.locator('#scan-list button').allTextContents()).sort(),
      ['Example Shop: carol@example.com', 'Google Authenticator transfer']);
    const opened = browser.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Google Authenticator transfer' }).click();
    const page = await opened;
    await page.getByText('1 of 3 parts imported, parts 2 and 3 missing').waitFor({ timeout: 30_000 });
    await page.close();
    await popup.close();
  });

  test('several codes give a short list to pick from', async () => {
    const popup = await popupOver('/two', 1);
    await popup.getByRole('button', { name: 'Scan QR code' }).click();
    await popup.waitForFunction(() => !document.getElementById('scan-view').hidden
      || !document.getElementById('scan-message').hidden);
    assert.equal(await popup.locator('#scan-message').evaluate((m) => (m.hidden ? '' : m.textContent)), '');
    await popup.getByRole('heading', { name: 'Choose a QR code' }).waitFor();
    const names = await popup.locator('#scan-list button').allTextContents();
    assert.deepEqual(names.sort(), ['Example Shop: carol@example.com', 'Other: dave']);
    await popup.getByRole('button', { name: 'Other: dave' }).click();
    await filled(popup);
    assert.equal(await popup.locator('#f-issuer').inputValue(), 'Other');
    await popup.close();
  });
});

// The same light-on-dark code at the other device pixel ratios the issue names, each a real
// screen scale (--force-device-scale-factor): Chromium's capture follows the window's scale, not
// a page's emulated devicePixelRatio (CDP's deviceScaleFactor leaves captureVisibleTab at the
// window's), so each ratio has a browser of its own; zoom at the ends of 50-200%.
for (const [ratio, zoom, path] of [[1, 0.5, '/dark'], [1.5, 2, '/dark-code'], [3, 0.5, '/dark']]) {
  describe(`Scan QR code at device pixel ratio ${ratio}`, () => {
    let browser;
    let dist;
    let server;

    before(async () => {
      server = await site();
      dist = await patchedDist((manifest) => { manifest.host_permissions = ['<all_urls>']; });
      browser = await launch({ dist, colorScheme: 'dark', args: [`--force-device-scale-factor=${ratio}`] });
    });

    after(async () => {
      server.close();
      await browser.close();
      await browser.cleanup();
      await rm(dist, { recursive: true, force: true });
    });

    test(`a light-on-dark code at zoom ${zoom * 100}% fills the add form`, async () => {
      const tab = browser.context.pages()[0] ?? await browser.context.newPage();
      const popup = await popupOverZoomed(browser, tab, server.url(path), zoom);
      const scale = await popup.evaluate(async () => {
        const [page] = await chrome.tabs.query({ active: true, url: 'http://127.0.0.1/*' });
        const url = await chrome.tabs.captureVisibleTab(page.windowId, { format: 'png' });
        const bitmap = await createImageBitmap(await (await fetch(url)).blob());
        return bitmap.width / page.width;
      });
      assert.equal(scale, ratio, 'the capture is at the device pixel ratio');
      await popup.getByRole('button', { name: 'Scan QR code' }).click();
      await popup.waitForFunction(() => document.getElementById('f-issuer').value !== ''
        || !document.getElementById('scan-message').hidden);
      assert.equal(await popup.locator('#scan-message').evaluate((m) => (m.hidden ? '' : m.textContent)), '');
      assert.equal(await popup.locator('#f-issuer').inputValue(), 'Example Shop');
      assert.equal(await popup.locator('#f-name').inputValue(), 'carol@example.com');
      await popup.close();
    });
  });
}
