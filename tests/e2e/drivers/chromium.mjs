// The scenario driver for Chromium: Debian's chromium, headless, driven with playwright-core
// (harness.mjs starts it with dist/ loaded). The operations are the ones ./firefox.mjs offers
// with the same meaning; scenarios/index.mjs lists them.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { closeAll as closeAllBrowsers, launch } from '../harness.mjs';

export const name = 'chromium';

export const closeAll = closeAllBrowsers;

/**
 * Starts Chromium with the extension in a fresh profile (or `profile`). Returns a Session.
 * @param {{dist?: string, profile?: string, colorScheme?: 'light'|'dark', lang?: string}} options
 */
export async function start(options = {}) {
  const session = new Session(options);
  await session.launch();
  return session;
}

class Session {
  constructor({ dist, profile, colorScheme, lang }) {
    this.name = name;
    this.dist = dist;
    this.profile = profile;
    this.colorScheme = colorScheme;
    this.lang = lang;
  }

  async launch() {
    this.browser = await launch({
      dist: this.dist, profile: this.profile, colorScheme: this.colorScheme, lang: this.lang,
    });
    this.profile = this.browser.profile;
    this.base = `chrome-extension://${this.browser.extensionId}/`;
    this.userTab = this.browser.context.pages()[0] ?? await this.browser.context.newPage();
  }

  /** Opens popup.html in a new tab and waits until the codes (or a notice) are painted. */
  async openPopup() {
    const page = new Page(this, await this.browser.context.newPage());
    await page.page.goto(`${this.base}popup.html`);
    await page.waitForPainted();
    return page;
  }

  /**
   * Shows `url` in the user's tab, then opens the popup in a popup window of its own, as the
   * toolbar popup leaves the user's window the last focused normal one. Waits for the clock
   * check to finish.
   */
  async popupOver(url) {
    await this.userTab.goto(url);
    await this.userTab.bringToFront();
    const opened = this.browser.context.waitForEvent('page', {
      predicate: (p) => p.url().endsWith('/popup.html'),
    });
    await this.browser.worker.evaluate(() => chrome.windows.create({ url: 'popup.html', type: 'popup' }));
    const page = new Page(this, await opened);
    await page.waitFor(() => performance.getEntriesByName('clock-checked').length > 0, null, { timeout: 15_000 });
    return page;
  }

  /** The text on the system clipboard, read by pasting it into a scratch page. */
  async clipboard() {
    return this.scratch(async (page) => {
      await page.locator('#scratch').focus();
      await page.keyboard.press('Control+V');
      return page.locator('#scratch').inputValue();
    });
  }

  /** Puts `text` on the system clipboard by copying it from a scratch page. */
  async setClipboard(text) {
    await this.scratch(async (page) => {
      await page.locator('#scratch').fill(text);
      await page.locator('#scratch').focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Control+C');
    });
  }

  async scratch(work) {
    const page = await this.browser.context.newPage();
    try {
      await page.goto('data:text/html,<textarea id="scratch"></textarea>');
      return await work(page);
    } finally {
      await page.close();
    }
  }

  /** Closes Chromium and starts it again on the same profile. */
  async restart() {
    await this.close();
    await this.launch();
  }

  async close() { await this.browser?.close(); }

  /** Removes the profile directory (call after close). */
  async cleanup() { await this.browser.cleanup(); }
}

class Page {
  constructor(session, page) {
    this.session = session;
    this.page = page;
    page.on('pageerror', (error) => {
      throw new Error(`popup page error: ${error.message}`);
    });
  }

  role(role, name) {
    const options = name === undefined ? {} : { name, exact: typeof name === 'string' };
    return new Locator(this.page.getByRole(role, options));
  }

  label(text) { return new Locator(this.page.getByLabel(text, { exact: true }).filter({ visible: true })); }

  alert(text) { return new Locator(this.page.getByRole('alert').filter({ hasText: text })); }

  status(text) { return new Locator(this.page.getByRole('status').filter({ hasText: text })); }

  css(selector) { return new Locator(this.page.locator(selector).filter({ visible: true })); }

  async evaluate(fn, arg) { return this.page.evaluate(fn, arg); }

  async waitFor(fn, arg, { timeout = 10_000 } = {}) {
    return (await this.page.waitForFunction(fn, arg, { timeout })).jsonValue();
  }

  async waitForPainted() {
    await this.waitFor(() => performance.getEntriesByName('codes-painted').length > 0
      || !document.getElementById('notice').hidden, null, { timeout: 15_000 });
  }

  async reload() {
    await this.page.reload();
    await this.waitForPainted();
  }

  async press(keys) { await this.page.keyboard.press(keys); }

  async type(text) { await this.page.keyboard.type(text); }

  async setViewport(size) { await this.page.setViewportSize(size); }

  async screenshot(path) {
    await mkdir(dirname(path), { recursive: true });
    await this.page.locator('body').screenshot({ path });
  }

  async close() { await this.page.close(); }
}

class Locator {
  constructor(locator) { this.locator = locator; }

  async count() { return this.locator.count(); }

  async isVisible() { return this.locator.isVisible(); }

  async waitFor({ timeout = 10_000 } = {}) { await this.locator.waitFor({ timeout }); }

  async click() { await this.locator.click(); }

  async fill(text) { await this.locator.fill(text); }

  async focus() { await this.locator.focus(); }

  async text() { return this.locator.textContent(); }

  async innerText() { return this.locator.innerText(); }

  async value() { return this.locator.inputValue(); }

  async attribute(name) { return this.locator.getAttribute(name); }

  async hasClass(name) { return this.locator.evaluate((el, c) => el.classList.contains(c), name); }

  async setChecked(checked) { await this.locator.setChecked(checked); }
}
