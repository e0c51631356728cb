// The account list: one row per account, built with DOM methods and textContent only.
// Rows are created once per render; each tick only touches the text that changed.

import { plural, t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const ENDING_SECONDS = 5;

/** Words every row shows alike, looked up once per page (each chrome.i18n call costs ~7 µs,
 * a plural form three times that; a popup builds 30 rows before its first paint). */
const sameForEveryRow = new Map();

function shared(key, words) {
  if (!sameForEveryRow.has(key)) sameForEveryRow.set(key, words());
  return sameForEveryRow.get(key);
}

/** "Issuer name" as read aloud and shown in confirmations. */
export function labelOf(account) {
  return [account.issuer, account.account].filter(Boolean).join(' ');
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The countdown: one image with a stable name; its seconds are never read out. */
function ring(period) {
  const wrapper = element('span', 'ring');
  wrapper.setAttribute('role', 'img');
  wrapper.setAttribute('aria-label', shared(`countdown ${period}`, () => plural('countdownLabel', period)));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 28 28');
  svg.setAttribute('aria-hidden', 'true');
  for (const name of ['track', 'arc']) {
    const circle = document.createElementNS(SVG, 'circle');
    circle.setAttribute('class', name);
    circle.setAttribute('cx', '14');
    circle.setAttribute('cy', '14');
    circle.setAttribute('r', '11');
    svg.append(circle);
  }
  const seconds = element('span', 'seconds');
  seconds.setAttribute('aria-hidden', 'true');
  wrapper.append(svg, seconds);
  return { wrapper, seconds };
}

/**
 * Rows built before the first paint: more than the list can show, so every visible code is
 * there. The list is at most 460px tall (popup.css) and a row about 64px (its
 * `contain-intrinsic-size`); 12 rows fill it even at 40px each. Every row more is style and
 * layout in that first frame (30 rows cost 6 ms more than 10 in it, bench page).
 */
const FIRST_ROWS = 12;
/** Rows built per later slice, so a long list never blocks input for long. */
const ROWS_PER_SLICE = 150;

/** One line of `Authenticator.codes()`: `code \t display \t msLeft`. */
function parseCodeLine(line) {
  if (line === undefined) return null;
  const [code, display, msLeft] = line.split('\t');
  return { code, display, msLeft: msLeft ? Number(msLeft) : null };
}

export class AccountList {
  /**
   * @param {HTMLUListElement} root
   * @param {{copy(id: string): void, edit(id: string): void, remove(id: string): void, next(id: string): void}} actions
   */
  constructor(root, actions) {
    this.root = root;
    this.rows = new Map();
    this.order = [];
    this.accounts = [];
    this.codeLines = [];
    this.pending = 0;
    /** Whether #afterFirstPaint has scheduled its work (the class `painted` comes later). */
    this.firstPaintScheduled = false;
    root.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action]');
      const row = button?.closest('li[data-id]');
      if (button && row) actions[button.dataset.action](row.dataset.id);
    });
    root.addEventListener('keydown', (event) => this.#arrowKeys(event));
  }

  /**
   * Rebuilds the list from `accounts` and the text of `codes()` (same order). The first rows
   * are built at once; the rest follow in slices after the first paint.
   */
  render(accounts, codes) {
    const focusedId = document.activeElement?.closest?.('li[data-id]')?.dataset.id;
    const focusedAction = document.activeElement?.dataset?.action;
    clearTimeout(this.pending);
    this.rows.clear();
    this.order = accounts.map((account) => account.id);
    this.accounts = accounts;
    this.codeLines = codes ? codes.split('\n') : [];
    this.root.replaceChildren();
    this.root.classList.toggle('settling', !this.firstPaintScheduled && accounts.length > FIRST_ROWS);
    this.#build(0, Math.min(FIRST_ROWS, accounts.length));
    this.#afterFirstPaint();
    if (focusedId && focusedAction) {
      this.#finish();
      this.rows.get(focusedId)?.li.querySelector(`[data-action="${focusedAction}"]`)?.focus();
    }
  }

  /**
   * Work the first paint of the codes does not need waits for the frame after it: the list
   * gets the class `painted`, and with it (popup.css)
   * - the countdown rings' CSS animation: until then each ring stands still where its
   *   animation will start. Starting a dozen animations in that frame cost 9 ms at the
   *   `codes-visible` mark of a 100-account open (A/B of interleaved opens);
   * - scrolling, for a list longer than its first rows (`settling`): it clips until then. A
   *   scrolling list is a layer of its own, whose tiles the compositor set up for 15 ms
   *   before the codes could be shown (Chromium trace, 100 accounts); clipped, the codes are
   *   drawn on the page's own. Its scrollbar's gutter is kept meanwhile, so nothing moves.
   */
  #afterFirstPaint() {
    if (this.firstPaintScheduled) return;
    this.firstPaintScheduled = true;
    requestAnimationFrame(() => setTimeout(() => {
      this.root.classList.add('painted');
      this.root.classList.remove('settling');
    }, 0));
  }

  /** Builds rows `from` to `to` now and schedules the next slice. */
  #build(from, to) {
    this.#append(from, to);
    if (to < this.accounts.length) {
      this.pending = setTimeout(
        () => this.#build(to, Math.min(to + ROWS_PER_SLICE, this.accounts.length)),
        0,
      );
    }
  }

  /** Builds every remaining row now (before filtering or moving focus through the list). */
  #finish() {
    clearTimeout(this.pending);
    this.#append(this.rows.size, this.accounts.length);
  }

  #append(from, to) {
    const fragment = document.createDocumentFragment();
    for (let index = from; index < to; index += 1) {
      const account = this.accounts[index];
      const row = this.#row(account, parseCodeLine(this.codeLines[index]));
      this.rows.set(account.id, row);
      fragment.append(row.li);
    }
    this.root.append(fragment);
  }

  #row(account, code) {
    const label = labelOf(account);
    const li = element('li', 'account');
    li.dataset.id = account.id;
    const labels = element('div', 'labels');
    labels.append(element('span', 'issuer', account.issuer), element('span', 'name', account.account));
    const codeButton = element('button', 'code');
    codeButton.type = 'button';
    // When the code is first on screen (Element Timing, Chromium): what the bench measures.
    codeButton.setAttribute('elementtiming', 'code');
    codeButton.dataset.action = 'copy';
    const actions = element('div', 'row-actions');
    if (account.type === 'hotp') {
      actions.append(this.#button('next', shared('nextCode', () => t('nextCode')), t('nextCodeFor', label)));
    }
    actions.append(
      this.#button('edit', shared('edit', () => t('edit')), t('editAccount', label)),
      this.#button('remove', shared('delete', () => t('delete')), t('deleteAccount', label)),
    );
    li.append(labels, codeButton);
    const row = { li, codeButton, account, label, code: '', seconds: null, ending: false };
    if (account.period) {
      const { wrapper, seconds } = ring(account.period);
      wrapper.style.setProperty('--period', `${account.period}s`);
      li.append(wrapper);
      row.seconds = seconds;
      row.ringWrapper = wrapper;
    }
    li.append(actions);
    this.#show(row, code, true);
    return row;
  }

  #button(action, text, name) {
    const button = element('button', action, text);
    button.type = 'button';
    button.dataset.action = action;
    button.setAttribute('aria-label', name);
    return button;
  }

  /** Applies the text of a fresh `codes()` call (same order as the last render). */
  update(codes) {
    this.codeLines = codes ? codes.split('\n') : [];
    this.order.forEach((id, index) => {
      const row = this.rows.get(id);
      if (row) this.#show(row, parseCodeLine(this.codeLines[index]), false);
    });
  }

  #show(row, code, fresh) {
    if (!code) return;
    if (row.code !== code.code) {
      row.code = code.code;
      row.codeButton.textContent = code.display;
      // What, for whom, and the code shown (label in name).
      row.codeButton.setAttribute('aria-label', t('copyCodeFor', row.label, code.display));
    }
    if (row.seconds && code.msLeft != null) {
      const secondsLeft = Math.ceil(code.msLeft / 1000);
      const text = String(secondsLeft);
      if (row.seconds.textContent !== text) row.seconds.textContent = text;
      const ending = secondsLeft <= ENDING_SECONDS;
      if (ending !== row.ending) {
        row.ending = ending;
        row.li.classList.toggle('ending', ending);
      }
      if (fresh) {
        const period = row.account.period * 1000;
        const elapsed = period - code.msLeft;
        row.ringWrapper.style.setProperty('--delay', `${-elapsed}ms`);
        row.ringWrapper.style.setProperty('--progress', String(elapsed / period));
      }
    }
  }

  /** The code of account `id` as last shown (ungrouped). */
  codeOf(id) {
    return this.rows.get(id)?.code ?? '';
  }

  /** Shows only the accounts whose ids are in `visible` (`null`: all); returns how many. */
  filter(visible) {
    if (visible !== null) this.#finish();
    let shown = 0;
    if (visible === null) {
      for (const row of this.rows.values()) row.li.hidden = false;
      return this.accounts.length;
    }
    for (const [id, row] of this.rows) {
      const show = visible.has(id);
      row.li.hidden = !show;
      if (show) shown += 1;
    }
    return shown;
  }

  /** Id of the first account shown, if any. */
  firstVisible() {
    this.#finish();
    return this.order.find((id) => !this.rows.get(id).li.hidden);
  }

  /** Moves focus to the code button of `id`. */
  focus(id) {
    this.#finish();
    const row = this.rows.get(id);
    row?.codeButton.focus();
    row?.li.scrollIntoView({ block: 'nearest' });
  }

  /** Account `id`'s `action` button (copy, edit, remove, next), or null. */
  button(id, action) {
    this.#finish();
    return this.rows.get(id)?.li.querySelector(`[data-action="${action}"]`) ?? null;
  }

  /** Flashes a row's code to show it was copied. */
  flash(id) {
    const button = this.rows.get(id)?.codeButton;
    if (!button) return;
    button.classList.add('copied');
    setTimeout(() => button.classList.remove('copied'), 900);
  }

  #arrowKeys(event) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    this.#finish();
    const current = event.target.closest('li[data-id]')?.dataset.id;
    const visible = this.order.filter((id) => !this.rows.get(id).li.hidden);
    const index = visible.indexOf(current);
    const nextIndex = event.key === 'ArrowDown' ? index + 1 : index - 1;
    if (nextIndex < 0) {
      event.preventDefault();
      document.getElementById('search')?.focus();
    } else if (nextIndex < visible.length) {
      event.preventDefault();
      this.focus(visible[nextIndex]);
    }
  }
}
