// The scenario driver for Firefox: Debian's firefox-esr, headless, driven through geckodriver
// with selenium-webdriver (classic WebDriver, plus WebDriver BiDi for the one thing classic
// cannot do: open a window without focusing it). The built dist-firefox/ is installed as a
// real add-on. No mocked browser. The operations and their meaning are those of
// ./chromium.mjs; scenarios/index.mjs lists them.
//
// Firefox facts this relies on (checked on ESR 140):
// - Automation may navigate to moz-extension:// pages without --remote-allow-system-access
//   (geckodriver 0.37 refuses that flag in capabilities; it has its own --allow-system-access,
//   not needed here).
// - `extensions.webextensions.uuids` fixes the add-on's UUID, so the popup's URL is known.
// - ESR honours `xpinstall.signatures.required = false`, so the unsigned build installs
//   permanently (a temporary add-on would be gone after a restart).
// - Switching WebDriver to a window focuses it, and windows.getLastFocused() ignores its
//   windowTypes filter in Firefox: a popup opened as a focused window would see itself as "the
//   active tab". The real toolbar popup is a panel inside the browser window; popupOver() opens
//   the popup in a background window (BiDi) so the user's window stays the last focused one.

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Builder, By, Key } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { DIST_FIREFOX, freshProfile } from '../harness.mjs';
import { DEFAULT_TIMEOUT, Locator, encode } from './firefox-locator.mjs';

export const name = 'firefox';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const GECKODRIVER = process.env.GECKODRIVER
  ?? join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', 'geckodriver');
/** The add-on's moz-extension:// host in every test profile. */
const UUID = '5e7b4c1a-2f0d-4a8e-9c63-1d2e3f405162';

const open = new Set();

/** Quits every Firefox still running (a failed test may leave one; it would keep node alive). */
export async function closeAll() {
  await Promise.all([...open].map((session) => session.close().catch(() => {})));
  open.clear();
}

function geckoIdOf(dist) {
  const path = join(dist, 'manifest.json');
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`cargo xtask build\` first (it writes dist-firefox/)`);
  }
  return JSON.parse(readFileSync(path, 'utf8')).browser_specific_settings.gecko.id;
}

async function startDriver({ profile, geckoId, colorScheme, lang }) {
  for (const [what, path] of [['firefox-esr', FIREFOX], ['geckodriver', GECKODRIVER]]) {
    if (!existsSync(path)) {
      throw new Error(`${what} not found at ${path}: run \`cargo xtask setup\` (or set ${what === 'geckodriver' ? 'GECKODRIVER' : 'FIREFOX'})`);
    }
  }
  const options = new firefox.Options()
    .setBinary(FIREFOX)
    .addArguments('-headless', '-profile', profile)
    .windowSize({ width: 420, height: 640 })
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [geckoId]: UUID }))
    .setPreference('xpinstall.signatures.required', false)
    // 0: dark, 1: light, as the popup's `prefers-color-scheme` sees it.
    .setPreference('layout.css.prefers-color-scheme.content-override', colorScheme === 'dark' ? 0 : 1)
    .enableBidi();
  // The UI language (chrome.i18n's); Firefox offers only those whose language pack it has.
  if (lang) options.setPreference('intl.locale.requested', lang);
  return new Builder()
    .forBrowser('firefox')
    .setFirefoxOptions(options)
    .setFirefoxService(new firefox.ServiceBuilder(GECKODRIVER))
    .build();
}

/**
 * Starts Firefox with the add-on installed in a fresh profile (or, given `profile`, the one a
 * previous session left). Returns a Session.
 * @param {{dist?: string, profile?: string, colorScheme?: 'light'|'dark', lang?: string}} options
 */
export async function start(options = {}) {
  const dist = options.dist ?? DIST_FIREFOX;
  const session = new Session({ ...options, dist, geckoId: geckoIdOf(dist) });
  await session.launch(options.profile === undefined);
  return session;
}

class Session {
  constructor({ dist, profile, geckoId, colorScheme, lang }) {
    this.name = name;
    this.dist = dist;
    this.profile = profile;
    this.geckoId = geckoId;
    this.colorScheme = colorScheme;
    this.lang = lang;
    this.base = `moz-extension://${UUID}/`;
  }

  async launch(install) {
    this.profile ??= await freshProfile();
    this.driver = await startDriver(this);
    open.add(this);
    if (install) await this.driver.installAddon(this.dist, false);
    this.userTab = await this.driver.getWindowHandle();
    this.current = this.userTab;
  }

  /** Makes `handle` WebDriver's current window (which also focuses it). */
  async use(handle) {
    if (this.current !== handle) {
      await this.driver.switchTo().window(handle);
      this.current = handle;
    }
  }

  /** Opens popup.html in a new tab and waits until the codes (or a notice) are painted. */
  async openPopup() {
    await this.use(this.userTab);
    await this.driver.switchTo().newWindow('tab');
    this.current = await this.driver.getWindowHandle();
    const page = new Page(this, this.current);
    await this.driver.get(`${this.base}popup.html`);
    await page.waitForPainted();
    return page;
  }

  /**
   * Shows `url` in the user's tab, then opens the popup in a window of its own that does not
   * take the focus, as the toolbar popup leaves the user's window the last focused one. Waits
   * for the clock check to finish.
   */
  async popupOver(url) {
    await this.use(this.userTab);
    await this.driver.get(url);
    const bidi = await this.driver.getBidi();
    const created = await bidi.send({
      method: 'browsingContext.create', params: { type: 'window', background: true },
    });
    const context = created.result?.context;
    if (!context) throw new Error(`BiDi could not open a window: ${JSON.stringify(created)}`);
    await bidi.send({
      method: 'browsingContext.navigate',
      params: { context, url: `${this.base}popup.html`, wait: 'complete' },
    });
    // Wait through BiDi, which does not focus the window, until the check is done.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const answer = await bidi.send({
        method: 'script.evaluate',
        params: {
          expression: 'performance.getEntriesByName("clock-checked").length > 0',
          target: { context },
          awaitPromise: false,
        },
      });
      if (answer.result?.result?.value === true) break;
      if (Date.now() > deadline) throw new Error('the popup never finished its clock check');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return new Page(this, context);
  }

  /** The text on the system clipboard, read by pasting it into a scratch page. */
  async clipboard() {
    return this.scratch(async (area) => {
      await area.click();
      await this.driver.actions().keyDown(Key.CONTROL).sendKeys('v').keyUp(Key.CONTROL).perform();
      return this.driver.executeScript('return arguments[0].value', area);
    });
  }

  /** Puts `text` on the system clipboard by copying it from a scratch page. */
  async setClipboard(text) {
    await this.scratch(async (area) => {
      await area.sendKeys(text);
      await this.driver.actions().keyDown(Key.CONTROL).sendKeys('a', 'c').keyUp(Key.CONTROL).perform();
    });
  }

  async scratch(work) {
    const back = this.current;
    await this.driver.switchTo().newWindow('tab');
    try {
      await this.driver.get('data:text/html,<textarea id="scratch"></textarea>');
      return await work(await this.driver.findElement(By.id('scratch')));
    } finally {
      await this.driver.close();
      await this.driver.switchTo().window(back);
      this.current = back;
    }
  }

  /** Quits Firefox and starts it again on the same profile (the add-on stays installed). */
  async restart() {
    await this.close();
    await this.launch(false);
  }

  async close() {
    open.delete(this);
    await this.driver?.quit();
    this.driver = undefined;
  }

  /** Removes the profile directory (call after close). */
  async cleanup() {
    await rm(this.profile, { recursive: true, force: true });
  }
}

const KEYS = {
  Enter: Key.ENTER, Space: Key.SPACE, Tab: Key.TAB, Escape: Key.ESCAPE,
  ArrowDown: Key.ARROW_DOWN, ArrowUp: Key.ARROW_UP, Control: Key.CONTROL, Shift: Key.SHIFT,
};

class Page {
  constructor(session, handle) {
    this.session = session;
    this.handle = handle;
  }

  get driver() { return this.session.driver; }

  async focus() { await this.session.use(this.handle); }

  /** An element by ARIA role and accessible name (a string matches exactly, a RegExp tests). */
  role(role, name) { return new Locator(this, { role, want: encode(name), verify: name !== undefined }); }

  /** A form control by its label. */
  label(text) { return new Locator(this, { role: 'labelled', want: encode(text), verify: true }); }

  /** A `role="alert"` element whose text contains `text` (string) or matches it (RegExp). */
  alert(text) { return new Locator(this, { role: 'alert', want: encode(text), byText: true, contains: true }); }

  /** A `role="status"` element whose text contains or matches `text`. */
  status(text) { return new Locator(this, { role: 'status', want: encode(text), byText: true, contains: true }); }

  /** Visible elements matching a CSS selector. */
  css(selector) { return new Locator(this, { css: selector, want: null }); }

  /** Runs `fn(arg)` (may be async) in the page; resolves to its JSON-able result. */
  async evaluate(fn, arg) {
    await this.focus();
    const answer = await this.driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       Promise.resolve().then(() => (${fn.toString()})(arguments[0]))
         .then((value) => done({ value: value === undefined ? null : value }),
               (error) => done({ error: String(error?.stack ?? error) }));`,
      arg ?? null,
    );
    if (answer?.error) throw new Error(`in page: ${answer.error}`);
    return answer?.value;
  }

  /** Waits until `fn(arg)` in the page returns something truthy. */
  async waitFor(fn, arg, { timeout = DEFAULT_TIMEOUT } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await this.evaluate(fn, arg);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${fn}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async waitForPainted() {
    await this.waitFor(() => performance.getEntriesByName('codes-painted').length > 0
      || !document.getElementById('notice').hidden, null, { timeout: 15_000 });
  }

  async reload() {
    await this.focus();
    await this.driver.navigate().refresh();
    await this.waitForPainted();
  }

  /** Presses a key or a chord like `Control+V` on the focused element. */
  async press(keys) {
    await this.focus();
    const parts = keys.split('+').map((k) => KEYS[k] ?? k.toLowerCase());
    const key = parts.pop();
    let actions = this.driver.actions();
    for (const modifier of parts) actions = actions.keyDown(modifier);
    actions = actions.keyDown(key).keyUp(key);
    for (const modifier of parts.reverse()) actions = actions.keyUp(modifier);
    await actions.perform();
  }

  /** Types `text` into the focused element. */
  async type(text) {
    await this.focus();
    await this.driver.actions().sendKeys(text).perform();
  }

  async setViewport({ width, height }) {
    await this.focus();
    await this.driver.manage().window().setRect({ width, height });
  }

  /** A PNG of the page's body at `path`. */
  async screenshot(path) {
    await this.focus();
    const png = await this.driver.findElement(By.css('body')).takeScreenshot();
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.from(png, 'base64'));
  }

  async close() {
    await this.focus();
    await this.driver.close();
    this.session.current = undefined;
    await this.session.use(this.session.userTab);
  }
}
