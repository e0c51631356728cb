// The behaviour scenarios, described once and run in every browser: a test file per browser
// calls `runScenarios(driver)` with its driver (../drivers/chromium.mjs, ../drivers/firefox.mjs).
//
// What a scenario may ask of a driver (both drivers give each operation the same meaning):
//
//   driver.name                       'chromium' | 'firefox'
//   driver.start({dist?, profile?, colorScheme?, lang?}) → session: the browser with the
//                                     extension, in the UI language `lang` (e.g. 'fr')
//   driver.closeAll()                 quits whatever a failed test left running
//   session.openPopup() → page        popup.html in a tab, codes (or a notice) painted
//   session.popupOver(url) → page     `url` in the user's tab, the popup in a window of its own
//                                     over it (as the toolbar popup), clock check finished
//   session.clipboard()               the system clipboard's text (pasted into a scratch page)
//   session.setClipboard(text)        copies `text` from a scratch page
//   session.restart()                 quits and starts the browser again on the same profile
//   session.close(), session.cleanup(), session.profile, session.base (the extension's URL)
//   page.role(role, name?)            an element by ARIA role and accessible name (a string
//                                     matches exactly, a RegExp tests); only visible ones
//   page.label(text)                  a form control by its label
//   page.alert(text), page.status(text)  a role=alert / role=status element containing `text`
//   page.css(selector)                visible elements matching a CSS selector
//   page.evaluate(fn, arg)            runs fn(arg) in the page (JSON-able result)
//   page.waitFor(fn, arg, {timeout})  until fn(arg) in the page is truthy
//   page.press('Enter' | 'Control+V' | …), page.type(text)   keyboard, to the focused element
//   page.reload(), page.setViewport({width, height}), page.screenshot(path), page.close()
//   locator.waitFor({timeout}), click(), fill(text), focus(), text() (textContent),
//   innerText(), value(), attribute(name), hasClass(name), setChecked(bool), count(),
//   isVisible()
//
// A locator acting on an element waits for exactly one visible match (more is an error).

import { after, describe } from 'node:test';
import { clipboardScenarios } from './clipboard.mjs';
import { clockScenarios } from './clock.mjs';
import { codeScenarios } from './codes.mjs';
import { languageScenarios } from './languages.mjs';
import { vaultScenarios } from './vault.mjs';

/** Registers every scenario with node:test for `driver`. */
export function runScenarios(driver) {
  after(() => driver.closeAll());
  describe(`${driver.name}: codes`, () => codeScenarios(driver));
  describe(`${driver.name}: vault`, () => vaultScenarios(driver));
  describe(`${driver.name}: clock`, () => clockScenarios(driver));
  describe(`${driver.name}: clipboard`, () => clipboardScenarios(driver));
  describe(`${driver.name}: in French`, () => languageScenarios(driver));
}
