// Issue 5 in real headless Chromium: encryption at rest, lock and auto-lock, concurrent writers,
// damage handling and the upgrade from the first release's plain schema.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  ROOT, awayFromBoundary, closeAll, codeButton, launch, oathtool, openPopup, seedAccounts, storedLocal,
} from './harness.mjs';
import {
  PASSWORD, SECRETS, dumpAll, edits, encodings, hookedDist, label, setPassword, unlock, unlockIfNeeded,
} from './vault-helpers.mjs';

after(closeAll);

describe('encrypted vault', () => {
  test('with a password set no key is in storage in any encoding; lock, wrong password, unlock', async () => {
    const browser = await launch();
    const page = await openPopup(browser);
    await seedAccounts(page, SECRETS.map((secret, i) => ({ issuer: `Enc ${i}`, name: 'me', secret })));
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    assert.match(await page.locator('#set-password').innerText(), /cannot be recovered/);
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await setPassword(page);

    const dump = await dumpAll(page);
    for (const secret of SECRETS) {
      for (const encoded of encodings(secret)) {
        assert.ok(!dump.includes(encoded), `found ${JSON.stringify(encoded)} in storage`);
      }
    }
    assert.ok(!dump.includes(PASSWORD), 'the password itself is never stored');
    const session = await page.evaluate(() => chrome.storage.session.get(null));
    assert.ok(!JSON.stringify(session).includes(PASSWORD), 'session holds the key, not the password');

    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.getByRole('heading', { name: 'Your accounts are locked' }).waitFor();
    assert.equal(await page.locator('#accounts li').count(), 0);
    assert.deepEqual(await page.evaluate(() => chrome.storage.session.get('vault_key')), {});

    const before = await dumpAll(page);
    await unlock(page, 'not the password');
    await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor({ timeout: 20_000 });
    assert.equal(await dumpAll(page), before, 'a wrong password changes nothing');

    await unlock(page);
    await codeButton(page, 'Enc 0 me').waitFor({ timeout: 20_000 });
    await awayFromBoundary(30);
    const t = Math.floor(Date.now() / 1000);
    assert.equal((await codeButton(page, 'Enc 1 me').textContent()).replace(' ', ''),
      oathtool({ key: SECRETS[1] }, t));

    // Reopening while unlocked asks for nothing.
    const second = await openPopup(browser);
    await codeButton(second, 'Enc 2 me').waitFor();
    assert.equal(await second.locator('#lock-view').isHidden(), true);
    await browser.close();
    await browser.cleanup();
  });

  test('change password re-encrypts; remove password asks for it, then confirms', async () => {
    const browser = await launch();
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Change', name: 'c', secret: SECRETS[2] }]);
    await page.reload();
    await setPassword(page);
    const sealedBefore = JSON.parse((await storedLocal(page)).vault);

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Change password' }).click();
    await label(page, 'Current password').fill('wrong');
    await label(page, 'New password').fill('second password');
    await label(page, 'Confirm password').fill('second password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor({ timeout: 20_000 });
    await label(page, 'Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor({ timeout: 20_000 });
    const sealedAfter = JSON.parse((await storedLocal(page)).vault);
    assert.notEqual(sealedAfter.kdf.salt, sealedBefore.kdf.salt, 'new salt for the new password');

    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.getByRole('button', { name: 'Lock now' }).click();
    await unlock(page, PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor({ timeout: 20_000 });
    await unlock(page, 'second password');
    await codeButton(page, 'Change c').waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Remove password' }).click();
    await label(page, 'Current password').fill('second password');
    await page.getByRole('button', { name: 'Remove password' }).click();
    await page.getByText('Press Remove password again to confirm').waitFor();
    assert.equal(JSON.parse((await storedLocal(page)).vault).schema, 3, 'not removed before confirming');
    await page.getByRole('button', { name: 'Remove password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password removed' }).waitFor({ timeout: 20_000 });
    const stored = await storedLocal(page);
    assert.equal(JSON.parse(stored.vault).schema, 1);
    assert.equal(JSON.parse(stored.vault_previous).schema, 1);
    await browser.close();
    await browser.cleanup();
  });

  test('two popups and the worker make 50 interleaved edits each; none is lost', async () => {
    const browser = await launch({ dist: await hookedDist() });
    const first = await openPopup(browser);
    await seedAccounts(first, [{ issuer: 'Seed', name: 's', secret: SECRETS[0] }]);
    await first.reload();
    await setPassword(first);
    const second = await openPopup(browser);
    await codeButton(second, 'Seed s').waitFor();

    await Promise.all([
      first.evaluate(edits, { who: 'first', count: 50 }),
      second.evaluate(edits, { who: 'second', count: 50 }),
      browser.worker.evaluate(edits, { who: 'worker', count: 50 }),
    ]);
    await first.reload();
    await unlockIfNeeded(first);
    const names = await first.locator('#accounts .issuer').allTextContents();
    for (const who of ['first', 'second', 'worker']) {
      for (let i = 0; i < 50; i += 1) assert.ok(names.includes(`${who} ${i}`), `${who} ${i} missing`);
    }
    assert.equal(names.length, 151);
    const stored = await storedLocal(first);
    assert.equal(JSON.parse(stored.vault).schema, 3, 'still encrypted');
    await browser.close();
    await browser.cleanup();
  });

  test('a damaged encrypted record is explained, left untouched, and the previous one used', async () => {
    const browser = await launch();
    const page = await openPopup(browser);
    await seedAccounts(page, [{ issuer: 'Older', name: 'o', secret: SECRETS[0] }]);
    await page.reload();
    await setPassword(page);
    await seedAccounts(page, [{ issuer: 'Newer', name: 'n', secret: SECRETS[1] }]);
    const good = await storedLocal(page);
    const sealed = JSON.parse(good.vault);
    const flipped = sealed.ciphertext.startsWith('A') ? 'B' : 'A';
    const damaged = JSON.stringify({ ...sealed, ciphertext: flipped + sealed.ciphertext.slice(1) });
    await page.evaluate((vault) => chrome.storage.local.set({ vault }), damaged);
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'previous copy is shown' }).waitFor();
    await codeButton(page, 'Older o').waitFor();
    assert.equal((await storedLocal(page)).vault, damaged, 'the damaged record is not overwritten on read');

    // Both generations damaged: explain, offer the raw data, change nothing.
    await page.evaluate((vault) => chrome.storage.local.set({ vault_previous: vault }), damaged);
    await page.reload();
    await page.getByRole('heading', { name: 'Your accounts could not be read' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download stored data' }).click();
    const file = await (await download).path();
    assert.equal(await readFile(file, 'utf8'), damaged);
    const after = await storedLocal(page);
    assert.equal(after.vault, damaged);
    assert.equal(after.vault_previous, damaged);
    await browser.close();
    await browser.cleanup();
  });

  test('a vault of the first release (plain schema 1) keeps every account through encryption', async () => {
    const fixture = await readFile(join(ROOT, 'tests/data/vault-schema1.json'), 'utf8');
    const expected = JSON.parse(fixture).accounts;
    const browser = await launch();
    const page = await openPopup(browser);
    await page.evaluate((vault) => chrome.storage.local.set({ vault }), fixture.trim());
    await page.reload();
    const labelOf = (account) => [account.issuer, account.name].filter(Boolean).join(' ');
    for (const account of expected) {
      await codeButton(page, labelOf(account)).waitFor();
    }
    await setPassword(page);
    await page.getByRole('button', { name: 'Lock now' }).click();
    await unlock(page);
    for (const account of expected) {
      await codeButton(page, labelOf(account)).waitFor({ timeout: 20_000 });
    }
    await awayFromBoundary(30);
    const t = Math.floor(Date.now() / 1000);
    const totp = expected.find((a) => a.type === 'totp' && a.period === 30 && a.digits === 6);
    assert.equal((await codeButton(page, `${totp.issuer} ${totp.name}`).textContent()).replace(' ', ''),
      oathtool({ key: totp.secret }, t));
    await browser.close();
    await browser.cleanup();
  });
});
