// The main scenarios in French and German (issue 18), in real headless Chromium started with
// `--lang` and `LANGUAGE`: the words asserted are written here for each language (so a wrong
// catalogue fails), plural forms and numbers as the language wants them, and on every screen no
// English sentence of en's catalogue is visible. Also the README's screenshot per language.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { access, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ROOT, SCREENSHOTS, addI18nModule, awayFromBoundary, closeAll, escapeRegExp, launch, oathtool, openPopup, patchedDist,
  seedAccounts,
} from './harness.mjs';

after(closeAll);

const KEY = 'JBSWY3DPEHPK3PXP';
const INTEROP = join(ROOT, '..', 'shared', 'interop');
const catalogue = async (lang) => Object.fromEntries(Object.entries(JSON.parse(
  await readFile(join(ROOT, 'extension', '_locales', lang, 'messages.json'), 'utf8'),
)).map(([key, { message }]) => [key, message]));

/** en's sentences (3 words or more, split at placeholders) that must never show in another language. */
async function englishSentences() {
  const en = await catalogue('en');
  const fragments = new Set();
  for (const [key, message] of Object.entries(en)) {
    if (key === 'extName' || key.startsWith('format_')) continue;
    for (const part of message.split(/\$[A-Z_]+\$/)) {
      const text = part.trim();
      if ((text.match(/\p{L}{2,}/gu) ?? []).length >= 3) fragments.add(text);
    }
  }
  return [...fragments];
}

/** Fails naming any English sentence visible in `page` (text and the names of controls). */
async function assertNoEnglish(page, english, where) {
  const shown = await page.evaluate(() => {
    const names = [...document.querySelectorAll('[aria-label],[placeholder],[title]')]
      .filter((e) => e.checkVisibility?.() ?? true)
      .map((e) => [e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('title')].join('\n'));
    return `${document.body.innerText}\n${names.join('\n')}\n${document.title}`;
  });
  const leaks = english.filter((sentence) => shown.includes(sentence));
  assert.deepEqual(leaks, [], `English on ${where}:\n${shown}`);
}

/** A local site whose `Date` is `skewMs` off, for the clock check (HEAD) and the user's tab (GET). */
async function skewedSite(skewMs) {
  const server = createServer((req, res) => {
    res.sendDate = false;
    res.writeHead(200, { 'content-type': 'text/html', date: new Date(Date.now() + skewMs).toUTCString() });
    res.end(req.method === 'HEAD' ? undefined : '<!doctype html><title>Site</title><p>Site</p>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, host: `127.0.0.1:${port}`, close: () => { server.closeAllConnections(); server.close(); } };
}

/** The words each test expects, written per language (not read from the catalogue under test). */
const WORDS = {
  fr: {
    add: 'Ajouter un compte', issuer: 'Émetteur', name: 'Nom du compte', secret: 'Clé secrète', save: 'Enregistrer',
    copyFor: 'Copier le code de', copied: 'Code copié', added: 'Compte ajouté', search: 'Rechercher',
    noMatch: (q) => `Aucun compte ne correspond à «\u00a0${q}\u00a0».`, edit: 'Modifier', saved: 'Modifications enregistrées',
    settings: 'Paramètres', autoLock: ['1 minute', '5 minutes', '15 minutes', '30 minutes', '1 heure', '4 heures', 'Jamais'],
    lastBackup: 'Dernière sauvegarde\u00a0: jamais', empty: 'Aucun compte pour l’instant',
    clock: /^Votre horloge avance de 1 heure 2 minutes (29|30|31) secondes sur 127\.0\.0\.1:\d+\. Les codes seront refusés\./,
    clockFix: 'Activez la date et l’heure automatiques',
    file: 'Fichier de sauvegarde', filePassword: 'Mot de passe du fichier', open: 'Ouvrir',
    wrongPassword: 'Mot de passe incorrect pour ce fichier',
    summary: /^Aegis\u00a0: 7 entrées lues\. Vérifiez les comptes à importer\./,
    importN: 'Importer 7 comptes', importedN: '7 comptes importés',
    numbers: ['Importer 1\u202f000 comptes', '0 compte importé', '1 compte importé', '2 comptes importés',
      'Parties importées\u00a0: 1 sur 3\u202f; il manque les parties 2 et 3', 'Un nouveau code toutes les 30 secondes'],
  },
  de: {
    add: 'Konto hinzufügen', issuer: 'Aussteller', name: 'Kontoname', secret: 'Geheimer Schlüssel', save: 'Speichern',
    copyFor: 'Code für', copied: 'Code kopiert', added: 'Konto hinzugefügt', search: 'Suchen',
    noMatch: (q) => `Kein Konto passt zu „${q}“.`, edit: 'bearbeiten', saved: 'Änderungen gespeichert',
    settings: 'Einstellungen', autoLock: ['1 Minute', '5 Minuten', '15 Minuten', '30 Minuten', '1 Stunde', '4 Stunden', 'Nie'],
    lastBackup: 'Letzte Sicherung: nie', empty: 'Noch keine Konten',
    clock: /^Ihre Uhr geht im Vergleich zu 127\.0\.0\.1:\d+ 1 Stunde 2 Minuten (29|30|31) Sekunden vor\. Codes werden abgelehnt\./,
    clockFix: 'automatische Einstellung von Datum und Uhrzeit',
    file: 'Sicherungsdatei', filePassword: 'Dateipasswort', open: 'Öffnen',
    wrongPassword: 'Falsches Passwort für diese Datei',
    summary: /^Aegis: 7 Einträge gelesen\. Prüfen Sie, welche Konten importiert werden sollen\./,
    importN: '7 Konten importieren', importedN: '7 Konten importiert',
    numbers: ['1.000 Konten importieren', '0 Konten importiert', '1 Konto importiert', '2 Konten importiert',
      '1 von 3 Teilen importiert, Teile 2 und 3 fehlen', 'Alle 30 Sekunden ein neuer Code'],
  },
};

/**
 * The core's invalid-key error for the key typed below: a `1` where a letter was meant, whose
 * message (the error's detail, `secret.invalid-character-one`) asks "did you mean I or L?".
 */
const BAD_KEY = 'error_secret_invalid_character_one';
const BAD_KEY_TODO = BAD_KEY in JSON.parse(readFileSync(join(ROOT, 'extension', '_locales', 'en', 'messages.json'), 'utf8'))
  ? false
  : `en has no ${BAD_KEY} yet: the core's own English sentence is shown until the error codes land`;

/** A pattern matching `message` with any value in each placeholder. */
const pattern = (message) => new RegExp(`^${message.split(/\$[A-Z_]+\$/).map(escapeRegExp).join('.+')}$`, 's');

let english;
before(async () => { english = await englishSentences(); });

for (const [lang, words] of Object.entries(WORDS)) {
  describe(`the extension in ${lang}`, () => {
    let browser;
    let dist;
    let messages;
    before(async () => {
      messages = await catalogue(lang);
      // A host permission stands in for the activeTab grant of a click (as in clock.test.mjs).
      dist = await patchedDist((manifest) => { manifest.host_permissions = ['http://127.0.0.1/*']; });
      await addI18nModule(dist);
      browser = await launch({ dist, lang });
    });
    after(async () => {
      await browser.close();
      await browser.cleanup();
      await rm(dist, { recursive: true, force: true });
    });

    test('the browser speaks it, and the popup too, from the first screen', async () => {
      const page = await openPopup(browser);
      assert.equal(await page.evaluate(() => chrome.i18n.getUILanguage()), lang);
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      await page.getByRole('heading', { name: words.empty }).waitFor();
      await assertNoEnglish(page, english, 'the empty list');
      // The English detector itself: a sentence of en planted in the page is caught.
      assert.ok(english.length > 100, `only ${english.length} English sentences to look for`);
      await page.evaluate((text) => document.body.append(Object.assign(document.createElement('p'), { textContent: text })),
        english.find((e) => e.startsWith('On the website, open the security settings')));
      await assert.rejects(assertNoEnglish(page, english, 'a planted sentence'), /English on a planted sentence/);
      await page.close();
    });

    test('plural forms and numbers as the language writes them', async () => {
      const page = await openPopup(browser);
      const shown = await page.evaluate(async () => {
        const { numberList, plural, pluralKey, t } = await import('./i18n.js');
        return [
          plural('importAccounts', 1000), plural('importedAccounts', 0), plural('importedAccounts', 1),
          plural('importedAccounts', 2), t(pluralKey('batchMissing', 2), 1, 3, numberList([2, 3])),
          plural('countdownLabel', 30),
        ];
      });
      assert.deepEqual(shown, words.numbers);
      await page.close();
    });

    test('add by key, the code shown and copied, search, edit', async () => {
      const page = await openPopup(browser);
      await page.getByRole('button', { name: words.add, exact: true }).click();
      await page.getByRole('textbox', { name: words.issuer, exact: true }).fill('Example Backup');
      await page.getByRole('textbox', { name: words.name, exact: true }).fill('alice@example.com');
      await page.getByRole('textbox', { name: words.secret, exact: true }).fill('jbsw y3dp ehpk 3pxp');
      await page.getByRole('button', { name: words.save, exact: true }).click();
      await page.getByRole('status').filter({ hasText: words.added }).waitFor();
      const button = page.getByRole('button', { name: new RegExp(`^${escapeRegExp(words.copyFor)} Example Backup alice@example\\.com`) });
      await button.waitFor();
      await awayFromBoundary(30);
      const t = Math.floor(Date.now() / 1000);
      assert.equal((await button.textContent()).replace(/\s/g, ''), oathtool({ key: KEY }, t));
      await button.click();
      await page.getByRole('status').filter({ hasText: words.copied }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), oathtool({ key: KEY }, t));
      await assertNoEnglish(page, english, 'the list');

      const search = page.getByRole('searchbox', { name: words.search });
      await search.fill('zzz');
      await page.getByText(words.noMatch('zzz')).waitFor();
      await search.fill('exam');
      await button.waitFor();
      await search.fill('');

      await page.getByRole('button', { name: new RegExp(escapeRegExp(words.edit)) }).first().click();
      await page.getByRole('textbox', { name: words.name, exact: true }).fill('alice');
      await page.getByRole('button', { name: words.save, exact: true }).click();
      await page.getByRole('status').filter({ hasText: words.saved }).waitFor();
      await page.getByRole('button', { name: new RegExp(`^${escapeRegExp(words.copyFor)} Example Backup alice`) }).waitFor();
      await page.close();
    });

    test('a key the core refuses: its error in the language', { todo: BAD_KEY_TODO }, async () => {
      const page = await openPopup(browser);
      await page.getByRole('button', { name: words.add, exact: true }).click();
      await page.getByRole('textbox', { name: words.issuer, exact: true }).fill('Example');
      await page.getByRole('textbox', { name: words.secret, exact: true }).fill('JBSW1DPEHPK3PXP');
      await page.getByRole('button', { name: words.save, exact: true }).click();
      const alert = page.locator('#f-secret-error');
      await alert.waitFor();
      const text = await alert.innerText();
      assert.match(text, pattern(messages[BAD_KEY] ?? BAD_KEY));
      await assertNoEnglish(page, english, 'the add form with a refused key');
      await page.close();
    });

    test('settings: durations with their plural forms, last backup, no English', async () => {
      const page = await openPopup(browser);
      await page.getByRole('button', { name: words.settings, exact: true }).click();
      await page.getByRole('heading', { name: words.settings, exact: true }).waitFor();
      assert.deepEqual(await page.locator('#autolock option').allTextContents(), words.autoLock);
      assert.equal(await page.locator('#last-backup').textContent(), words.lastBackup);
      await assertNoEnglish(page, english, 'Settings');
      await page.close();
    });

    test('the clock warning: hours, minutes and seconds in words, the advice, no English', async () => {
      const site = await skewedSite(-(3_600_000 + 150_000));
      try {
        const tab = browser.context.pages()[0] ?? await browser.context.newPage();
        await tab.goto(site.url);
        await tab.bringToFront();
        const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/popup.html') });
        await browser.worker.evaluate(() => chrome.windows.create({ url: 'popup.html', type: 'popup' }));
        const popup = await opened;
        const warning = popup.locator('#clock-warning');
        await warning.waitFor({ timeout: 15_000 });
        const text = await warning.innerText();
        assert.match(text, words.clock);
        assert.ok(text.includes(words.clockFix), text);
        await assertNoEnglish(popup, english, 'the clock warning');
        await popup.close();
      } finally {
        site.close();
      }
    });

    test('the Import page reads an encrypted Aegis file: wrong password, preview, import', async () => {
      const file = join(INTEROP, 'aegis', 'aegis_encrypted.json');
      await access(file).catch(() => {
        throw new Error(`${file} is missing: this test reads a real Aegis export from ../shared/interop/ beside the checkout`);
      });
      const { password } = JSON.parse(await readFile(join(INTEROP, 'expected.json'), 'utf8'))
        .fixtures.find((f) => f.file === 'aegis/aegis_encrypted.json');
      const page = await browser.context.newPage();
      await page.goto(`chrome-extension://${browser.extensionId}/transfer.html`);
      await page.waitForFunction(() => performance.getEntriesByName('transfer-ready').length > 0, null, { timeout: 30_000 });
      await assertNoEnglish(page, english, 'the Import and export page');
      await page.getByLabel(words.file, { exact: true }).setInputFiles(file);
      await page.getByLabel(words.filePassword, { exact: true }).fill('not the password');
      await page.getByRole('button', { name: words.open, exact: true }).click();
      await page.getByRole('alert').filter({ hasText: words.wrongPassword }).waitFor({ timeout: 30_000 });
      await page.getByLabel(words.filePassword, { exact: true }).fill(password);
      await page.getByRole('button', { name: words.open, exact: true }).click();
      await page.locator('#preview').waitFor({ timeout: 30_000 });
      assert.match(await page.locator('#preview-summary').textContent(), words.summary);
      await assertNoEnglish(page, english, 'the import preview');
      await page.getByRole('button', { name: words.importN, exact: true }).click();
      await page.getByRole('status').filter({ hasText: words.importedN }).waitFor({ timeout: 30_000 });
      await assertNoEnglish(page, english, 'the import result');
      await page.close();
    });
  });
}

describe('README screenshots', () => {
  test('screenshot of the popup in fr, nl and de', async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    for (const lang of ['fr', 'nl', 'de']) {
      const browser = await launch({ lang });
      const page = await openPopup(browser);
      await seedAccounts(page, [
        { issuer: 'Example Backup', name: 'alice@example.com', secret: KEY },
        { issuer: 'Ledger Accounting', name: 'alice', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', digits: '8', algorithm: 'SHA256', type: 'totp', period: '30' },
        { issuer: 'Cloud Files', name: 'a.smith', secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOA' },
        { issuer: 'Steam', name: 'gamer', secret: '63BEDWCQZKTQWPESARIERL5DTTQFCJTK', type: 'steam' },
      ]);
      await page.setViewportSize({ width: 360, height: 400 });
      await page.reload();
      const messages = await catalogue(lang);
      const copyFor = messages.copyCodeFor.split('$LABEL$')[0];
      await page.getByRole('button', { name: new RegExp(`^${escapeRegExp(copyFor)}Steam gamer`) }).waitFor();
      await page.locator('body').screenshot({ path: join(SCREENSHOTS, `popup-${lang}.png`) });
      await browser.close();
      await browser.cleanup();
    }
  });
});
