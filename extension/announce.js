// The popup's polite live region: one place that speaks short confirmations.

/** Announces `text` through the `role="status"` region. */
export function announce(text) {
  const status = document.getElementById('status');
  status.textContent = '';
  // A new text node in a fresh task makes screen readers announce repeats too.
  setTimeout(() => { status.textContent = text; }, 30);
}
