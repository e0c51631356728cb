// The popup in real headless Chromium with the built dist/: issue 3's behaviours.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  SCREENSHOTS, closeAll, codeButton, launch, oathtool, oathtoolHotp, openPopup, seedAccounts,
  shownCode, storedLocal,
} from './harness.mjs';

after(closeAll);

const KEY = 'JBSWY3DPEHPK3PXP';

/** A distinct 20-byte key for each `i`, in base32 (RFC 4648, no padding needed: 160 bits). */
function base32Key(i) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = createHash('sha1').update(`key ${i}`).digest();
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return bits.match(/.{5}/g).map((chunk) => alphabet[parseInt(chunk, 2)]).join('');
}
const field = (page, name) => page.getByRole('textbox', { name, exact: true });

async function addByForm(page, { issuer, name, secret }) {
  await page.getByRole('button', { name: 'Add account' }).click();
  await field(page, 'Issuer').fill(issuer);
  await field(page, 'Account name').fill(name);
  await field(page, 'Secret key').fill(secret);
  await page.getByRole('button', { name: 'Save' }).click();
}

describe('popup', () => {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser.close(); await browser.cleanup(); });

  test('first run explains how to add a key, with focus on Add account', async () => {
    const page = await openPopup(browser);
    await page.getByRole('heading', { name: 'No accounts yet' }).waitFor();
    assert.match(await page.locator('#empty').innerText(), /Enter a key manually/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'add-button');
    await page.close();
  });

  test('invalid keys get a specific alert and nothing is stored', async () => {
    const page = await openPopup(browser);
    const before = await storedLocal(page);
    const cases = [
      ['JBSWY31PEHPK3PXP', /'1' at position 7.*letter I or L/],
      ['JBSWY3DPEHPK3PX0', /'0' at position 16.*letter O/],
      ['JBSWY3DPEHPK', /too short/],
      ['', /Enter the secret key/],
    ];
    for (const [secret, message] of cases) {
      await page.getByRole('button', { name: 'Add account' }).click();
      await field(page, 'Issuer').fill('Bad Key Inc');
      await field(page, 'Secret key').fill(secret);
      await page.getByRole('button', { name: 'Save' }).click();
      const alert = page.getByRole('alert').filter({ hasText: message });
      await alert.waitFor();
      assert.equal(await field(page, 'Secret key').getAttribute('aria-invalid'), 'true');
      await page.getByRole('button', { name: 'Cancel' }).click();
    }
    assert.deepEqual(await storedLocal(page), before);
    assert.equal(await codeButton(page, 'Bad Key Inc').count(), 0);
    await page.close();
  });

  test('codes roll over at the period boundary while the popup stays open', async () => {
    const page = await openPopup(browser);
    const secret = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
    await seedAccounts(page, [{ issuer: 'Rollover', name: 'five', secret, type: 'totp', period: '5' }]);
    await page.reload();
    const button = codeButton(page, 'Rollover five');
    await button.waitFor();
    // Record when the text changes, in page time.
    await page.evaluate(() => {
      const target = [...document.querySelectorAll('button.code')]
        .find((b) => b.getAttribute('aria-label').startsWith('Copy code for Rollover five: '));
      window.changes = [];
      new MutationObserver(() => window.changes.push({ at: Date.now(), text: target.textContent }))
        .observe(target, { childList: true, characterData: true, subtree: true });
    });
    await page.waitForFunction(() => window.changes.length >= 2, null, { timeout: 15_000 });
    const changes = await page.evaluate(() => window.changes);
    for (const { at, text } of changes.slice(0, 2)) {
      const intoPeriod = at % 5000;
      assert.ok(intoPeriod < 250, `changed ${intoPeriod} ms after the boundary`);
      const boundary = Math.floor(at / 5000) * 5;
      assert.equal(text.replace(' ', ''), oathtool({ key: secret, period: 5 }, boundary));
    }
    await page.close();
  });

  test('HOTP: next code advances and persists the counter', async () => {
    const page = await openPopup(browser);
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    await seedAccounts(page, [{ issuer: 'Counter Co', name: 'dave', secret, type: 'hotp', counter: '4' }]);
    await page.reload();
    assert.equal(await shownCode(page, 'Counter Co dave'), oathtoolHotp({ key: secret }, 4));
    await page.getByRole('button', { name: 'Next code for Counter Co dave' }).click();
    const fifth = oathtoolHotp({ key: secret }, 5);
    await page.waitForFunction((code) => [...document.querySelectorAll('button.code')]
      .some((b) => b.textContent.replace(' ', '') === code), fifth);
    assert.equal(await shownCode(page, 'Counter Co dave'), fifth);
    await page.reload();
    await codeButton(page, 'Counter Co dave').waitFor();
    assert.equal(await shownCode(page, 'Counter Co dave'), oathtoolHotp({ key: secret }, 5));
    await page.close();
  });

  test('a pasted HOTP link keeps a counter above 2^53 exactly', async () => {
    const page = await openPopup(browser);
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const counter = '9007199254740993'; // 2^53 + 1: a JS number reads it as 2^53
    await page.getByRole('button', { name: 'Add account' }).click();
    await field(page, 'Secret key').focus();
    await page.evaluate((text) => navigator.clipboard.writeText(text),
      `otpauth://hotp/Big%20Counter:zed?secret=${secret}&issuer=Big%20Counter&counter=${counter}`);
    await page.keyboard.press('Control+V');
    assert.equal(await page.locator('#f-counter').inputValue(), counter);
    await page.getByRole('button', { name: 'Save' }).click();
    await codeButton(page, 'Big Counter zed').waitFor();
    assert.equal(await shownCode(page, 'Big Counter zed'), oathtoolHotp({ key: secret }, counter));
    await page.close();
  });

  test('an XSS-shaped issuer renders literally', async () => {
    const page = await openPopup(browser);
    const evil = '<img src=x onerror="window.pwned=1">';
    await addByForm(page, { issuer: evil, name: '<b>bold</b>', secret: KEY.toLowerCase() + 'aaaaaaaa' });
    await codeButton(page, evil).waitFor();
    assert.equal(await page.getByText(evil, { exact: true }).count(), 1);
    assert.equal(await page.getByText('<b>bold</b>', { exact: true }).count(), 1);
    assert.equal(await page.locator('#accounts img, #accounts b').count(), 0);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await page.close();
  });

  test('keyboard only: add an account, then reach and copy its code', async () => {
    const page = await openPopup(browser);
    const addButton = page.getByRole('button', { name: 'Add account' });
    await addButton.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('Keyboard Ltd');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim');
    await page.keyboard.press('Tab');
    await page.keyboard.type('mzxw 6ytb oi======');
    await page.keyboard.press('Enter');
    // 'mzxw6ytboi' decodes to 6 bytes: too short, so the form must refuse it and say why.
    await page.getByRole('alert').filter({ hasText: 'too short' }).waitFor();
    await field(page, 'Secret key').fill('');
    await field(page, 'Secret key').focus();
    await page.keyboard.type('mzxw 6ytb oizs a4tf');
    await page.keyboard.press('Enter');
    const button = codeButton(page, 'Keyboard Ltd kim');
    await button.waitFor();
    await page.getByRole('searchbox').focus();
    await page.keyboard.type('keyboard');
    await page.keyboard.press('ArrowDown');
    assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), /^Copy code for Keyboard Ltd kim: /);
    await page.close();
  });
});

describe('storage', () => {
  test('a record from a newer version is reported and left untouched', async () => {
    const browser = await launch();
    let page = await openPopup(browser);
    const future = JSON.stringify({ schema: 99, revision: 9, whatever: ['kept'] });
    await page.evaluate((vault) => chrome.storage.local.set({ vault }), future);
    await page.reload();
    await page.getByRole('heading', { name: 'Your accounts could not be read' }).waitFor();
    assert.match(await page.locator('#damaged-text').innerText(), /newer version/);
    assert.equal(await page.getByRole('button', { name: 'Add account' }).isDisabled(), true);
    assert.equal((await storedLocal(page)).vault, future);
    await browser.close();
    await browser.cleanup();
  });

  test('a corrupt current record falls back to the previous generation and is kept aside', async () => {
    const browser = await launch();
    let page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Gen One', name: 'g', secret: KEY }]);
    await seedAccounts(page, [{ issuer: 'Gen Two', name: 'g', secret: KEY }]);
    await page.evaluate(() => chrome.storage.local.set({ vault: '{"schema":1,"revision":' }));
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'previous copy is shown' }).waitFor();
    await codeButton(page, 'Gen One g').waitFor();
    assert.equal(await codeButton(page, 'Gen Two g').count(), 0);
    await addByForm(page, { issuer: 'Gen Three', name: 'g', secret: KEY });
    await codeButton(page, 'Gen Three g').waitFor();
    const stored = await storedLocal(page);
    const damagedKeys = Object.keys(stored).filter((k) => k.startsWith('vault_damaged'));
    assert.equal(damagedKeys.length, 1);
    assert.equal(stored[damagedKeys[0]], '{"schema":1,"revision":');
    await browser.close();
    await browser.cleanup();
  });
});

describe('scale and looks', () => {
  test('200 accounts render, filter and copy promptly', async () => {
    const browser = await launch();
    let page = await openPopup(browser);
    const forms = Array.from({ length: 200 }, (_, i) => ({
      issuer: `Service ${String(i).padStart(3, '0')}`, name: `user${i}@example.com`, secret: KEY,
    }));
    await seedAccounts(page, forms);
    // What the list holds when the popup marks its codes visible (the frame that paints them):
    // the rows built before it must fill the list, each with its code; the rest follow.
    await page.addInitScript(() => {
      const mark = performance.mark.bind(performance);
      performance.mark = (name, ...rest) => {
        if (name === 'codes-visible') {
          const list = document.getElementById('accounts');
          const codes = [...list.querySelectorAll('button.code')];
          globalThis.atCodesVisible = {
            built: codes.length,
            blank: codes.filter((code) => !code.textContent.trim()).length,
            // The list is a scroller: full when its rows overflow it.
            filled: list.scrollHeight > list.clientHeight,
          };
        }
        return mark(name, ...rest);
      };
    });
    await page.reload();
    await codeButton(page, 'Service 199').waitFor();
    assert.equal(await page.locator('#accounts li').count(), 200);
    const atCodesVisible = await page.evaluate(() => globalThis.atCodesVisible);
    assert.ok(atCodesVisible.built > 0 && atCodesVisible.blank === 0, JSON.stringify(atCodesVisible));
    assert.ok(atCodesVisible.filled, `the ${atCodesVisible.built} rows built first do not fill the list`);
    const started = Date.now();
    await page.keyboard.type('service 137');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Code copied' }).waitFor();
    // Generous: a shared machine; this guards against pathological slowness, not speed.
    assert.ok(Date.now() - started < 3000, `filter+copy took ${Date.now() - started} ms`);
    assert.equal(await page.locator('#accounts li:not([hidden])').count(), 1);
    await browser.close();
    await browser.cleanup();
  });

  test('screenshots for README (light and dark) and 200% zoom stays usable', async () => {
    const dir = SCREENSHOTS; // target/ by default: `cargo xtask screenshots` copies them to docs/
    await mkdir(dir, { recursive: true });
    for (const scheme of ['light', 'dark']) {
      const browser = await launch({ colorScheme: scheme });
      const page = await openPopup(browser);
      await seedAccounts(page, [
        { issuer: 'Example Backup', name: 'alice@example.com', secret: KEY },
        { issuer: 'Ledger Accounting', name: 'alice', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', digits: '8', algorithm: 'SHA256', type: 'totp', period: '30' },
        { issuer: 'Cloud Files', name: 'a.smith', secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOA' },
        { issuer: 'Steam', name: 'gamer', secret: '63BEDWCQZKTQWPESARIERL5DTTQFCJTK', type: 'steam' },
      ]);
      await page.setViewportSize({ width: 360, height: 400 });
      await page.reload();
      await codeButton(page, 'Steam gamer').waitFor();
      await page.locator('body').screenshot({ path: join(dir, `popup-${scheme}.png`) });
      if (scheme === 'light') {
        // 200% zoom in a popup at most 800 px wide: nothing is cut off or overflows sideways.
        await page.setViewportSize({ width: 800, height: 600 });
        await page.evaluate(() => { document.documentElement.style.zoom = '2'; });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 200%`);
        for (const row of await page.locator('#accounts li').all()) {
          const inner = await row.evaluate((li) => li.scrollWidth - li.clientWidth);
          assert.ok(inner <= 0, `row content overflows by ${inner}px at 200%`);
        }
        assert.equal(await codeButton(page, 'Example Backup').isVisible(), true);
      }
      await browser.close();
      await browser.cleanup();
    }
  });
});

describe('JS API', () => {
  test('codeAt and parseUri behave as README documents', async () => {
    const browser = await launch();
    const page = await openPopup(browser);
    const result = await page.evaluate(async () => {
      const wasm = await import('./pkg/toolbar_authenticator.js');
      await wasm.default();
      const error = (f) => { try { f(); return null; } catch (e) { return { code: e.code, message: e.message }; } };
      return {
        code: wasm.codeAt('otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example', 1700000000),
        sha256: wasm.codeAt('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256&digits=8&period=60', 1234567890),
        hotp: wasm.codeAt('otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=1', 0),
        parsed: wasm.parseUri('otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256&digits=8&period=60'),
        parsedHotp: wasm.parseUri('otpauth://hotp/ACME:bob?secret=JBSWY3DPEHPK3PXP&counter=5'),
        parsedBig: wasm.parseUri('otpauth://hotp/ACME:bob?secret=JBSWY3DPEHPK3PXP&counter=9007199254740993').counter,
        missing: error(() => wasm.codeAt('otpauth://totp/x?issuer=y', 0)),
        badTime: error(() => wasm.codeAt('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP', -1)),
        check: wasm.checkSecret('JBSW Y3DP EHPK 3PXP'),
        checkBad: (({ code, field, detail, values, message }) => ({ code, field, detail, values, message }))(wasm.checkSecret('JBSWY3DP1')),
      };
    });
    assert.equal(result.code, oathtool({ key: KEY }, 1700000000));
    assert.equal(result.code, '324550');
    assert.equal(result.sha256, oathtool({ key: KEY, algorithm: 'SHA256', digits: 8, period: 60 }, 1234567890));
    assert.equal(result.hotp, '287082');
    assert.deepEqual(result.parsed, { issuer: 'ACME', account: 'bob', type: 'totp', algorithm: 'SHA256', digits: 8, period: 60 });
    assert.deepEqual(result.parsedHotp, { issuer: 'ACME', account: 'bob', type: 'hotp', algorithm: 'SHA1', digits: 6, counter: '5' });
    // A decimal string: 2^53 + 1 as a JS number would read 2^53 (it was clamped to 2^53 - 1).
    assert.equal(result.parsedBig, '9007199254740993');
    assert.equal(result.missing.code, 'uri.missing-secret');
    // Data, not English: the words come from _locales (error_uri_missing_secret).
    assert.equal(result.missing.message, 'uri.missing-secret');
    assert.equal(result.badTime.code, 'time.invalid');
    assert.equal(result.check, null);
    assert.equal(result.checkBad.code, 'secret.invalid-character');
    assert.equal(result.checkBad.field, 'secret');
    assert.equal(result.checkBad.detail, 'secret.invalid-character-one');
    assert.deepEqual(result.checkBad.values, ['1', 9]);
    assert.equal(result.checkBad.message, 'secret.invalid-character');
    await browser.close();
    await browser.cleanup();
  });

  test('codeAt keeps prepared links correctly: more links than it keeps, repeats, errors between', async () => {
    // 300 keys (more than the 256 links codeAt keeps prepared), each asked for at two times,
    // in three passes: the second repeats the same strings (prepared), the third uses equal
    // strings built afresh; bad calls in between must not disturb anything.
    const keys = Array.from({ length: 300 }, (_, i) => base32Key(i));
    const t1 = 1_700_000_015;
    const t2 = 1_800_000_045;
    const browser = await launch();
    const page = await openPopup(browser);
    const result = await page.evaluate(async ({ keys, t1, t2 }) => {
      const wasm = await import('./pkg/toolbar_authenticator.js');
      await wasm.default();
      const error = (f) => { try { f(); return null; } catch (e) { return e.code; } };
      const links = keys.map((key, i) => `otpauth://totp/Load:user${i}?secret=${key}&digits=${6 + (i % 3)}`);
      const pass = (t, make) => links.map((link, i) => make(link, i)).map((link) => wasm.codeAt(link, t));
      const first = pass(t1, (link) => link);
      const errors = [
        error(() => wasm.codeAt('otpauth://totp/x?secret=JBSWY3DP1', t1)),
        error(() => wasm.codeAt(42, t1)),
        error(() => wasm.codeAt(links[0], Number.NaN)),
      ];
      // Many failures in a row must not wear anything out (an earlier build broke after 1,023).
      for (let i = 0; i < 1500; i += 1) error(() => wasm.codeAt(links[i % 300], -1));
      const second = pass(t2, (link) => link);
      const third = pass(t1, (link, i) => ['otpauth://totp/Load:user', i, link.slice(link.indexOf('?'))].join(''));
      const steam = wasm.codeAt('otpauth://steam/s?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK', 1511200518);
      return { first, second, third, errors, steam };
    }, { keys, t1, t2 });
    const digits = (i) => 6 + (i % 3);
    for (const i of [0, 1, 2, 100, 255, 256, 257, 299]) {
      assert.equal(result.first[i], oathtool({ key: keys[i], digits: digits(i) }, t1), `link ${i} at t1`);
      assert.equal(result.second[i], oathtool({ key: keys[i], digits: digits(i) }, t2), `link ${i} at t2`);
    }
    assert.deepEqual(result.third, result.first);
    assert.ok(result.first.every((code, i) => code.length === digits(i) && /^[0-9]+$/.test(code)));
    assert.notDeepEqual(result.first, result.second);
    assert.deepEqual(result.errors, ['uri.secret', 'uri.not-text', 'time.invalid']);
    assert.equal(result.steam, 'FR8RV');
    await browser.close();
    await browser.cleanup();
  });
});
