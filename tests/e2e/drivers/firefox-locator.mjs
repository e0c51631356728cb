// Elements for the Firefox driver (./firefox.mjs): found in the page by ARIA role and name,
// then checked against Firefox's own accessibility tree (WebDriver's computed label), and acted
// on with classic WebDriver. Like Playwright's locators they are lazy: every action finds the
// element again, waiting for exactly one visible match.

/** How long an action waits for its element, in ms. */
export const DEFAULT_TIMEOUT = 10_000;

/** Finds visible elements by role and accessible name; runs in the page. */
function findInPage(query) {
  const selectors = {
    button: 'button, input[type=button], input[type=submit], [role=button]',
    textbox: 'input:not([type]), input[type=text], input[type=email], input[type=url], textarea, [role=textbox]',
    searchbox: 'input[type=search], [role=searchbox]',
    heading: 'h1, h2, h3, h4, h5, h6, [role=heading]',
    checkbox: 'input[type=checkbox], [role=checkbox]',
    alert: '[role=alert]',
    status: '[role=status]',
    labelled: 'input, select, textarea',
  };
  const squash = (text) => (text ?? '').replace(/\s+/g, ' ').trim();
  const nameOf = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return squash(by.split(/\s+/).map((id) => document.getElementById(id)?.textContent).join(' '));
    if (el.hasAttribute('aria-label')) return squash(el.getAttribute('aria-label'));
    if (el.labels?.length) return squash([...el.labels].map((l) => l.textContent).join(' '));
    if (['button', 'heading'].includes(query.role)) return squash(el.value && el.tagName === 'INPUT' ? el.value : el.textContent);
    return squash(el.getAttribute('title'));
  };
  const matches = (text, want) => {
    if (want === null) return true;
    if (want.regexp) return new RegExp(want.regexp, want.flags).test(text);
    return query.contains ? text.includes(want.text) : text === want.text;
  };
  const root = query.css ? document.querySelectorAll(query.css) : document.querySelectorAll(selectors[query.role]);
  return [...root].filter((el) => el.checkVisibility({ visibilityProperty: true })
    && matches(query.byText ? squash(el.textContent) : nameOf(el), query.want));
}

/** A name to match, as the page script receives it. */
export function encode(want) {
  if (want === undefined || want === null) return null;
  return want instanceof RegExp ? { regexp: want.source, flags: want.flags } : { text: String(want) };
}

/** The elements of a page that match a query (made by the Page methods of ./firefox.mjs). */
export class Locator {
  constructor(page, query) {
    this.page = page;
    this.query = query;
  }

  get driver() { return this.page.driver; }

  describe() {
    const { role, css, want } = this.query;
    return `${css ?? role}${want ? ` "${want.text ?? `/${want.regexp}/`}"` : ''}`;
  }

  /** Every visible match now. */
  async all() {
    await this.page.focus();
    return this.driver.executeScript(`return (${findInPage})(arguments[0])`, this.query);
  }

  async count() { return (await this.all()).length; }

  async isVisible() { return (await this.one(0).catch(() => null)) !== null; }

  /**
   * The single visible match, waiting up to `timeout` ms for it. More than one is an error (as
   * in Playwright). Its name is then checked against Firefox's own accessibility tree.
   */
  async one(timeout = DEFAULT_TIMEOUT) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = await this.all();
      if (found.length > 1) throw new Error(`${this.describe()}: ${found.length} elements match`);
      if (found.length === 1) {
        if (this.query.verify) await this.verify(found[0]);
        return found[0];
      }
      if (Date.now() >= deadline) throw new Error(`${this.describe()}: not found within ${timeout} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async verify(element) {
    const { want } = this.query;
    const computed = (await element.getAccessibleName()).replace(/\s+/g, ' ').trim();
    const ok = want.regexp ? new RegExp(want.regexp, want.flags).test(computed) : computed === want.text;
    if (!ok) throw new Error(`${this.describe()}: Firefox's accessible name is "${computed}"`);
  }

  async waitFor({ timeout = DEFAULT_TIMEOUT } = {}) { await this.one(timeout); }

  async click() { await (await this.one()).click(); }

  async fill(text) {
    const element = await this.one();
    await element.clear();
    if (text) await element.sendKeys(text);
  }

  async focus() { await this.driver.executeScript('arguments[0].focus()', await this.one()); }

  async text() { return this.driver.executeScript('return arguments[0].textContent', await this.one()); }

  async innerText() { return this.driver.executeScript('return arguments[0].innerText', await this.one()); }

  async value() { return this.driver.executeScript('return arguments[0].value', await this.one()); }

  async attribute(name) {
    return this.driver.executeScript('return arguments[0].getAttribute(arguments[1])', await this.one(), name);
  }

  async hasClass(name) {
    return this.driver.executeScript('return arguments[0].classList.contains(arguments[1])', await this.one(), name);
  }

  async setChecked(checked) {
    const element = await this.one();
    if ((await element.isSelected()) !== checked) await element.click();
  }
}
