// The Import half of the Import and export page (transfer.html): what was read is previewed
// here and the chosen rows are imported. The second module reads files, links and QR pictures in
// Rust and keeps every key it reads in WebAssembly memory; this file sees labels, parameters and
// reasons only, and forwards what the person chooses. Nothing is stored until Import is pressed.

import { Importer, importFormats } from './pkg/toolbar_authenticator_transfer.js';
import {
  errorText, number, numberList, plural, pluralKey, t,
} from './i18n.js';

const $ = (id) => document.getElementById(id);

/** Returns the page's vault handle (`Authenticator`); set by `wireImport`. */
let auth = () => { throw new Error('wireImport() first'); };
/** The handle on what was read (keys stay inside it); null when nothing is being imported. */
let importer = null;

// ---- words --------------------------------------------------------------------------------

/** The message `key` when the locale has it, else null. */
function message(key, substitutions = []) {
  return chrome.i18n.getMessage(key, substitutions.map(numeric)) || null;
}

/** A value from the core as text: whole numbers with the language's digit grouping. */
function numeric(value) {
  return typeof value === 'number' || /^\d+$/.test(String(value)) ? number(Number(value)) : String(value);
}

const messageKey = (prefix, code) => `${prefix}_${code.replace(/[^a-z0-9]+/gi, '_')}`;

/** A format's name as people know it, e.g. "Aegis". */
const formatName = (id) => (id ? t(messageKey('format', id)) : '');

/** Words for an error from the second module: a file's error names its format first. */
function importErrorText(error) {
  const code = typeof error?.code === 'string' ? error.code : '';
  if (code === 'transfer.unknown-format') {
    return t('error_transfer_unknown_format', importFormats().map(formatName).join(', '));
  }
  return errorText(error, code.startsWith('transfer.') ? [formatName(error?.format)] : []);
}

/** Words for why a row cannot be imported. */
function skipText(skip) {
  const values = skip.values ?? [];
  return (skip.detail && message(messageKey('skip', skip.detail), values))
    || message(messageKey('skip', skip.code), values)
    || t('skip_unknown');
}

/** "Example (alice)", "Example", "alice", for check box names. */
function rowLabel(row) {
  return row.issuer && row.account ? `${row.issuer} (${row.account})` : row.issuer || row.account;
}

// ---- messages on the page -----------------------------------------------------------------

function showError(text) {
  $('import-error').textContent = text ?? '';
  $('import-error').hidden = !text;
}

function showResult(text) {
  const result = $('result');
  result.textContent = '';
  // A fresh text node in a later task makes screen readers announce a repeat too.
  setTimeout(() => { result.textContent = text; }, 30);
}

function showPasswordForm(format) {
  $('password-hint').textContent = t('filePasswordHint', formatName(format));
  $('password-error').hidden = true;
  $('password-form').hidden = false;
  $('file-password').value = '';
  $('file-password').focus();
}

function hidePasswordForm() {
  $('password-form').hidden = true;
  $('file-password').value = '';
  $('password-error').hidden = true;
}

// ---- preview ------------------------------------------------------------------------------

function cell(tag, text, className) {
  const element = document.createElement(tag);
  element.textContent = text ?? '';
  if (className) element.className = className;
  return element;
}

function typeText(row) {
  return row.type ? t(messageKey('kind', row.type)) : '';
}

function moverText(row) {
  if (row.period !== undefined && row.type !== 'steam') return t('periodSeconds', number(row.period));
  // The counter exactly as stored (a decimal string past 2^53), like the code never localised.
  if (row.counter !== undefined) return t('counterValue', String(row.counter));
  return '';
}

function previewRow(row, index) {
  const tr = document.createElement('tr');
  const check = document.createElement('td');
  if (row.skip) {
    tr.className = 'skipped';
  } else {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset.row = String(index);
    box.checked = !row.duplicate;
    box.setAttribute('aria-label', t('importRow', rowLabel(row)));
    check.append(box);
    if (row.duplicate) tr.className = 'duplicate';
  }
  const issuer = cell('th', row.issuer);
  issuer.scope = 'row';
  const account = cell('td', row.account, row.unnamed ? 'unnamed' : '');
  let note = '';
  if (row.skip) note = skipText(row.skip);
  else if (row.duplicate) note = t('alreadyInList');
  tr.append(
    check, issuer, account, cell('td', typeText(row)), cell('td', row.algorithm),
    cell('td', row.digits === undefined ? '' : String(row.digits), 'number'),
    cell('td', moverText(row), 'number'), cell('td', note, 'note'),
  );
  return tr;
}

function batchText(batch) {
  if (batch.missing.length === 0) return t('batchComplete', number(batch.parts));
  const key = pluralKey('batchMissing', batch.missing.length);
  return t(key, number(batch.read.length), number(batch.parts), numberList(batch.missing));
}

function renderPreview(shown) {
  hidePasswordForm();
  showError(null);
  const skipped = shown.rows.length - shown.importable;
  $('preview-summary').textContent = plural('previewSummary', shown.rows.length, formatName(shown.format))
    + (skipped > 0 ? ` ${plural('previewSkipped', skipped)}` : '');
  $('batches').replaceChildren(...shown.batches.map((batch) => {
    const item = cell('li', batchText(batch), batch.missing.length ? 'incomplete' : '');
    return item;
  }));
  if (shown.batches.some((batch) => batch.missing.length > 0)) {
    $('batches').append(cell('li', t('batchNextHint')));
  }
  $('preview-rows').replaceChildren(...shown.rows.map(previewRow));
  $('preview').hidden = false;
  updateCount();
  performance.mark('import-preview-rendered');
  requestAnimationFrame(() => performance.mark('import-preview-shown'));
}

function checkedRows() {
  return [...$('preview-rows').querySelectorAll('input[type=checkbox]:checked')]
    .map((box) => Number(box.dataset.row));
}

function updateCount() {
  const count = checkedRows().length;
  const button = $('import-button');
  button.textContent = plural('importAccounts', count);
  button.disabled = count === 0;
  const boxes = $('preview-rows').querySelectorAll('input[type=checkbox]');
  $('select-all').checked = boxes.length > 0 && count === boxes.length;
  $('select-all').indeterminate = count > 0 && count < boxes.length;
  $('select-all').disabled = boxes.length === 0;
}

/** Drops what was read (its keys are zeroised) and empties the page's inputs. */
export function clearImport() {
  importer?.free();
  importer = null;
  $('preview').hidden = true;
  $('preview-rows').replaceChildren();
  $('batches').replaceChildren();
  $('backup-file').value = '';
  $('import-text').value = '';
  hidePasswordForm();
  showError(null);
}

// ---- reading ------------------------------------------------------------------------------

function handle() {
  importer ??= new Importer(t('unnamedAccount'));
  return importer;
}

/** Runs one read of the module; shows the preview, the password field, or the error. */
function show(read) {
  showResult('');
  try {
    renderPreview(read(handle()));
  } catch (error) {
    if (error?.code === 'transfer.password-needed') {
      $('preview').hidden = true;
      showError(null);
      showPasswordForm(error.format);
    } else {
      hidePasswordForm();
      showError(importErrorText(error));
    }
  }
}

/** An image's pixels at its own resolution, or null when the file is not an image. */
async function imagePixels(blob) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    return null; // not a picture: read as a file
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.fillStyle = '#fff'; // transparent pixels read as white, like paper
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** A chosen, dropped or pasted file: a picture's QR codes, or another app's export. */
export async function readFile(file) {
  showResult('');
  $('import-text').value = ''; // the preview shows one input at a time
  const pixels = await imagePixels(file);
  if (pixels) {
    show((h) => h.readImage(auth(), pixels.width, pixels.height, pixels.data));
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  show((h) => h.read(auth(), bytes));
}

/** Links the popup's Scan QR code read, added to those read from pictures before. */
export function readScanned(links) {
  showResult('');
  $('import-text').value = '';
  $('backup-file').value = '';
  show((h) => h.readScanned(auth(), links));
}

function readText() {
  const text = $('import-text').value;
  if (!text.trim()) {
    showError(t('textEmpty'));
    $('import-text').focus();
    return;
  }
  $('backup-file').value = ''; // the preview shows one input at a time; the file can be chosen again
  show((h) => h.read(auth(), new TextEncoder().encode(text)));
}

/** Lets the button's new label paint before the key derivation blocks the page. */
const nextPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function openEncrypted(event) {
  event.preventDefault();
  const button = $('password-form').querySelector('[type=submit]');
  const input = $('file-password');
  performance.mark('import-open');
  button.disabled = true;
  button.textContent = t('opening');
  await nextPaint();
  try {
    renderPreview(handle().open(auth(), input.value));
    input.value = '';
  } catch (error) {
    $('password-error').textContent = importErrorText(error);
    $('password-error').hidden = false;
    input.select();
  } finally {
    button.disabled = false;
    button.textContent = t('open');
  }
}

// ---- import and cancel --------------------------------------------------------------------

async function importChosen() {
  const rows = checkedRows();
  if (!importer || rows.length === 0) return;
  const button = $('import-button');
  button.disabled = true;
  button.textContent = t('importing');
  try {
    const added = await importer.import(auth(), Uint32Array.from(rows));
    clearImport();
    if (added === 0) showResult(t('importedNone'));
    else showResult(plural('importedAccounts', added));
    $('backup-file').focus();
  } catch (error) {
    showError(importErrorText(error));
    updateCount();
  }
}

function cancel() {
  clearImport();
  showResult(t('importCancelled'));
  $('backup-file').focus();
}

// ---- wiring -------------------------------------------------------------------------------

/** Wires the Import section; `getAuth` returns the page's unlocked `Authenticator`. */
export function wireImport(getAuth) {
  auth = getAuth;
  $('backup-file').addEventListener('change', () => {
    const file = $('backup-file').files?.[0];
    if (file) readFile(file);
  });
  $('read-text').addEventListener('click', readText);
  $('import-text').addEventListener('paste', (event) => {
    if (event.clipboardData?.files?.length) return; // a picture: the page's paste handler
    setTimeout(readText, 0); // after the pasted text is in the field
  });
  $('password-form').addEventListener('submit', openEncrypted);
  $('preview-rows').addEventListener('change', updateCount);
  $('select-all').addEventListener('change', () => {
    for (const box of $('preview-rows').querySelectorAll('input[type=checkbox]')) {
      box.checked = $('select-all').checked;
    }
    updateCount();
  });
  $('import-button').addEventListener('click', importChosen);
  $('cancel-button').addEventListener('click', cancel);
}
