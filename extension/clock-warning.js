// The clock warning at the top of the popup, with "Use corrected time". Loaded by clock.js only
// when the clock is off. WASM decides whether codes may follow the measured offset (https:// or
// the fallback source only, 10 minutes at most unless confirmed, the site agreed to); this
// file renders the state it returns. DOM APIs and textContent only.

import { setClockCorrection } from './pkg/toolbar_authenticator.js';
import { plural, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

let result = null;
/** The offset shown needs the user to confirm it before codes follow it. */
let confirming = false;
let applyOffset = () => {};

/**
 * Shows the warning for `report` (a `checkClock` result whose severity is not `none`).
 * @param {(offsetMs: number) => void} onOffset called with the offset codes should follow.
 */
export function showClockWarning(report, onOffset) {
  result = report;
  applyOffset = onOffset;
  showWarning();
}

/** "2 minutes 13 seconds" from the verdict's parts, in the language's plural forms. */
export function amountText({ hours, minutes, seconds }) {
  const parts = [];
  for (const [count, unit] of [[hours, 'hours'], [minutes, 'minutes'], [seconds, 'seconds']]) {
    if (count > 0) parts.push(plural(unit, count));
  }
  return parts.join(' ') || plural('seconds', 0);
}

/** A paragraph of plain text. */
export function paragraph(text, className) {
  const p = document.createElement('p');
  if (className) p.className = className;
  p.textContent = text;
  return p;
}

function button(id, text, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.id = id;
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

/** Turns "Use corrected time" on or off (the core checks and stores the choice), then shows
 * the warning again with the focus where it was. */
async function correct(on, confirmed, focusId) {
  confirming = false;
  try {
    result = await setClockCorrection(on, confirmed);
  } catch {
    // Refused (e.g. a confirmation is needed): the warning shows the state as it is.
  }
  showWarning();
  $(focusId)?.focus();
}

function showWarning() {
  const banner = $('clock-warning');
  applyOffset(result.appliedOffsetMs);
  const state = result.correction;
  const corrected = state === 'on';
  const amount = amountText(result);
  const where = t(result.direction === 'behind' ? 'clockBehind' : 'clockAhead', amount, result.source);
  const consequence = corrected
    ? t('clockCorrected')
    : t(result.severity === 'critical' ? 'clockWillReject' : 'clockMayReject');
  const lines = [paragraph(`${where} ${consequence}`, 'clock-headline')];
  if (result.timeZoneSuspected) lines.push(paragraph(t('clockTimeZone')));
  lines.push(paragraph(t('clockFix')));
  if (state === 'untrusted') {
    lines.push(paragraph(t('clockUntrusted'), 'hint'));
  } else if (confirming) {
    const actions = document.createElement('div');
    actions.className = 'actions';
    actions.append(
      button('clock-confirm', t('clockConfirmButton', amount), () => correct(true, true, 'clock-correct')),
      button('clock-confirm-cancel', t('cancel'), () => {
        confirming = false;
        showWarning();
        $('clock-correct')?.focus();
      }),
    );
    lines.push(paragraph(t('clockConfirm', amount, result.source), 'warning'), actions);
  } else {
    const toggle = button('clock-correct', t('clockUseCorrected'), () => {
      if (!corrected && result.needsConfirmation) {
        confirming = true;
        showWarning();
        $('clock-confirm')?.focus();
      } else {
        correct(!corrected, false, 'clock-correct');
      }
    });
    toggle.className = 'toggle';
    toggle.setAttribute('aria-pressed', String(corrected));
    lines.push(toggle);
  }
  banner.replaceChildren(...lines);
  // Corrected codes will be accepted, so the strong style is for an uncorrected clock only.
  banner.classList.toggle('critical', result.severity === 'critical' && !corrected);
  banner.hidden = false;
}
