// Scan QR code, loaded on the first press (scan.js wires the button): captures the visible part
// of the active tab and decodes it with the second WebAssembly module
// (pkg/toolbar_authenticator_transfer.js), then does what the codes call for. The capture needs
// no permission of its own: the toolbar click grants activeTab.

import { parseUri } from './pkg/toolbar_authenticator.js';
import { errorText, plural, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

/** The transfer module's decodeQr, once loaded. */
let decodeQr = null;
/** The popup's hooks (openAdd, openView, backToList, fillForm, keepLink). */
let hooks = null;

async function decoder() {
  if (!decodeQr) {
    const transfer = await import('./pkg/toolbar_authenticator_transfer.js');
    await transfer.default();
    decodeQr = transfer.decodeQr;
    performance.mark('qr-module-loaded');
  }
  return decodeQr;
}

/**
 * The window whose visible tab is read: the toolbar popup's own (its active tab is the page the
 * button was pressed on), or, when popup.html runs in a tab (in a window of its own), the
 * window of another active tab.
 */
async function targetWindow() {
  const self = await chrome.tabs.getCurrent(); // undefined in the toolbar popup
  if (!self) return chrome.windows.WINDOW_ID_CURRENT;
  const others = await chrome.tabs.query({ active: true });
  return others.find((tab) => tab.windowId !== self.windowId)?.windowId ?? self.windowId;
}

/** The visible part of the page's tab, at its device pixels. */
async function capture() {
  const url = await chrome.tabs.captureVisibleTab(await targetWindow(), { format: 'png' });
  const bitmap = await createImageBitmap(await (await fetch(url)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

function say(text) {
  const message = $('scan-message');
  message.textContent = text ?? '';
  message.hidden = !text;
}

/** Opens the add form filled from one scanned otpauth:// link; the key stays in memory. */
function openLink(link) {
  let info;
  try {
    info = parseUri(link);
  } catch (error) {
    say(errorText(error));
    return;
  }
  hooks.openAdd($('scan-button')); // resets the form, which forgets any earlier scan
  hooks.keepLink(link);
  hooks.fillForm(info);
}

/** chrome.storage.session key of scanned transfer links on their way to the Import page. */
const HANDOVER_KEY = 'scan_handover';

/**
 * Google Authenticator transfer links go to the Import and export page's preview: through
 * session storage (memory only, extension pages only), never in a URL. An open Import page
 * takes them and comes to the front, keeping the parts it read before; else a new one opens.
 */
async function handOver(links) {
  await chrome.storage.session.set({ [HANDOVER_KEY]: { links, at: Date.now() } });
  const answer = await chrome.runtime.sendMessage({ type: 'scan-handover' }).catch(() => null);
  if (!answer?.taken) await chrome.tabs.create({ url: chrome.runtime.getURL('transfer.html#scan') });
  say(t('scanHandedOver'));
}

function open(code) {
  if (code.kind === 'otpauth-migration') handOver(code.links ?? [code.text]);
  else openLink(code.text);
}

/** Every transfer code becomes one entry: the parts of a batch go to the page together. */
function grouped(codes) {
  const links = codes.filter((c) => c.kind === 'otpauth-migration').map((c) => c.text);
  const others = codes.filter((c) => c.kind !== 'otpauth-migration');
  return links.length ? [...others, { kind: 'otpauth-migration', links }] : others;
}

/** A short list of the codes found, to pick one. */
function pick(codes) {
  const list = $('scan-list');
  list.replaceChildren();
  for (const code of codes) {
    let label = code.links?.length > 1 ? plural('scanTransferParts', code.links.length) : t('scanTransfer');
    if (code.kind === 'otpauth') {
      try {
        const info = parseUri(code.text);
        label = [info.issuer, info.account].filter(Boolean).join(': ') || t('scanUnnamed');
      } catch (error) {
        label = errorText(error);
      }
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.addEventListener('click', () => {
      hooks.backToList();
      open(code);
    });
    const item = document.createElement('li');
    item.append(button);
    list.append(item);
  }
  hooks.openView('scan-view', $('scan-button'));
  list.querySelector('button')?.focus();
}

/** Captures the page and does what its codes call for; `popup` is the popup's hooks. */
export async function scan(popup) {
  hooks = popup;
  const button = $('scan-button');
  say(null);
  button.disabled = true;
  try {
    const [image, decode] = await Promise.all([capture(), decoder()]);
    const codes = decode(image.width, image.height, image.data);
    const ours = grouped(codes.filter((c) => c.kind === 'otpauth' || c.kind === 'otpauth-migration'));
    if (ours.length === 1) open(ours[0]);
    else if (ours.length > 1) pick(ours);
    else say(t(codes.length ? 'scanNotAuthenticator' : 'scanNone'));
  } catch (error) {
    say(t('scanFailed', errorText(error)));
  } finally {
    button.disabled = false;
  }
}

