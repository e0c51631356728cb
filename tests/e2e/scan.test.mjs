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

after(closeAll);

const KEY = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const LINK = `otpauth://totp/Example%20Shop:carol%40example.com?secret=${KEY}&issuer=Example%20Shop&digits=8&period=30`;
const SECOND = 'otpauth://totp/Other:dave?secret=JBSWY3DPEHPK3PXP&issuer=Other';

/** A local site: /dark shows LINK light on a dark page, /two two codes, /none no code. */
async function site() {
  const svg = (text, dark, light) => QRCode.toString(text, {
    type: 'svg', errorCorrectionLevel: 'M', margin: 4, width: 180, color: { dark, light },
  });
  const pages = {
    '/dark': `<body style="background:#121212;color:#ddd"><h1>Two-factor sign-in</h1>
      <p>Scan this code with your authenticator.</p>${await svg(LINK, '#e8e8e8', '#121212')}`,
    '/two': `<body>${await svg(LINK, '#000', '#fff')} ${await svg(SECOND, '#000', '#fff')}`,
    '/none': '<body><h1>Nothing to scan here</h1><p>Just text.</p>',
  };
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
  async function popupOver(path, zoom = 1.5) {
    await tab.goto(server.url(path));
    await tab.bringToFront();
    await browser.worker.evaluate(async ([url, factor]) => {
      const [page] = await chrome.tabs.query({ url });
      await chrome.tabs.setZoom(page.id, factor);
    }, [server.url(path), zoom]);
    const opened = browser.context.waitForEvent('page');
    await browser.worker.evaluate(() => chrome.windows.create({
      url: 'popup.html', type: 'popup', width: 420, height: 640,
    }));
    const popup = await opened;
    popup.on('pageerror', (error) => { throw new Error(`popup page error: ${error.message}`); });
    await popup.waitForFunction(() => performance.getEntriesByName('codes-painted').length > 0);
    return popup;
  }

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
