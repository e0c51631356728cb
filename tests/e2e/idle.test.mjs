// Issue 13, "a lock that stays locked": the vault locks when the system goes idle, unless the
// Settings switch (on by default) is off. chrome.idle needs a real display to measure idle
// time (headless Chromium always reports "active"), so this test runs Chromium with a window
// on an Xvfb display of its own, where nothing types: the system is idle from the start.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import { chromium } from 'playwright-core';
import { DIST, codeButton, freshProfile, openPopup, seedAccounts } from './harness.mjs';
import { SECRETS, label, setPassword } from './vault-helpers.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const running = new Set();

after(() => {
  for (const stop of running) stop();
});

/** Starts Xvfb on a free display; fails naming what is missing. */
async function startDisplay() {
  const found = spawnSync('sh', ['-c', 'command -v Xvfb']).status === 0;
  assert.ok(found, 'Xvfb is not installed (Debian package xvfb): the idle test needs a display');
  let number = 90 + Math.floor(Math.random() * 400);
  while (existsSync(`/tmp/.X11-unix/X${number}`)) number += 1;
  const xvfb = spawn('Xvfb', [`:${number}`, '-screen', '0', '800x600x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  const stop = () => xvfb.kill();
  running.add(stop);
  for (let i = 0; i < 100 && !existsSync(`/tmp/.X11-unix/X${number}`); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(existsSync(`/tmp/.X11-unix/X${number}`), `Xvfb did not start on :${number}`);
  return { display: `:${number}`, stop };
}

/** Chromium in a window on `display`, with the built extension; shaped like harness.launch. */
async function launchOn(display) {
  const profile = await freshProfile();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    env: { ...process.env, DISPLAY: display },
    viewport: { width: 420, height: 640 },
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
    args: [
      '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--ozone-platform=x11',
      `--disable-extensions-except=${DIST}`, `--load-extension=${DIST}`,
    ],
  });
  const stop = () => context.close().catch(() => {});
  running.add(stop);
  const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'))
    ?? await context.waitForEvent('serviceworker', { timeout: 20_000 });
  return { context, worker, extensionId: new URL(worker.url()).host, close: stop };
}

/** Unlocked vault, auto-lock delay 15 s (so "idle" comes after 15 s without input). */
async function unlockedWithShortDelay(browser, lockOnIdle) {
  // Record the worker's idle states from the start (the delay is 15 minutes until set below).
  await browser.worker.evaluate(() => {
    globalThis.idleStates = [];
    chrome.idle.onStateChanged.addListener((state) => globalThis.idleStates.push(state));
  });
  const page = await openPopup(browser);
  await seedAccounts(page, [{ issuer: 'Idle', name: 'i', secret: SECRETS[0] }]);
  await page.reload();
  await setPassword(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const toggle = label(page, 'Lock when the computer is locked or idle');
  assert.equal(await toggle.isChecked(), true, 'on by default');
  if (!lockOnIdle) await toggle.uncheck();
  await page.waitForFunction((on) => chrome.storage.local.get('lockOnIdle')
    .then((stored) => (stored.lockOnIdle ?? true) === on), lockOnIdle);
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  // Only idle may lock here: no auto-lock alarm.
  await page.evaluate(() => chrome.storage.local.set({ autoLockMinutes: 0.25 }));
  await page.evaluate(() => chrome.alarms.clear('auto-lock'));
  await codeButton(page, 'Idle i').waitFor();
  return page;
}

/** Resolves once `check()` resolves to true; fails after `ms`. */
async function until(check, ms) {
  const end = Date.now() + ms;
  while (!(await check())) {
    assert.ok(Date.now() < end, `not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const sessionKey = (page) => page.evaluate(() => chrome.storage.session.get('vault_key'));

test('the vault locks when the system goes idle, unless that is turned off in Settings', async () => {
  for (const lockOnIdle of [false, true]) {
    const { display, stop } = await startDisplay();
    const browser = await launchOn(display);
    try {
      const page = await unlockedWithShortDelay(browser, lockOnIdle);
      await until(() => browser.worker.evaluate(() => globalThis.idleStates.includes('idle')), 60_000);
      if (lockOnIdle) {
        await page.getByRole('heading', { name: 'Your accounts are locked' }).waitFor({ timeout: 20_000 });
        assert.deepEqual(await sessionKey(page), {});
      } else {
        // The idle state came and went unheeded: still unlocked.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        assert.notDeepEqual(await sessionKey(page), {});
        assert.equal(await page.locator('#lock-view').isHidden(), true);
      }
    } finally {
      await browser.close();
      stop();
    }
  }
});
