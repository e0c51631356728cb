// The extension in French, in every browser: the UI language comes from the browser (Chromium's
// --lang and LANGUAGE; Firefox's intl.locale.requested with its French language pack), and the
// popup's words, plural forms and numbers follow it. languages.test.mjs goes further in
// Chromium (German too, the clock warning, the Import page).

import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { DIST, DIST_FIREFOX, addI18nModule, awayFromBoundary, oathtool, patchedDist } from '../harness.mjs';
import { KEY } from './shared.mjs';

export function languageScenarios(driver) {
  let session;
  let dist;
  before(async () => {
    dist = await patchedDist(() => {}, driver.name === 'firefox' ? DIST_FIREFOX : DIST);
    await addI18nModule(dist);
    session = await driver.start({ lang: 'fr', dist });
  });
  after(async () => {
    await session.close();
    await session.cleanup();
    await rm(dist, { recursive: true, force: true });
  });

  test('French: add by key, copy, search, Settings; plural forms and digit grouping', async () => {
    const page = await session.openPopup();
    const [ui, lang] = await page.evaluate(() => [chrome.i18n.getUILanguage(), document.documentElement.lang]);
    assert.match(ui, /^fr\b/, `the browser's UI language is ${ui}: is the French language pack installed?`);
    assert.equal(lang, 'fr');
    await page.role('heading', 'Aucun compte pour l’instant').waitFor();

    await page.role('button', 'Ajouter un compte').click();
    await page.role('textbox', 'Émetteur').fill('Example Backup');
    await page.role('textbox', 'Nom du compte').fill('alice@example.com');
    await page.role('textbox', 'Clé secrète').fill('jbsw y3dp ehpk 3pxp');
    await page.role('button', 'Enregistrer').click();
    // Accessible names fold the no-break space before the colon into a space.
    const button = page.role('button', /^Copier le code de Example Backup alice@example\.com\s:\s\d{3}\s\d{3}$/);
    await button.waitFor();
    await awayFromBoundary(30, 4000);
    const t = Math.floor(Date.now() / 1000);
    const code = (await button.text()).replace(/\s/g, '');
    assert.equal(code, oathtool({ key: KEY }, t));
    await button.click();
    await page.status('Code copié').waitFor();
    assert.equal(await session.clipboard(), code);

    await page.role('searchbox', 'Rechercher').fill('zzz');
    await page.css('#no-match').waitFor();
    assert.equal(await page.css('#no-match').text(), 'Aucun compte ne correspond à «\u00a0zzz\u00a0».');
    await page.role('searchbox', 'Rechercher').fill('');

    await page.role('button', 'Paramètres').click();
    const options = await page.evaluate(() => [...document.querySelectorAll('#autolock option')].map((o) => o.textContent));
    assert.deepEqual(options, ['1 minute', '5 minutes', '15 minutes', '30 minutes', '1 heure', '4 heures', 'Jamais']);
    assert.deepEqual(await page.evaluate(async () => {
      const { plural } = await import(new URL('i18n.js', location.href).href);
      return [plural('importedAccounts', 0), plural('importedAccounts', 2), plural('importAccounts', 1000)];
    }), ['0 compte importé', '2 comptes importés', 'Importer 1\u202f000 comptes']);
    await page.close();
  });
}
