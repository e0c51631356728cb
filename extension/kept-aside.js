// Settings' list of records kept aside: stored values the core could not use and saved before
// anything overwrote them (src/store/aside.rs). Each shows its date and size, with Download
// and a Delete that asks first. Nothing here deletes anything on its own.

import { errorText, language, number, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

function button(text, className = '') {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = text;
  return element;
}

function sizeText(bytes) {
  const kilo = bytes >= 1000;
  return number(kilo ? bytes / 1000 : bytes, {
    style: 'unit', unit: kilo ? 'kilobyte' : 'byte', maximumFractionDigits: 1,
  });
}

function dateText(ms) {
  if (ms === null) return t('keptAsideUnknownDate');
  return new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/**
 * Lists the records kept aside in `#kept-aside` (hidden when there are none).
 * @param {{keptAside: Function, keptAsideRecord: Function, deleteKeptAside: Function}} store
 *   the second module (src/wasm/settings.rs)
 * @param {(text: string, what: string) => void} download
 * @param {(text: string) => void} announce
 */
export async function renderKeptAside(store, download, announce) {
  const records = await store.keptAside();
  const list = $('kept-aside-list');
  $('kept-aside').hidden = records.length === 0;
  list.replaceChildren(...records.map((record) => {
    const item = document.createElement('li');
    const when = dateText(record.keptAt);
    const text = document.createElement('span');
    text.textContent = t('keptAsideItem', when, sizeText(record.bytes));
    const save = button(t('download'));
    save.setAttribute('aria-label', t('keptAsideDownload', when));
    save.addEventListener('click', async () => {
      download(await store.keptAsideRecord(record.key), 'kept-aside');
    });
    const remove = button(t('delete'), 'danger');
    remove.setAttribute('aria-label', t('keptAsideDelete', when));
    const confirm = document.createElement('p');
    confirm.className = 'warning';
    confirm.setAttribute('role', 'alert');
    confirm.hidden = true;
    remove.addEventListener('click', async () => {
      if (confirm.hidden) {
        // First press: say what it does; the second press deletes.
        confirm.textContent = t('keptAsideConfirm');
        confirm.hidden = false;
        return;
      }
      try {
        await store.deleteKeptAside(record.key);
        announce(t('keptAsideDeleted'));
        await renderKeptAside(store, download, announce);
        ($('kept-aside-list').querySelector('button') ?? $('settings-view').querySelector('.cancel')).focus();
      } catch (error) {
        confirm.textContent = errorText(error);
      }
    });
    item.append(text, save, remove, confirm);
    return item;
  }));
}
