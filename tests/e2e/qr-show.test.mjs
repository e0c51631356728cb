// Issue 16's QR codes for a phone, in real headless Chromium: Show QR code in the popup's edit
// view and Export to Google Authenticator on the Import and export page. What is drawn is
// screenshotted and decoded by two decoders, ours (the built transfer module, in Node) and npm
// jsQR, and read back field by field (the transfer payload by a reader written in this test)
// to the accounts stored.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeAll, launch, openPopup, seedAccounts } from './harness.mjs';
import { base32Decode, base32Encode, decodeShown, readMigration } from './qr-helpers.mjs';

after(closeAll);

const KEY = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** A key of 20 bytes, all `n`, in base32. */
const keyOf = (n) => base32Encode(Buffer.alloc(20, n));

const sameKey = (a, b) => base32Decode(a).equals(base32Decode(b));

describe('Show QR code', () => {
  let browser;
  before(async () => { browser = await launch({ colorScheme: 'dark' }); });
  after(async () => { await browser.close(); await browser.cleanup(); });

  test('draws the account\'s otpauth:// link, which both decoders read back; the link never reaches the page', async () => {
    const page = await openPopup(browser);
    await seedAccounts(page, [
      { issuer: 'Example Shop', name: 'carol@example.com', secret: KEY, type: 'totp', algorithm: 'SHA256', digits: '8', period: '60' },
      { issuer: 'Counter', name: 'hank', secret: 'JBSWY3DPEHPK3PXP', type: 'hotp', counter: '7' },
    ]);
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('codes-painted').length > 0);
    assert.equal(await page.evaluate(() => performance.getEntriesByName('qr-module-loaded').length), 0,
      'the popup loads no QR module before Show QR code');

    await page.getByRole('button', { name: 'Edit Example Shop carol@example.com' }).click();
    const show = page.getByRole('button', { name: 'Show QR code' });
    await show.click();
    const picture = page.getByRole('img', { name: 'QR code of Example Shop carol@example.com' });
    await picture.waitFor();
    assert.equal(await page.locator('#show-qr').getAttribute('aria-expanded'), 'true');
    assert.match(await page.locator('#e-qr figcaption').textContent(), /^Anyone who sees this QR code can generate your codes/);
    const html = await page.content();
    assert.ok(!html.includes(KEY) && !/otpauth:\/\/[th]otp/.test(html), 'neither the key nor the link is in the page');

    const { ours, jsqr } = await decodeShown(page, picture);
    assert.equal(ours.length, 1, 'our decoder finds one code');
    assert.equal(jsqr, ours[0], 'jsQR reads the same text');
    const link = new URL(ours[0]);
    assert.equal(link.protocol, 'otpauth:');
    assert.equal(link.host, 'totp');
    assert.equal(decodeURIComponent(link.pathname), '/Example Shop:carol@example.com');
    assert.ok(sameKey(link.searchParams.get('secret'), KEY));
    assert.deepEqual(
      ['issuer', 'algorithm', 'digits', 'period'].map((p) => link.searchParams.get(p)),
      ['Example Shop', 'SHA256', '8', '60'],
    );

    // Hide, then Cancel: the code leaves the page.
    await page.getByRole('button', { name: 'Hide QR code' }).click();
    await page.locator('#e-qr svg').waitFor({ state: 'detached' });
    await show.click();
    await picture.waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('#e-qr svg').waitFor({ state: 'detached' }); // closing the edit view removes the code

    // An HOTP account: its counter goes with it.
    await page.getByRole('button', { name: 'Edit Counter hank' }).click();
    await show.click();
    const hotp = page.getByRole('img', { name: 'QR code of Counter hank' });
    await hotp.waitFor();
    const read = await decodeShown(page, hotp);
    assert.equal(read.jsqr, read.ours[0]);
    const counter = new URL(read.ours[0]);
    assert.equal(counter.host, 'hotp');
    assert.equal(counter.searchParams.get('counter'), '7');
    assert.ok(sameKey(counter.searchParams.get('secret'), 'JBSWY3DPEHPK3PXP'));
    await page.close();
  });
});

describe('Export to Google Authenticator', () => {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser.close(); await browser.cleanup(); });

  test('28 accounts: three transfer codes "1 of 3" of one batch that both decoders read back to the 25 Google can hold; 3 listed with why', async () => {
    const popup = await openPopup(browser);
    const representable = Array.from({ length: 25 }, (_, i) => ({
      issuer: `Service ${i}`,
      name: `person${i}@example.com`,
      secret: keyOf(i + 1),
      type: i === 4 ? 'hotp' : 'totp',
      algorithm: i === 5 ? 'SHA512' : 'SHA1',
      digits: i === 6 ? '8' : '6',
      ...(i === 4 ? { counter: '12' } : { period: '30' }),
    }));
    const refused = [
      { issuer: 'Steam', name: 'gamer', secret: keyOf(40), type: 'steam' },
      { issuer: 'Slow', name: 'minute', secret: keyOf(41), type: 'totp', period: '60' },
      { issuer: 'Odd', name: 'seven', secret: keyOf(42), type: 'totp', digits: '7' },
    ];
    await seedAccounts(popup, [...representable.slice(0, 10), ...refused, ...representable.slice(10)]);

    const page = await browser.context.newPage();
    page.on('pageerror', (error) => { throw new Error(`transfer page error: ${error.message}`); });
    await page.goto(`chrome-extension://${browser.extensionId}/transfer.html`);
    await page.waitForFunction(() => performance.getEntriesByName('transfer-ready').length > 0);
    await page.getByRole('radio', { name: 'Export to Google Authenticator' }).check();
    assert.equal(await page.getByLabel('Backup password', { exact: true }).isVisible(), false, 'no password for QR codes');
    await page.getByRole('button', { name: 'Show QR codes' }).click();
    await page.getByRole('status').filter({ hasText: '25 accounts ready to scan' }).waitFor();

    assert.deepEqual(await page.locator('#google-codes figcaption').allTextContents(), ['1 of 3', '2 of 3', '3 of 3']);
    assert.deepEqual(await page.locator('#google-refused-list li').allTextContents(), [
      'Steam (gamer): Google Authenticator cannot make Steam Guard codes.',
      'Slow (minute): Google Authenticator only makes codes every 30 seconds; this account\'s change every 60 seconds.',
      'Odd (seven): Google Authenticator only makes 6- or 8-digit codes; this account\'s have 7 digits.',
    ]);
    const html = await page.content();
    assert.ok(!html.includes('otpauth-migration://offline') && !representable.some((a) => html.includes(a.secret)),
      'no link or key in the page');

    const parts = [];
    for (let part = 1; part <= 3; part += 1) {
      const picture = page.getByRole('img', { name: `Google Authenticator transfer code ${part} of 3` });
      const { ours, jsqr } = await decodeShown(page, picture);
      assert.equal(ours.length, 1, `our decoder reads part ${part}`);
      assert.equal(jsqr, ours[0], `jsQR reads part ${part} the same`);
      parts.push(readMigration(ours[0]));
    }
    assert.deepEqual(parts.map((p) => [p.version, p.size, p.index]), [[1, 3, 0], [1, 3, 1], [1, 3, 2]]);
    assert.equal(new Set(parts.map((p) => p.id)).size, 1, 'one batch id');
    assert.deepEqual(parts.map((p) => p.accounts.length), [10, 10, 5]);
    const read = parts.flatMap((p) => p.accounts);
    assert.deepEqual(read.map((a) => a.name).sort(), representable.map((a) => a.name).sort());
    for (const want of representable) {
      const got = read.find((a) => a.name === want.name);
      assert.equal(got.issuer, want.issuer);
      assert.equal(got.name, want.name);
      assert.ok(sameKey(got.key, want.secret), `key of ${want.name}`);
      assert.equal(got.algorithm, want.algorithm);
      assert.equal(got.digits, Number(want.digits));
      assert.equal(got.type, want.type);
      assert.equal(got.counter, want.type === 'hotp' ? 12 : 0);
    }

    await page.getByRole('button', { name: 'Hide QR codes' }).click();
    assert.equal(await page.locator('#google-codes svg').count(), 0);
    await page.close();
    await popup.close();
  });
});
