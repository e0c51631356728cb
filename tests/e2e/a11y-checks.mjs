// The checks a11y.test.mjs runs on every state of the extension's pages. The page-side parts
// are plain functions run in the page with page.evaluate; axe-core (npm) is injected the same
// way (the extension's CSP applies to the page's own scripts, not to the test's).

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const AXE_VERSION = require('axe-core/package.json').version;
/** WCAG 2.1 A and AA, as axe-core tags them. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let axeSource = null;

/**
 * Runs axe-core on the page. Returns {violations, rules, applied}: the violations as readable
 * lines, the ids of every rule that ran, and of those that found something to check.
 */
export async function axe(page) {
  axeSource ??= await readFile(AXE_PATH, 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }), AXE_TAGS);
  const violations = result.violations.flatMap((rule) => rule.nodes.map((node) => (
    `${rule.id} (${rule.impact}) at ${node.target.join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`
  )));
  const rules = [...result.passes, ...result.violations, ...result.incomplete, ...result.inapplicable]
    .map((rule) => rule.id);
  const applied = [...result.passes, ...result.violations, ...result.incomplete].map((rule) => rule.id);
  return { violations, rules, applied };
}

/** The id of the tab showing `page` (extension pages only). */
async function tabId(page) {
  return page.evaluate(() => new Promise((resolve) => chrome.tabs.getCurrent((tab) => resolve(tab.id))));
}

/**
 * Runs `work()` with the page zoomed to `factor` (the browser's own page zoom, for this tab
 * only) in a window `cssWidth` CSS pixels wide, then restores both.
 */
export async function zoomed(page, { factor, cssWidth }, work) {
  const before = page.viewportSize();
  const id = await tabId(page);
  await page.setViewportSize({ width: cssWidth * factor, height: 1200 });
  await page.evaluate(async ([tab, zoom]) => {
    await chrome.tabs.setZoomSettings(tab, { scope: 'per-tab' });
    await chrome.tabs.setZoom(tab, zoom);
  }, [id, factor]);
  try {
    await page.waitForFunction((width) => window.innerWidth === width, cssWidth);
    // As tall as the content, so a plain screenshot shows all of it (Playwright's full-page
    // screenshots do not follow the browser's zoom).
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: cssWidth * factor, height: Math.ceil(height * factor) });
    return await work();
  } finally {
    await page.evaluate((tab) => chrome.tabs.setZoom(tab, 1), id);
    await page.setViewportSize(before);
  }
}

/**
 * In the page: what is cut off, scrolls sideways or overlaps. Controls are buttons, fields,
 * summaries and links; with headings, labels and the countdown they must lie inside the window
 * and inside every ancestor that clips them, show their whole text, and not overlap each other.
 */
export function layoutProblems() {
  const problems = [];
  const describe = (el) => {
    const name = el.getAttribute('aria-label') || el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${name}"`;
  };
  const shownEl = (el) => el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })
    && !el.closest('.visually-hidden') && el.getBoundingClientRect().width > 0;
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth} px`);
  }
  for (const el of document.querySelectorAll('body *')) {
    if (!shownEl(el)) continue;
    const style = getComputedStyle(el);
    // A text field scrolls its own long value by design, and a data table may scroll within its
    // own box (WCAG 1.4.10 excepts two-dimensional content); anything else must not.
    if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1
      && !['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) && !el.querySelector(':scope > table')) {
      problems.push(`${describe(el)} scrolls or cuts sideways: ${el.scrollWidth} > ${el.clientWidth} px`);
    }
  }
  const controls = [...document.querySelectorAll('button, input, select, textarea, summary, a[href]')].filter(shownEl);
  const texts = [...document.querySelectorAll('h1, h2, h3, label, .ring, .issuer, .name, .hint, .field-error, .banner, p')]
    .filter(shownEl);
  for (const el of [...controls, ...texts]) {
    const box = el.getBoundingClientRect();
    if (box.left < -0.5 || box.right > window.innerWidth + 0.5) {
      problems.push(`${describe(el)} is outside the window: ${Math.round(box.left)}–${Math.round(box.right)} of ${window.innerWidth} px`);
    }
    if (el.scrollWidth > el.clientWidth + 1 && !['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) {
      problems.push(`${describe(el)} does not show its whole text: ${el.scrollWidth} > ${el.clientWidth} px`);
    }
    for (let parent = el.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      const clips = (value) => value !== 'visible';
      const outer = parent.getBoundingClientRect();
      if (clips(style.overflowX) && (box.left < outer.left - 0.5 || box.right > outer.right + 0.5)) {
        problems.push(`${describe(el)} is cut off sideways by ${describe(parent)}`);
      }
      if (['hidden', 'clip'].includes(style.overflowY) && (box.top < outer.top - 0.5 || box.bottom > outer.bottom + 0.5)) {
        problems.push(`${describe(el)} is cut off vertically by ${describe(parent)}`);
      }
    }
  }
  const boxes = [...controls, ...document.querySelectorAll('.ring, h1, h2, h3')].filter(shownEl);
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a.contains(b) || b.contains(a)) continue;
      const [p, q] = [a.getBoundingClientRect(), b.getBoundingClientRect()];
      const width = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const height = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (width > 0.5 && height > 0.5) problems.push(`${describe(a)} overlaps ${describe(b)}`);
    }
  }
  return [...new Set(problems)];
}

/** In the page: animations running and transitions that would run (reduced motion wants none). */
export function motion() {
  const moving = document.getAnimations().map((animation) => `animation ${animation.animationName ?? animation.id} on ${animation.effect?.target?.className?.baseVal ?? animation.effect?.target?.className}`);
  for (const el of document.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    const longest = Math.max(...style.transitionDuration.split(',').map((d) => parseFloat(d) || 0));
    if (longest > 0 && style.transitionProperty !== 'none') moving.push(`transition on ${el.tagName.toLowerCase()}.${el.className}`);
  }
  return [...new Set(moving)];
}

/**
 * In the page, under forced colours: every icon's paint is the text colour of its control or a
 * system colour (so it follows the user's theme), and states shown by colour are still shown:
 * a pressed toggle, an invalid field and a code about to change each look different from their
 * plain counterparts.
 */
export function forcedColourProblems() {
  const problems = [];
  const probe = document.createElement('span');
  document.body.append(probe);
  const system = new Set(['none', 'transparent', 'rgba(0, 0, 0, 0)']);
  for (const name of ['CanvasText', 'Canvas', 'GrayText', 'Highlight', 'HighlightText', 'ButtonText', 'ButtonFace', 'LinkText', 'Mark', 'MarkText']) {
    probe.style.color = name;
    system.add(getComputedStyle(probe).color);
  }
  probe.remove();
  const shownEl = (el) => el.checkVisibility({ visibilityProperty: true }) && el.getBoundingClientRect().width > 0;
  for (const shape of document.querySelectorAll('svg path, svg circle, svg rect, svg line, svg polyline, svg polygon')) {
    if (!shownEl(shape)) continue;
    const style = getComputedStyle(shape);
    const own = getComputedStyle(shape.closest('svg')).color;
    for (const paint of [style.fill, style.stroke]) {
      if (paint !== own && !system.has(paint)) {
        problems.push(`an icon shape in ${shape.closest('button, .ring')?.className || 'the page'} is painted ${paint}, not its text colour or a system colour`);
      }
    }
  }
  const look = (el) => {
    const s = getComputedStyle(el);
    return [s.color, s.backgroundColor, s.borderTopColor, s.borderTopWidth, s.borderTopStyle, s.outlineStyle,
      s.fontWeight, s.textDecorationLine].join(' ');
  };
  const pairs = [
    ['[aria-pressed="true"]', '[aria-pressed="false"], button:not([aria-pressed]):not(.primary):not(.danger)'],
    ['input[aria-invalid="true"]', 'input:not([aria-invalid="true"]):not([type=checkbox])'],
    ['.account.ending .code', '.account:not(.ending) .code'],
    ['.account.ending .ring', '.account:not(.ending) .ring'],
  ];
  for (const [stateful, plain] of pairs) {
    const a = [...document.querySelectorAll(stateful)].find(shownEl);
    const b = [...document.querySelectorAll(plain)].find(shownEl);
    if (a && b && look(a) === look(b)) problems.push(`${stateful} looks the same as ${plain}: ${look(a)}`);
  }
  return problems;
}

/**
 * In the page: the elements Tab should reach, in document order (visible, enabled, not taken
 * out of the order), each tagged with `data-a11y-order` so the walk can recognise them.
 */
export function tabbables() {
  // A group of radios sharing a name is one Tab stop (its checked radio, or its first when
  // none is checked); arrow keys move within it. (Inline: page.evaluate sends this function
  // alone.)
  const radioInTabOrder = (el) => {
    if (el.type !== 'radio' || !el.name) return true;
    const group = [...(el.form ?? document).querySelectorAll('input[type=radio]')].filter((r) => r.name === el.name);
    const checked = group.find((r) => r.checked);
    return checked ? checked === el : group[0] === el;
  };
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const list = [...document.querySelectorAll(selector)].filter((el) => !el.disabled
    && el.tabIndex >= 0
    && !el.closest('[inert]')
    && el.checkVisibility({ visibilityProperty: true })
    && el.getBoundingClientRect().width > 0
    && !(el.tagName === 'SUMMARY' && el.parentElement.querySelector('summary') !== el)
    && radioInTabOrder(el));
  list.forEach((el, index) => { el.dataset.a11yOrder = String(index); });
  return list.length;
}

/**
 * In the page: the focused element, whether its focus indicator is visible (an outline or a
 * box shadow, not cut off by a clipping ancestor), and its box.
 */
export function focusedInfo() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth) || 0;
  const outline = style.outlineStyle !== 'none' && width >= 1;
  const shadow = style.boxShadow !== 'none';
  const reach = outline ? width + Math.max(0, parseFloat(style.outlineOffset) || 0) : 0;
  const box = el.getBoundingClientRect();
  // Where it is in the content, whatever Tab scrolled: the window's and every scroller's offset.
  let down = window.scrollY;
  let across = window.scrollX;
  for (let parent = el.parentElement; parent; parent = parent.parentElement) {
    down += parent.scrollTop;
    across += parent.scrollLeft;
  }
  let clippedBy = null;
  for (let parent = el.parentElement; parent && parent !== document.documentElement; parent = parent.parentElement) {
    const ps = getComputedStyle(parent);
    if (ps.overflowX === 'visible' && ps.overflowY === 'visible') continue;
    const outer = parent.getBoundingClientRect();
    const tol = 0.5;
    if (box.left - reach < outer.left - tol || box.right + reach > outer.right + tol
      || box.top - reach < outer.top - tol || box.bottom + reach > outer.bottom + tol) {
      clippedBy = `${parent.tagName.toLowerCase()}${parent.id ? `#${parent.id}` : ''}.${parent.className}`;
    }
  }
  return {
    order: el.dataset.a11yOrder ?? null,
    label: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 40)}"`,
    indicator: outline || shadow,
    clippedBy,
    box: { top: box.top + down, bottom: box.bottom + down, left: box.left + across, right: box.right + across },
  };
}

/**
 * Whether `b` comes after `a` in reading order (left to right, top to bottom): below it, or on
 * the same line (vertical overlap) and to its right.
 */
export function readsAfter(a, b) {
  const sameLine = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  return sameLine ? b.left >= a.left : b.top >= a.top;
}

/**
 * Chromium's own accessibility tree (CDP), reduced to what a screen reader offers as controls:
 * `{role, name, row, pressed}` where `row` is the account row's "issuer name" if inside one.
 * Also returns the text nodes Chromium exposes inside the countdown (there must be none).
 */
export async function accessibilityTree(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('Accessibility.enable');
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const interactive = new Set([
      'button', 'textbox', 'searchbox', 'combobox', 'checkbox', 'link', 'spinbutton', 'DisclosureTriangle',
      'switch', 'radio', 'slider', 'listbox', 'menuitem', 'tab', 'ToggleButton', 'PopUpButton',
    ]);
    const controls = [];
    const countdownTexts = [];
    const images = [];
    for (const node of nodes) {
      if (node.ignored || node.backendDOMNodeId === undefined) continue;
      const role = node.role?.value;
      const where = async (fn) => {
        const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId });
        const { result } = await cdp.send('Runtime.callFunctionOn', {
          objectId: object.objectId, functionDeclaration: fn, returnByValue: true,
        });
        return result.value;
      };
      if (interactive.has(role)) {
        const row = await where(`function () {
          const li = this.closest?.('li.account');
          return li ? [li.querySelector('.issuer').textContent, li.querySelector('.name').textContent].filter(Boolean).join(' ') : null;
        }`);
        controls.push({ role, name: node.name?.value ?? '', row });
      } else if (role === 'StaticText' || role === 'InlineTextBox') {
        const inCountdown = await where('function () { return Boolean((this.parentElement ?? this).closest?.(".ring")); }');
        if (inCountdown) countdownTexts.push(node.name?.value ?? '');
      } else if (role === 'image' || role === 'img') {
        const ring = await where('function () { return Boolean(this.classList?.contains("ring")); }');
        if (ring) images.push(node.name?.value ?? '');
      }
    }
    return { controls, countdownTexts, rings: images };
  } finally {
    await cdp.detach();
  }
}
