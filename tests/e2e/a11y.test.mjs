// Accessibility of every state of the extension's pages (issue 18), in real headless Chromium
// with the built dist/: axe-core's WCAG 2.1 A and AA rules in light and dark, Chromium's own
// accessibility tree for names, Tab order and a visible focus (also under forced colours),
// reduced motion, and 200% zoom in a 320 px wide window (a screenshot of each state, nothing cut
// off, scrolling sideways or overlapping). The states are in a11y-states.mjs.

import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AXE_TAGS, AXE_VERSION, accessibilityTree, axe, focusedInfo, forcedColourProblems, layoutProblems, motion,
  readsAfter, tabbables, zoomed,
} from './a11y-checks.mjs';
import { ACCOUNTS, STATES, startEnvironment } from './a11y-states.mjs';
import { SCREENSHOTS, closeAll, launch, openPopup, seedAccounts } from './harness.mjs';

after(closeAll);

const SHOTS = join(SCREENSHOTS, 'a11y');
const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * Tabs through the page once round: from its first control (focused by script) until Tab comes
 * back to it, so every control, the first too, is reached by the keyboard. Returns the controls
 * reached in order from the first, each with whether its focus indicator shows.
 */
async function tabWalk(page) {
  const count = await page.evaluate(tabbables);
  if (count === 0) return { count, reached: [] };
  await page.evaluate(() => document.querySelector('[data-a11y-order="0"]').focus());
  // Where the first control is while the page is still scrolled as it was for the second: when
  // Tab comes round to it at the end the page is scrolled to its last control, and a sticky
  // header would then look below the control that follows it.
  const firstBox = (await page.evaluate(focusedInfo))?.box;
  const reached = [];
  for (let i = 0; i < count + 6; i += 1) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(focusedInfo);
    if (info === null) continue; // the browser's own UI between the page's last and first control
    reached.push(info);
    if (info.order === '0') break;
  }
  if (reached.at(-1)?.order === '0') {
    const first = reached.pop();
    reached.unshift({ ...first, box: firstBox ?? first.box });
  }
  return { count, reached };
}

/** Problems with a walk: a control missed or reached out of order, or a focus not shown. */
function walkProblems({ count, reached }) {
  const problems = [];
  const orders = reached.map((r) => r.order);
  const expected = [...Array(count).keys()].map(String);
  if (orders.join() !== expected.join()) {
    problems.push(`Tab reached ${reached.map((r) => `${r.order}:${r.label}`).join(', ')}; expected the ${count} controls in document order`);
  }
  for (const r of reached) {
    if (!r.indicator) problems.push(`${r.label}: no visible focus indicator`);
    if (r.clippedBy) problems.push(`${r.label}: focus indicator cut off by ${r.clippedBy}`);
  }
  for (let i = 1; i < reached.length; i += 1) {
    if (!readsAfter(reached[i - 1].box, reached[i].box)) {
      problems.push(`Tab goes from ${reached[i - 1].label} to ${reached[i].label}, which is before it on screen`);
    }
  }
  return problems;
}

describe('accessibility of every state', () => {
  let env;
  const rules = new Set();
  const applied = new Set();
  let runs = 0;
  let checked = 0;

  before(async () => {
    env = await startEnvironment();
    await rm(SHOTS, { recursive: true, force: true }); // only this run's states
    await mkdir(SHOTS, { recursive: true });
  });

  after(async () => {
    await env?.close();
    console.log(`accessibility: ${checked} of ${STATES.length} states checked, light and dark: ${runs} axe-core ${AXE_VERSION} runs `
      + `(${AXE_TAGS.join(', ')}), ${rules.size} rules, ${applied.size} of them applying to something; `
      + `screenshots at 200% zoom, 320 px wide, in ${SHOTS}`);
  });

  STATES.forEach((state, index) => {
    test(state.name, async () => {
      const page = await state.enter(env);
      await page.bringToFront();
      const problems = [];

      for (const colorScheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme });
        const result = await axe(page);
        runs += 1;
        result.rules.forEach((rule) => rules.add(rule));
        result.applied.forEach((rule) => applied.add(rule));
        problems.push(...result.violations.map((v) => `${colorScheme}: ${v}`));
      }
      await page.emulateMedia({ colorScheme: 'light' });

      // Names, from Chromium's accessibility tree: every control has one, no two are the same,
      // a row's controls say which account they act on; the countdown's seconds are not in it.
      const tree = await accessibilityTree(page);
      const seen = new Map();
      for (const control of tree.controls) {
        if (!control.name.trim()) problems.push(`a ${control.role} has no accessible name`);
        const key = `${control.role} "${control.name}"`;
        if (seen.has(key)) problems.push(`two controls are both ${key}`);
        seen.set(key, true);
        if (control.row && !control.name.includes(control.row)) {
          problems.push(`${key} in the row of ${control.row} does not say which account it acts on`);
        }
      }
      if (tree.countdownTexts.length) problems.push(`the countdown's text is in the accessibility tree: ${tree.countdownTexts}`);

      // Keyboard: Tab reaches every control in visual order with a visible focus, with and
      // without forced colours (Windows high contrast).
      problems.push(...walkProblems(await tabWalk(page)));
      await page.emulateMedia({ forcedColors: 'active' });
      problems.push(...walkProblems(await tabWalk(page)).map((p) => `forced colours: ${p}`));
      problems.push(...(await page.evaluate(forcedColourProblems)).map((p) => `forced colours: ${p}`));
      await page.emulateMedia({ forcedColors: 'none' });
      problems.push(...(await page.evaluate(forcedColourProblems)).filter((p) => !p.includes('icon')));

      // Reduced motion: nothing animates or transitions.
      await page.emulateMedia({ reducedMotion: 'reduce' });
      problems.push(...(await page.evaluate(motion)).map((m) => `reduced motion: ${m}`));
      await page.emulateMedia({ reducedMotion: 'no-preference' });

      // 200% zoom, 320 px wide: nothing cut off, scrolling sideways or overlapping.
      await page.evaluate(() => document.activeElement?.blur());
      await zoomed(page, { factor: 2, cssWidth: 320 }, async () => {
        await page.screenshot({
          path: join(SHOTS, `${String(index + 1).padStart(2, '0')}-${slug(state.name)}.png`),
        });
        problems.push(...(await page.evaluate(layoutProblems)).map((p) => `200%, 320 px: ${p}`));
      });

      if (problems.length) assert.fail(`${state.name}: ${problems.length} problems\n${problems.join('\n')}`);
      checked += 1;
    });
  });
});

describe('screen reader output', () => {
  let browser;
  let page;
  const LABELS = ['Example Backup alice@example.com', 'Counter Bank bob', 'Steam gamer', 'Short Period carol'];

  before(async () => {
    browser = await launch();
    page = await openPopup(browser);
    await seedAccounts(page, ACCOUNTS);
    await page.reload();
    await page.locator('#accounts li').nth(ACCOUNTS.length - 1).waitFor();
  });
  after(async () => { await browser?.close(); await browser?.cleanup(); });

  test('every control in a row says what it does and for which account; the code is in the name', async () => {
    const { controls, rings } = await accessibilityTree(page);
    const names = controls.filter((c) => c.row).map((c) => c.name);
    const codes = await page.locator('button.code').allTextContents();
    assert.deepEqual(names, [
      `Copy code for ${LABELS[0]}: ${codes[0]}`, `Edit ${LABELS[0]}`, `Delete ${LABELS[0]}`,
      `Copy code for ${LABELS[1]}: ${codes[1]}`, `Next code for ${LABELS[1]}`, `Edit ${LABELS[1]}`, `Delete ${LABELS[1]}`,
      `Copy code for ${LABELS[2]}: ${codes[2]}`, `Edit ${LABELS[2]}`, `Delete ${LABELS[2]}`,
      `Copy code for ${LABELS[3]}: ${codes[3]}`, `Edit ${LABELS[3]}`, `Delete ${LABELS[3]}`,
    ]);
    assert.deepEqual(rings, [
      'A new code every 30 seconds', 'A new code every 30 seconds', 'A new code every 10 seconds',
    ]);
    const header = controls.filter((c) => !c.row).map((c) => `${c.role} ${c.name}`);
    assert.deepEqual(header, ['button Add account', 'button Scan QR code', 'button Settings', 'searchbox Search']);
  });

  test('the countdown changes every second without a live region and without changing its name', async () => {
    const before = await page.evaluate(() => [...document.querySelectorAll('.ring')].map((ring) => ({
      name: ring.getAttribute('aria-label'), text: ring.textContent,
    })));
    await page.evaluate(() => {
      window.liveChanges = [];
      const regions = document.querySelectorAll('[aria-live], [role=status], [role=alert], [role=log], [role=timer], [role=marquee]');
      const observer = new MutationObserver((records) => {
        for (const record of records) window.liveChanges.push(record.target.textContent);
      });
      for (const region of regions) observer.observe(region, { childList: true, characterData: true, subtree: true });
      for (const ring of document.querySelectorAll('.ring')) {
        let node = ring;
        while ((node = node.parentElement)) {
          if (node.matches('[aria-live], [role=status], [role=alert], [role=log], [role=timer], [role=marquee]')) {
            window.liveChanges.push(`countdown inside a live region: ${node.outerHTML.slice(0, 60)}`);
          }
        }
      }
    });
    await page.waitForFunction((texts) => [...document.querySelectorAll('.ring')]
      .every((ring, i) => ring.textContent !== texts[i]), before.map((b) => b.text), { timeout: 5_000 });
    const afterwards = await page.evaluate(() => [...document.querySelectorAll('.ring')].map((ring) => ring.getAttribute('aria-label')));
    assert.deepEqual(afterwards, before.map((b) => b.name), 'the names stay the same');
    assert.deepEqual(await page.evaluate(() => window.liveChanges), [], 'no live region changed with the seconds');
  });

  test('a copied code is announced once, as "Code copied"', async () => {
    await page.evaluate(() => {
      const status = document.getElementById('status');
      window.spoken = [];
      new MutationObserver(() => { if (status.textContent) window.spoken.push(status.textContent); })
        .observe(status, { childList: true, characterData: true, subtree: true });
    });
    await page.getByRole('button', { name: /^Copy code for Example Backup/ }).press('Enter');
    // Long enough for the list to tick twice: ticks must not announce anything.
    await page.waitForTimeout(2_500);
    assert.deepEqual(await page.evaluate(() => window.spoken), ['Code copied']);
    await page.getByRole('button', { name: /^Copy code for Steam/ }).press('Space');
    await page.waitForTimeout(1_200);
    assert.deepEqual(await page.evaluate(() => window.spoken), ['Code copied', 'Code copied'], 'each copy once');
  });

  test('reduced motion: the ring stops sweeping, the seconds still count down', async () => {
    assert.ok((await page.evaluate(motion)).length > 0, 'without the preference the rings animate (the check can fail)');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    assert.deepEqual(await page.evaluate(motion), []);
    assert.equal(await page.locator('.ring .arc').first().isVisible(), false, 'no arc standing still at full');
    const seconds = () => page.locator('.ring .seconds').first().textContent();
    const first = await seconds();
    await page.waitForFunction((before) => document.querySelector('.ring .seconds').textContent !== before, first);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });
});
