// Scan QR code: reads the QR codes in the visible part of the active tab. This file only wires
// the button and keeps the scanned link; the reading (scan-read.js) and the decoder (Rust in the
// second WebAssembly module) load on the first press, never when the popup opens.

const $ = (id) => document.getElementById(id);

/** The scanned otpauth:// link the add form saves, kept here and never put in the page. */
let pendingLink = null;

/** The scanned link to save instead of the Secret key field, or null. */
export function scannedLink() {
  return pendingLink;
}

/** Hides the Secret key field while a scanned key stands in for it. */
function showScannedKey(scanned) {
  $('f-secret').closest('.field').hidden = scanned;
  $('f-secret-scanned').hidden = !scanned;
}

/** Wires the Scan QR code button; `openAdd`, `openView`, `backToList` and `fillForm` are the
 * popup's. */
export function wireScan(popup) {
  const hooks = {
    ...popup,
    keepLink(link) {
      pendingLink = link;
      showScannedKey(true);
    },
  };
  const add = $('add-button');
  const button = $('scan-button');
  // Shown and enabled with Add account (hidden while locked).
  const follow = () => {
    button.hidden = add.hidden;
    button.disabled = add.disabled;
  };
  new MutationObserver(follow).observe(add, { attributes: true, attributeFilter: ['hidden', 'disabled'] });
  follow();
  button.addEventListener('click', async () => (await import('./scan-read.js')).scan(hooks));
  $('scan-cancel').addEventListener('click', () => hooks.backToList());
  $('add-view').addEventListener('reset', () => {
    pendingLink = null;
    showScannedKey(false);
  });
}
