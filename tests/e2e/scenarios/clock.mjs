// The clock check against a local server whose Date header is 137 s behind real time.
//
// Headless tests cannot click the toolbar button, so nothing grants activeTab: a test-only copy
// of the build gets a host permission for http://127.0.0.1/* instead (the shipped manifest has
// none). Firefox grants an MV3 add-on's host_permissions at install from version 127 on.
// Codes follow a measured offset only for https:// sites or the fallback source the user chose
// (src/clock_correction.rs), so the test site, plain http:// on this device, is also set as the
// fallback source (as Settings would store it).

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { DIST, DIST_FIREFOX, oathtool, patchedDist } from '../harness.mjs';
import { KEY, codeButton, seedAccounts, shownCode } from './shared.mjs';

const LABEL = 'Example Backup alice@example.com';
const SKEW_MS = -137_000;

/** A local site: GET serves a page, HEAD answers with a `Date` `skewMs` off real time. */
async function skewedServer(skewMs) {
  const heads = [];
  const server = createServer((req, res) => {
    res.sendDate = false;
    if (req.method === 'HEAD') {
      heads.push(req.url);
      res.writeHead(200, { date: new Date(Date.now() + skewMs).toUTCString() });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Test site</title><p>A web page.</p>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    host: `127.0.0.1:${port}`,
    heads,
    close: () => { server.closeAllConnections(); server.close(); },
  };
}

/** Waits until device time and device time + `skewMs` are both ≥ 2.5 s from a 30 s boundary. */
async function awayFromBoundaries(skewMs) {
  const ok = (ms) => {
    const into = ((ms % 30_000) + 30_000) % 30_000;
    return into >= 2500 && into <= 27_500;
  };
  while (!(ok(Date.now()) && ok(Date.now() + skewMs))) await new Promise((r) => setTimeout(r, 200));
}

export function clockScenarios(driver) {
  let session;
  let dist;
  let site;

  before(async () => {
    const from = driver.name === 'firefox' ? DIST_FIREFOX : DIST;
    dist = await patchedDist((manifest) => { manifest.host_permissions = ['http://127.0.0.1/*']; }, from);
    session = await driver.start({ dist });
    site = await skewedServer(SKEW_MS);
    const page = await session.openPopup();
    await seedAccounts(page, [{ issuer: 'Example Backup', name: 'alice@example.com', secret: KEY }]);
    // The fallback source is stored only once this (reloaded) popup's own clock check is over:
    // otherwise it may send a HEAD of its own, cut off when the page closes (the test counts
    // them).
    await page.waitFor(() => performance.getEntriesByName('clock-checked').length > 0, null, { timeout: 15_000 });
    await page.evaluate((url) => chrome.storage.local.set({ clock_fallback_url: url }), site.url);
    await page.close();
  });

  after(async () => {
    site?.close();
    await session?.close();
    await session?.cleanup();
    await rm(dist, { recursive: true, force: true });
  });

  test('a server 137 s behind: a warning in words; "Use corrected time" makes codes follow it', async () => {
    const popup = await session.popupOver(site.url);
    const warning = popup.alert('Your clock');
    await warning.waitFor();
    const text = await warning.innerText();
    assert.match(text, new RegExp(
      `Your clock is 2 minutes 1[678] seconds ahead of ${site.host.replace(/\./g, '\\.')}\\. Codes will be rejected\\.`,
    ));
    assert.match(text, /Turn on automatic date and time in your system settings\./);
    assert.ok(await warning.hasClass('critical'));
    assert.deepEqual(site.heads, ['/'], 'one HEAD request to the site root');

    await awayFromBoundaries(SKEW_MS);
    assert.equal(await shownCode(popup, LABEL), oathtool({ key: KEY }, Math.floor(Date.now() / 1000)));
    const toggle = popup.role('button', 'Use corrected time');
    assert.equal(await toggle.attribute('aria-pressed'), 'false');
    await toggle.click();
    await popup.waitFor(() => document.getElementById('clock-correct')?.getAttribute('aria-pressed') === 'true');
    assert.match(await popup.alert('Your clock').innerText(), /Codes are being corrected for this difference\./);
    await awayFromBoundaries(SKEW_MS);
    assert.equal(await shownCode(popup, LABEL),
      oathtool({ key: KEY }, Math.floor((Date.now() + SKEW_MS) / 1000)));
    await popup.close();
  });
}
