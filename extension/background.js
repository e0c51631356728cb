// Background service worker. Holds nothing secret; it handles what must outlive the popup.
// (Auto-lock timers and clock checks arrive with the encrypted vault and the clock check.)

chrome.runtime.onInstalled.addListener(() => {
  // Nothing to migrate by hand: the WASM core reads every stored schema it knows.
});
