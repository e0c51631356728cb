// The clock check in real headless Chromium with the built extension: local HTTP servers whose
// Date header is skewed, hangs, is missing or is garbage stand in for the site in the active tab.
//
// Headless tests cannot click the toolbar button, so nothing grants activeTab; a test-only copy
// of dist/ gets a host permission for http(s)://127.0.0.1/* instead (the shipped manifest does
// not). https:// sites are local servers with a certificate made for the run by openssl, which
// Chromium accepts with --ignore-certificate-errors.
// The popup opens in its own popup window, so "the active tab of the last focused normal window"
// is the page the test navigated to, as it is for a user clicking the toolbar button.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DIST, SCREENSHOTS, closeAll, codeButton, launch, oathtool, patchedDist, seedAccounts, shownCode,
} from './harness.mjs';

after(closeAll);

const KEY = 'JBSWY3DPEHPK3PXP';
const LABEL = 'Example Backup alice@example.com';

/** A key and a self-signed certificate for 127.0.0.1, made by openssl for this run. */
async function selfSignedCertificate() {
  const dir = await mkdtemp(join(tmpdir(), 'tba-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', key, '-out', cert,
    ], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`openssl (Debian package openssl) is needed for the https:// test sites: ${error.message}`);
  }
  const tls = { key: await readFile(key), cert: await readFile(cert) };
  await rm(dir, { recursive: true, force: true });
  return tls;
}

/**
 * A local web server (https when `tls` is given). GET serves a small page (so a tab can show
 * it); HEAD answers according to `mode`: {skewMs} → `Date` that far from real time, 'hang',
 * 'nodate', 'garbage', {redirect: url}, or {redirect: path, skewMs} (a redirect within the
 * site, whose target would answer with that skew). Every request is logged.
 */
async function timeServer(mode, tls) {
  const log = [];
  const handler = (req, res) => {
    log.push({ method: req.method, url: req.url });
    res.sendDate = false;
    if (req.method !== 'HEAD') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Test site</title><p>A web page.</p>');
      return;
    }
    if (mode === 'hang') return; // never answers
    if (mode === 'nodate') {
      res.writeHead(200);
    } else if (mode === 'garbage') {
      res.writeHead(200, { date: 'yesterday, around teatime' });
    } else if (mode.redirect && req.url === '/') {
      res.writeHead(302, { location: mode.redirect, date: new Date().toUTCString() });
    } else {
      res.writeHead(200, { date: new Date(Date.now() + (mode.skewMs ?? 0)).toUTCString() });
    }
    res.end();
  };
  const server = tls ? createTlsServer(tls, handler) : createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    host: `127.0.0.1:${port}`,
    log,
    heads: () => log.filter((r) => r.method === 'HEAD').length,
    server,
    close: () => { server.closeAllConnections(); server.close(); },
  };
}

/** Waits until both the device time and device time + `skewMs` are ≥ 2.5 s from a 30 s boundary. */
async function awayFromBoundaries(skewMs) {
  const ok = (ms) => {
    const into = ((ms % 30_000) + 30_000) % 30_000;
    return into >= 2500 && into <= 27_500;
  };
  while (!(ok(Date.now()) && ok(Date.now() + skewMs))) await new Promise((r) => setTimeout(r, 200));
}

/** The test-only copy of dist/: a host permission stands in for the activeTab grant. */
function testDist() {
  return patchedDist((manifest) => {
    manifest.host_permissions = ['http://127.0.0.1/*', 'https://127.0.0.1/*'];
  });
}

let tls;
before(async () => {
  tls = await selfSignedCertificate();
});

describe('clock check', () => {
  let browser;
  let dist;
  let userTab;
  const servers = [];

  async function server(mode) {
    const s = await timeServer(mode);
    servers.push(s);
    return s;
  }

  /** A local https:// site whose clock is `mode.skewMs` off (see timeServer). */
  async function httpsServer(mode) {
    const s = await timeServer(mode, tls);
    servers.push(s);
    return s;
  }

  /** Shows `url` in the user's tab, opens the popup in its own window, waits for the check. */
  async function popupOver(url) {
    await userTab.goto(url);
    await userTab.bringToFront();
    const opened = browser.context.waitForEvent('page', {
      predicate: (p) => p.url().endsWith('/popup.html'),
    });
    await browser.worker.evaluate(() => chrome.windows.create({ url: 'popup.html', type: 'popup' }));
    const popup = await opened;
    const requests = [];
    popup.on('request', (request) => requests.push(request.url()));
    popup.on('pageerror', (error) => { throw new Error(`popup page error: ${error.message}`); });
    await popup.waitForFunction(() => performance.getEntriesByName('clock-checked').length > 0,
      null, { timeout: 15_000 });
    popup.requests = requests;
    return popup;
  }

  const warning = (popup) => popup.locator('#clock-warning');

  before(async () => {
    dist = await testDist();
    browser = await launch({ dist, args: ['--ignore-certificate-errors'] });
    userTab = browser.context.pages()[0] ?? await browser.context.newPage();
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await seedAccounts(page, [{ issuer: 'Example Backup', name: 'alice@example.com', secret: KEY }]);
    await page.close();
  });

  after(async () => {
    for (const s of servers) s.close();
    await browser.close();
    await browser.cleanup();
    await rm(dist, { recursive: true, force: true });
  });

  test('the shipped manifest asks for activeTab only, hosts only as optional', async () => {
    const manifest = JSON.parse(await readFile(join(DIST, 'manifest.json'), 'utf8'));
    assert.ok(manifest.permissions.includes('activeTab'));
    assert.ok(!manifest.permissions.includes('tabs'));
    assert.equal(manifest.host_permissions, undefined);
    assert.ok(manifest.optional_host_permissions.includes('https://*/*'));
  });

  test('a server 137 s behind: "2 minutes 17 seconds ahead", strong style, screenshot', async () => {
    const site = await httpsServer({ skewMs: -137_000 });
    const popup = await popupOver(site.url);
    const alert = popup.getByRole('alert').filter({ hasText: 'Your clock' });
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, new RegExp(
      `Your clock is 2 minutes 1[678] seconds ahead of ${site.host.replace(/\./g, '\\.')}\\. Codes will be rejected\\.`,
    ));
    assert.match(text, /Turn on automatic date and time in your system settings\./);
    assert.doesNotMatch(text, /time zone/);
    assert.ok(await warning(popup).evaluate((el) => el.classList.contains('critical')));
    // Exactly one HEAD to the origin root; the tab's own GET is the only other request.
    assert.deepEqual(site.log.filter((r) => r.method === 'HEAD'), [{ method: 'HEAD', url: '/' }]);
    await codeButton(popup, LABEL).waitFor();
    const dir = SCREENSHOTS; // target/ by default: `cargo xtask screenshots` copies them to docs/
    await mkdir(dir, { recursive: true });
    await popup.setViewportSize({ width: 360, height: 330 });
    await popup.locator('body').screenshot({ path: join(dir, 'clock-warning.png') });

    // Reopening within 10 minutes reuses the measurement: no second request.
    await popup.close();
    const again = await popupOver(site.url);
    await warning(again).waitFor();
    assert.equal(site.heads(), 1);
    await again.close();
  });

  test('a server 137 s ahead: "behind"; 12 s: plain warning style', async () => {
    const ahead = await server({ skewMs: 137_000 });
    let popup = await popupOver(ahead.url);
    await warning(popup).waitFor();
    assert.match(await warning(popup).innerText(), /Your clock is 2 minutes 1[678] seconds behind 127\.0\.0\.1:\d+\./);
    await popup.close();

    const slight = await server({ skewMs: 12_000 });
    popup = await popupOver(slight.url);
    await warning(popup).waitFor();
    const text = await warning(popup).innerText();
    assert.match(text, /Your clock is 1[123] seconds behind 127\.0\.0\.1:\d+\. Codes may be rejected\./);
    assert.ok(!(await warning(popup).evaluate((el) => el.classList.contains('critical'))));
    await popup.close();
  });

  test('3 hours 20 seconds off hints at the time zone; 4 seconds says nothing', async () => {
    const zone = await server({ skewMs: 3 * 3600_000 + 20_000 });
    let popup = await popupOver(zone.url);
    await warning(popup).waitFor();
    const text = await warning(popup).innerText();
    assert.match(text, /Your clock is 3 hours (19|20|21) seconds behind/);
    assert.match(text, /time zone setting is probably wrong/);
    await popup.close();

    const fine = await server({ skewMs: 4_000 });
    popup = await popupOver(fine.url);
    assert.equal(fine.heads(), 1, 'the check ran');
    assert.equal(await warning(popup).isHidden(), true);
    assert.equal(await popup.getByRole('alert').count(), 0);
    await popup.close();
  });

  test('"Use corrected time" makes codes follow an https:// site\'s offset, and is remembered', async () => {
    const skewMs = -137_000;
    const site = await httpsServer({ skewMs });
    let popup = await popupOver(site.url);
    await warning(popup).waitFor();
    const toggle = popup.getByRole('button', { name: 'Use corrected time' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');

    await awayFromBoundaries(skewMs);
    assert.equal(await shownCode(popup, LABEL), oathtool({ key: KEY }, Math.floor(Date.now() / 1000)));

    await toggle.click();
    await popup.waitForFunction(() => document.getElementById('clock-correct')?.getAttribute('aria-pressed') === 'true');
    assert.match(await warning(popup).innerText(), /Codes are being corrected for this difference\./);
    assert.ok(!(await warning(popup).evaluate((el) => el.classList.contains('critical'))));
    await awayFromBoundaries(skewMs);
    assert.equal(await shownCode(popup, LABEL),
      oathtool({ key: KEY }, Math.floor((Date.now() + skewMs) / 1000)));
    await popup.close();

    // Remembered: a new popup corrects again.
    popup = await popupOver(site.url);
    await warning(popup).waitFor();
    await popup.waitForFunction(() => document.getElementById('clock-correct')?.getAttribute('aria-pressed') === 'true');
    await awayFromBoundaries(skewMs);
    assert.equal(await shownCode(popup, LABEL),
      oathtool({ key: KEY }, Math.floor((Date.now() + skewMs) / 1000)));

    // Off again: device time.
    await popup.getByRole('button', { name: 'Use corrected time' }).click();
    await popup.waitForFunction(() => document.getElementById('clock-correct')?.getAttribute('aria-pressed') === 'false');
    await awayFromBoundaries(skewMs);
    assert.equal(await shownCode(popup, LABEL), oathtool({ key: KEY }, Math.floor(Date.now() / 1000)));
    await popup.close();
  });

  test('a plain http:// site: the warning, but codes are never corrected for it', async () => {
    const skewMs = -137_000;
    const site = await server({ skewMs });
    const popup = await popupOver(site.url);
    await warning(popup).waitFor();
    assert.match(await warning(popup).innerText(), /only for times from https:\/\/ sites or from your fallback time source/);
    assert.equal(await popup.getByRole('button', { name: 'Use corrected time' }).count(), 0);
    // Not even through the API: the core refuses.
    const refused = await popup.evaluate(async () => {
      const wasm = await import('./pkg/toolbar_authenticator.js');
      return wasm.setClockCorrection(true, true).then(() => 'accepted', (e) => e.code);
    });
    assert.equal(refused, 'clock.untrusted');
    await awayFromBoundaries(skewMs);
    assert.equal(await shownCode(popup, LABEL), oathtool({ key: KEY }, Math.floor(Date.now() / 1000)));
    await popup.close();
  });

  test('more than 10 minutes off: codes follow only after the offset is confirmed', async () => {
    const skewMs = 3 * 3600_000 + 20_000;
    const site = await httpsServer({ skewMs });
    let popup = await popupOver(site.url);
    await warning(popup).waitFor();
    await popup.getByRole('button', { name: 'Use corrected time' }).click();
    const confirm = popup.getByRole('button', { name: /^Correct by 3 hours (19|20|21) seconds$/ });
    await confirm.waitFor();
    assert.match(await warning(popup).innerText(), /more than 10 minutes/);
    await awayFromBoundaries(skewMs);
    assert.equal(await shownCode(popup, LABEL), oathtool({ key: KEY }, Math.floor(Date.now() / 1000)),
      'not corrected before the confirmation');
    // Cancel: nothing changes.
    await popup.getByRole('button', { name: 'Cancel' }).click();
    await popup.getByRole('button', { name: 'Use corrected time', pressed: false }).waitFor();
    const agreed = await popup.evaluate(() => chrome.storage.local.get('clock_correction'));
    assert.ok(!String(agreed.clock_correction).includes(site.host), 'no agreement for this site');

    await popup.getByRole('button', { name: 'Use corrected time' }).click();
    await confirm.click();
    await popup.getByRole('button', { name: 'Use corrected time', pressed: true }).waitFor();
    await awayFromBoundaries(skewMs);
    assert.equal(await shownCode(popup, LABEL),
      oathtool({ key: KEY }, Math.floor((Date.now() + skewMs) / 1000)));
    await popup.close();

    // Confirmed for this site: a new popup follows it without asking again.
    popup = await popupOver(site.url);
    await popup.getByRole('button', { name: 'Use corrected time', pressed: true }).waitFor();
    await awayFromBoundaries(skewMs);
    assert.equal(await shownCode(popup, LABEL),
      oathtool({ key: KEY }, Math.floor((Date.now() + skewMs) / 1000)));
    await popup.close();
  });

  test('"Use corrected time" is asked again when another site measures the clock', async () => {
    const skewMs = -137_000;
    const first = await httpsServer({ skewMs });
    let popup = await popupOver(first.url);
    const toggle = popup.getByRole('button', { name: 'Use corrected time' });
    if (await toggle.getAttribute('aria-pressed') !== 'true') await toggle.click();
    await popup.getByRole('button', { name: 'Use corrected time', pressed: true }).waitFor();
    await popup.close();

    const second = await httpsServer({ skewMs });
    popup = await popupOver(second.url);
    await warning(popup).waitFor();
    assert.equal(await popup.getByRole('button', { name: 'Use corrected time' }).getAttribute('aria-pressed'), 'false');
    assert.match(await warning(popup).innerText(), /Codes will be rejected\./);
    await awayFromBoundaries(skewMs);
    assert.equal(await shownCode(popup, LABEL), oathtool({ key: KEY }, Math.floor(Date.now() / 1000)));
    await popup.close();
  });

  test('a redirect is never followed, not even within the site', async () => {
    const elsewhere = await httpsServer({ skewMs: -137_000 });
    const away = await httpsServer({ redirect: elsewhere.url });
    const within = await httpsServer({ redirect: '/time', skewMs: -137_000 });
    for (const site of [away, within]) {
      const popup = await popupOver(site.url);
      await codeButton(popup, LABEL).waitFor();
      assert.equal(await warning(popup).isHidden(), true, site.url);
      await popup.close();
    }
    assert.deepEqual(within.log.filter((r) => r.method === 'HEAD'), [{ method: 'HEAD', url: '/' }]);
    assert.equal(elsewhere.heads(), 0, 'the redirect target was never asked');
  });

  for (const mode of ['hang', 'nodate', 'garbage', 'redirect']) {
    test(`a source that ${mode === 'hang' ? 'hangs' : `answers ${mode}`}: no warning, no error, codes unaffected`, async () => {
      let site;
      if (mode === 'redirect') {
        const elsewhere = await server({ skewMs: -137_000 });
        site = await server({ redirect: elsewhere.url });
      } else {
        site = await server(mode);
      }
      const started = Date.now();
      const popup = await popupOver(site.url);
      if (mode === 'hang') assert.ok(Date.now() - started < 10_000, 'gave up after about 3 s');
      assert.equal(site.heads(), 1, 'the check was attempted');
      await codeButton(popup, LABEL).waitFor();
      assert.equal(await warning(popup).isHidden(), true);
      assert.equal(await popup.locator('#notice').isHidden(), true);
      assert.equal(await popup.getByRole('alert').count(), 0);
      await awayFromBoundaries(0);
      assert.equal(await shownCode(popup, LABEL), oathtool({ key: KEY }, Math.floor(Date.now() / 1000)));
      await popup.close();
    });
  }

  test('the popup opens at once even while the source hangs', async () => {
    const site = await server('hang');
    await userTab.goto(site.url);
    const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/popup.html') });
    await browser.worker.evaluate(() => chrome.windows.create({ url: 'popup.html', type: 'popup' }));
    const popup = await opened;
    await popup.waitForFunction(() => performance.getEntriesByName('codes-painted').length > 0);
    const checked = await popup.evaluate(() => performance.getEntriesByName('clock-checked').length);
    assert.equal(checked, 0, 'codes were painted before the check finished');
    await codeButton(popup, LABEL).waitFor();
    await popup.close();
  });

  for (const [name, url] of [
    ['chrome://version', () => 'chrome://version'],
    ["the extension's own page", () => `chrome-extension://${browser.extensionId}/popup.html`],
  ]) {
    test(`no request at all when the active tab is ${name}`, async () => {
      const site = await server({ skewMs: -137_000 });
      await userTab.goto(site.url); // the site was open just before
      const popup = await popupOver(url());
      // The tab's own GETs (page, favicon) may arrive late; the check would send a HEAD.
      assert.deepEqual(site.log.filter((r) => r.method !== 'GET'), [], 'no check reached the server');
      const web = popup.requests.filter((u) => /^https?:/.test(u));
      assert.deepEqual(web, []);
      assert.equal(await warning(popup).isHidden(), true);
      await popup.close();
    });
  }

  test('the fallback source, set in Settings, answers when the active tab gives nothing', async () => {
    const fallback = await server({ skewMs: -137_000 });
    let popup = await popupOver('chrome://version');
    assert.equal(fallback.heads(), 0);
    await popup.getByRole('button', { name: 'Settings' }).click();
    const section = popup.locator('#clock-settings');
    await section.getByRole('heading', { name: 'Clock check' }).waitFor();
    // The last check is read from storage after the section appears: wait for it.
    await section.getByText(/Last check: 127\.0\.0\.1:\d+, /).waitFor();
    assert.match(await section.innerText(), /Last check: 127\.0\.0\.1:\d+, .+ Offset [-−]13[6-8]\.\d s ± \d+\.\d s/);

    // A plain-http remote address is refused with a reason; nothing is stored.
    await section.getByRole('checkbox', { name: 'Use a fallback time source' }).check();
    const field = section.getByRole('textbox', { name: 'Time source URL' });
    await field.fill('http://time.example.org/');
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByRole('alert').filter({ hasText: 'https://' }).waitFor();
    assert.equal((await popup.evaluate(() => chrome.storage.local.get('clock_fallback_url'))).clock_fallback_url, undefined);

    await field.fill(fallback.url);
    await section.getByRole('button', { name: 'Save' }).click();
    await popup.getByRole('status').filter({ hasText: 'saved' }).waitFor();
    await popup.close();

    popup = await popupOver('chrome://version');
    await warning(popup).waitFor();
    assert.match(await warning(popup).innerText(),
      new RegExp(`2 minutes 1[678] seconds ahead of ${fallback.host.replace(/\./g, '\\.')}\\.`));
    assert.equal(fallback.heads(), 1);
    // The source the user chose may correct codes, even over http:// on this device.
    assert.equal(await popup.getByRole('button', { name: 'Use corrected time' }).count(), 1);

    // Turned off: no request, no warning.
    await popup.getByRole('button', { name: 'Settings' }).click();
    const again = popup.locator('#clock-settings');
    await again.getByText(new RegExp(`Last check: ${fallback.host.replace(/\./g, '\\.')}, `)).waitFor();
    assert.equal(await again.getByRole('textbox', { name: 'Time source URL' }).inputValue(), fallback.url);
    await again.getByRole('checkbox', { name: 'Use a fallback time source' }).uncheck();
    await again.getByRole('button', { name: 'Save' }).click();
    await popup.getByRole('status').filter({ hasText: 'turned off' }).waitFor();
    await popup.close();
    popup = await popupOver('chrome://version');
    assert.equal(await warning(popup).isHidden(), true);
    assert.equal(fallback.heads(), 1);
    await popup.close();
  });
});

describe('clock check from an incognito window', () => {
  let browser;
  let dist;
  let worker;
  let site;

  before(async () => {
    dist = await testDist();
    browser = await launch({ dist, args: ['--ignore-certificate-errors'] });
    const prefix = `chrome-extension://${browser.extensionId}/`;
    const restarted = browser.context.waitForEvent('serviceworker', {
      predicate: (w) => w.url().startsWith(prefix), timeout: 20_000,
    });
    // "Allow in Incognito", as a user turns it on at chrome://extensions. Changing it reloads
    // the extension, which Chromium disables for an unpacked one unless developer mode is on.
    const settings = await browser.context.newPage();
    await settings.goto('chrome://extensions/');
    await settings.evaluate(async (extensionId) => {
      await chrome.developerPrivate.updateProfileConfiguration({ inDeveloperMode: true });
      await chrome.developerPrivate.updateExtensionConfiguration({ extensionId, incognitoAccess: true });
    }, browser.extensionId);
    // Open a page of the extension (which wakes the reloaded worker) once the reload is done:
    // until then its pages are blocked.
    for (const end = Date.now() + 20_000; ;) {
      const opened = await settings.goto(`${prefix}popup.html`).then(() => true, (error) => {
        if (!/ERR_BLOCKED_BY_CLIENT/.test(error.message) || Date.now() > end) throw error;
        return false;
      });
      if (opened) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    worker = await restarted;
    await settings.close();
    site = await timeServer({ skewMs: -137_000 }, tls);
  });

  after(async () => {
    site?.close();
    await browser.close();
    await browser.cleanup();
    await rm(dist, { recursive: true, force: true });
  });

  test('the last check and the choice to correct codes are kept in session storage only', async () => {
    const loaded = once(site.server, 'request');
    const incognito = await worker.evaluate(async (url) => {
      const win = await chrome.windows.create({ incognito: true, url, focused: true });
      return win.incognito;
    }, site.url);
    assert.equal(incognito, true);
    await loaded;
    const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/popup.html') });
    await worker.evaluate(() => chrome.windows.create({ url: 'popup.html', type: 'popup' }));
    const popup = await opened;
    await popup.waitForFunction(() => performance.getEntriesByName('clock-checked').length > 0,
      null, { timeout: 15_000 });
    const banner = popup.locator('#clock-warning');
    await banner.waitFor();
    assert.match(await banner.innerText(), new RegExp(`ahead of ${site.host.replace(/\./g, '\\.')}\\.`));
    await popup.getByRole('button', { name: 'Use corrected time' }).click();
    await popup.getByRole('button', { name: 'Use corrected time', pressed: true }).waitFor();

    const local = await popup.evaluate(() => chrome.storage.local.get(null));
    assert.equal(local.clock_last_check, undefined);
    assert.equal(local.clock_correction, undefined);
    assert.ok(!JSON.stringify(local).includes(site.host), 'nothing on disk names the site');
    const session = await popup.evaluate(() => chrome.storage.session.get(['clock_last_check', 'clock_correction']));
    assert.match(session.clock_last_check, new RegExp(site.host.replace(/\./g, '\\.')));
    assert.match(session.clock_correction, new RegExp(site.host.replace(/\./g, '\\.')));

    // Settings shows it, from memory.
    await popup.getByRole('button', { name: 'Settings' }).click();
    await popup.locator('#clock-settings').getByText(new RegExp(`Last check: ${site.host.replace(/\./g, '\\.')}, `)).waitFor();
    await popup.close();
  });
});
