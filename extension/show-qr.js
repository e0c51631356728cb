// Show QR code, in the popup's edit view: the account's otpauth:// link as a QR code for a phone.
// Loaded on the first press only (as the second WebAssembly module it uses), never when the
// popup opens. The link is built and encoded in WebAssembly from the stored account; the page
// gets the drawing alone. The code is removed as soon as the edit view closes or the vault locks.

import { errorText, t } from './i18n.js';
import { drawQr } from './qr-draw.js';

const $ = (id) => document.getElementById(id);
/** Width the code is drawn at in the popup, in CSS pixels. */
const POPUP_QR_PIXELS = 240;

let transfer = null;

async function transferModule() {
  if (!transfer) {
    const module = await import('./pkg/toolbar_authenticator_transfer.js');
    await module.default();
    transfer = module;
    performance.mark('qr-module-loaded');
  }
  return transfer;
}

/** The error line and the figure, made on the first press (the popup's HTML has the button only). */
function build() {
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = 'qr.css';
  document.head.append(style);
  const error = document.createElement('p');
  error.id = 'e-qr-error';
  error.className = 'field-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const figure = document.createElement('figure');
  figure.id = 'e-qr';
  figure.className = 'qr-figure';
  figure.hidden = true;
  const code = document.createElement('div');
  code.id = 'e-qr-code';
  const caption = document.createElement('figcaption');
  caption.className = 'warning';
  caption.textContent = t('showQrWarning');
  figure.append(code, caption);
  $('e-qr-section').append(error, figure);
  $('show-qr').setAttribute('aria-controls', 'e-qr');
}

function hide() {
  $('e-qr-code').replaceChildren();
  $('e-qr').hidden = true;
  $('e-qr-error').hidden = true;
  $('show-qr').setAttribute('aria-expanded', 'false');
  $('show-qr').textContent = t('showQr');
}

/** Draws the QR code of account `id` (its current stored form), labelled `label`. */
async function show(id, label) {
  const button = $('show-qr');
  button.disabled = true;
  let auth = null;
  try {
    const { Authenticator, accountQr } = await transferModule();
    auth = await Authenticator.load(); // the vault as stored now, opened with the session key
    const drawing = accountQr(auth, id);
    $('e-qr-code').replaceChildren(drawQr(drawing, t('qrOf', label), POPUP_QR_PIXELS));
    $('e-qr').hidden = false;
    button.setAttribute('aria-expanded', 'true');
    button.textContent = t('hideQr');
  } catch (error) {
    $('e-qr-error').textContent = errorText(error);
    $('e-qr-error').hidden = false;
  } finally {
    auth?.free();
    button.disabled = false;
  }
}

let watching = false;

/** Shows or hides the QR code of account `id` in the edit view. */
export function toggleQr(id, label) {
  if (!watching) {
    watching = true;
    build();
    // Leaving the edit view (Save, Cancel, Escape, lock) takes the code off the screen.
    new MutationObserver(() => { if ($('edit-view').hidden) hide(); })
      .observe($('edit-view'), { attributes: true, attributeFilter: ['hidden'] });
  }
  if ($('e-qr').hidden) return show(id, label);
  hide();
  return undefined;
}
