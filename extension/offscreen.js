// The clipboard when no popup is open: empties it if it still holds the code copied earlier
// ("Clear the clipboard after 30 s"). Runs in Chrome's offscreen document (offscreen.html,
// reason CLIPBOARD: a service worker has no clipboard) and, in Firefox, which has no offscreen
// documents but runs the background as a page with a DOM, in the background page itself.
// Neither has the focus navigator.clipboard needs, so both use execCommand, which the
// optional clipboardRead and clipboardWrite permissions allow without a user gesture.

/** The clipboard's text, or null when it cannot be read. */
function readClipboard() {
  const area = document.createElement('textarea');
  document.body.append(area);
  area.focus();
  const pasted = document.execCommand('paste');
  const text = area.value;
  area.remove();
  return pasted ? text : null;
}

/** Replaces the clipboard's contents with empty text. */
function emptyClipboard() {
  const onCopy = (event) => {
    event.clipboardData.setData('text/plain', '');
    event.preventDefault();
  };
  document.addEventListener('copy', onCopy);
  try {
    return document.execCommand('copy');
  } finally {
    document.removeEventListener('copy', onCopy);
  }
}

/**
 * Empties the clipboard if it holds exactly `code`; anything else the user copied since is
 * left alone. Returns what happened: 'cleared', 'changed', 'unreadable' or 'failed'.
 */
export function clearIfStill(code) {
  const text = readClipboard();
  if (text === null) return 'unreadable';
  if (text !== code) return 'changed';
  return emptyClipboard() ? 'cleared' : 'failed';
}

if (location.pathname === '/offscreen.html') {
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || message?.target !== 'offscreen'
      || message.type !== 'clear-clipboard' || typeof message.code !== 'string') return false;
    sendResponse(clearIfStill(message.code));
    return false;
  });
}
