// Figures → budget verdicts and the printed table.

import { perContender, ratioOf, spread } from './rounds.mjs';
import { table as firefoxMedians } from '../firefox.mjs';

export const CONTENDERS = {
  wasm_codeAt: 'ours: WASM codeAt(uri, t) (public JS API)',
  wasm_bulk: 'ours: WASM Authenticator.codes() (popup bulk path)',
  otpauth: 'otpauth (npm)',
  jssha: 'jsSHA HMAC-SHA1',
  crypto_js: 'crypto-js HMAC-SHA1',
  native_prepared: 'ours: native Rust, prepared (cargo bench)',
  native_oneshot: 'ours: native Rust, oneshot (cargo bench)',
};

/** The line quick mode prints above its table. */
export const QUICK_NOTE = 'quick run: figures are not comparable with the full run';

/** Figures taken in interleaved rounds: `{group: rounds}`, a metric `group.name` per contender. */
const roundGroups = (results) => ({ codes: results.codes.rounds, popup: results.popup.rounds });

/** Figures measured once. */
function singles(results) {
  return {
    'load.gzip': results.load.total.gzip,
    'load.foreign_modules': results.load.foreignModules.length,
    'zip.raw': results.zip.raw,
    'unlock.ms': results.unlock.medianMs,
    'import.preview_ms': results.import.previewMs.median,
    'import.kdf_ms': results.import.kdfMs.median,
    'modules.popup_gzip': results.modules.popup.gzip,
    'modules.transfer_gzip': results.modules.transfer.gzip,
    ...(results.backup ? {
      'backup.write_ms': results.backup.median.write,
      'backup.restore_ms': results.backup.median.restore,
    } : {}),
  };
}

/** `{rounds, name}` of a figure taken in interleaved rounds (`codes.otpauth`, `popup.0`), or null. */
function roundFigure(results, metric) {
  const [group, ...rest] = metric.split('.');
  const name = rest.join('.');
  const rounds = roundGroups(results)[group];
  return rounds && rounds.length > 0 && name in rounds[0] ? { rounds, name } : null;
}

/**
 * `{value, min, max}` of a budget's `metric`: a figure, or `a / b` of two. Round figures of the
 * same group are divided round by round and the median ratio is the value.
 */
export function evaluate(expression, results) {
  const parts = expression.split(' / ').map((p) => p.trim());
  const one = singles(results);
  const unknown = parts.find((p) => !(p in one) && !roundFigure(results, p));
  if (unknown !== undefined) throw new Error(`budget metric ${JSON.stringify(unknown)} is not measured`);
  if (parts.length === 1) {
    const fig = roundFigure(results, parts[0]);
    if (!fig) return { value: one[parts[0]], min: null, max: null };
    const s = spread(fig.rounds.map((r) => r[fig.name]));
    return { value: s.median, min: s.min, max: s.max };
  }
  if (parts.length !== 2) throw new Error(`budget metric ${JSON.stringify(expression)}: one figure, or a / b`);
  const [a, b] = parts.map((p) => roundFigure(results, p));
  if (a && b && a.rounds === b.rounds) {
    const s = ratioOf(a.rounds, a.name, b.name);
    return { value: s.median, min: s.min, max: s.max };
  }
  if (a || b) throw new Error(`budget metric ${JSON.stringify(expression)}: a ratio needs two figures of the same rounds`);
  return { value: one[parts[0]] / one[parts[1]], min: null, max: null };
}

/** `[{name, metric, value, min, max, limit, pass}]` for every budget. */
export function checkBudgets(budgets, results) {
  return budgets.map((b) => {
    const { value, min, max } = evaluate(b.metric, results);
    return { name: b.name, metric: b.metric, value, min, max, limit: b.max, pass: value <= b.max };
  });
}

const pad = (text, width) => String(text).padEnd(width);
const lpad = (text, width) => String(text).padStart(width);
const int = (n) => Math.round(n).toLocaleString('en-US');
const fixed = (n, digits) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const range = (s, digits) => `${fixed(s.min, digits)}-${fixed(s.max, digits)}`;

/** A Markdown table (readable as plain text too). */
function table(header, rows, rightAligned) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (rightAligned[i] ? lpad(c, widths[i]) : pad(c, widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function codesTable(results) {
  const { contenders, rounds, wallRounds, mismatch, perRound } = results.codes;
  const wall = perContender(wallRounds);
  const rows = Object.entries(contenders).map(([name, s]) => {
    const vs = ratioOf(rounds, name, 'otpauth');
    const same = name.startsWith('native_') ? 'n/a' : mismatch[name] ? 'DIFFERENT' : 'identical';
    return [
      CONTENDERS[name] ?? name, fixed(s.median, 1), fixed(vs.median, 3), range(vs, 3),
      fixed(wall[name].median, 1), perRound[name] ? int(perRound[name]) : '?', same,
    ];
  });
  return table(
    ['Code generation (SHA1, 6 digits)', 'CPU ns/code', 'vs otpauth', 'spread', 'wall ns/code', 'codes/round', 'codes'],
    rows,
    [false, true, true, true, true, true, false],
  );
}

function popupTable(results) {
  const { pages, ratios } = results.popup;
  const rows = Object.entries(pages).map(([name, s]) => {
    if (name === 'blank') return ['blank page (first contentful paint)', fixed(s.median, 1), '', '', ''];
    const key = name === '0' ? '0 / blank' : `${name} / 0`;
    const r = ratios[key];
    return [`${int(Number(name))} accounts`, fixed(s.median, 1), name === '0' ? 'blank' : '0 accounts', `${fixed(r.median, 2)}x`, range(r, 2)];
  });
  return table(
    ['Popup: navigation start to codes visible', 'median ms', 'vs', 'ratio', 'spread'],
    rows,
    [false, true, false, true, true],
  );
}

function loadTable(results) {
  const { files, total } = results.load;
  const rows = files.map((f) => [f.path, f.beforeCodes ? 'yes' : 'no', int(f.raw), int(f.gzip)]);
  rows.push([`total (${files.length} files)`, '', int(total.raw), int(total.gzip)]);
  return table(
    ['Popup loads at open (requests seen)', 'before codes', 'raw B', 'gzip -9 B'],
    rows,
    [false, false, true, true],
  );
}

function otherTable(results) {
  const m = results.memory;
  const rows = [
    [`Unlock: Argon2id + decrypt, ${results.unlock.accounts} accounts (median ms)`, fixed(results.unlock.medianMs, 1)],
    [`Memory, ${int(m.accounts)} accounts shown: JS heap (B)`, int(m.jsHeapBytes)],
    [`Memory, ${int(m.accounts)} accounts shown: WASM memory (B)`, int(m.wasmBytes)],
    [`Memory, ${int(m.accounts)} accounts shown: total (B)`, int(m.totalBytes)],
    ['Store zip (B)', int(results.zip.raw)],
    ...(results.backup ? backupRows(results.backup) : []),
  ];
  return table(['Unlock, memory, zip', 'value'], rows, [false, true]);
}

/** Encrypted backup of 1,000 accounts (bench/lib/backup.mjs): medians, key derivation apart. */
function backupRows(b) {
  const n = int(b.accounts);
  return [
    [`Backup, ${n} accounts: key derivation of the backup password (median ms)`, fixed(b.median.kdf, 1)],
    [`Backup, ${n} accounts: file written after the password (median ms)`, fixed(b.median.write, 1)],
    [`Backup, ${n} accounts: file size (B)`, int(b.median.bytes)],
    [`Restore, ${n} accounts: Open with the password, key derivation included (median ms)`, fixed(b.median.open, 1)],
    [`Restore, ${n} accounts: preview after the password, key derivation apart (median ms)`, fixed(b.median.restore, 1)],
  ];
}

function importTable(results) {
  const { accounts, stored, kdfMs, totalMs, previewMs } = results.import;
  const { popup, transfer } = results.modules;
  const rows = [
    [`Import page: Open to preview shown, ${int(accounts)} Aegis accounts (median ms)`, fixed(totalMs.median, 1), range(totalMs, 1)],
    ['Import page: the same, one account: the file\'s own key derivation (median ms)', fixed(kdfMs.median, 1), range(kdfMs, 1)],
    [`Import page: preview without key derivation, per-round difference (median ms; ${int(stored)} stored)`, fixed(previewMs.median, 1), range(previewMs, 1)],
    ['Popup module: wasm + glue, gzip -9 (B)', int(popup.gzip), `${int(popup.raw)} raw`],
    ['Import page module: wasm + glue, gzip -9 (B)', int(transfer.gzip), `${int(transfer.raw)} raw`],
  ];
  return table(['Import and modules', 'value', 'spread'], rows, [false, true, true]);
}

function budgetTable(verdicts) {
  const show = (v) => (Math.abs(v) >= 100 ? int(v) : fixed(v, 3));
  const rows = verdicts.map((v) => [
    v.name, show(v.value), v.min === null ? '' : `${show(v.min)}-${show(v.max)}`, show(v.limit), v.pass ? 'pass' : 'MISS',
  ]);
  return table(['Budget (bench/budgets.json)', 'value', 'spread', 'limit', 'result'], rows, [false, true, true, true, false]);
}

/** Problems the tables would hide: modules that should not load, requests outside dist/. */
function warnings(results) {
  const { foreignModules, outsideRequests } = results.load;
  const lines = [];
  if (foreignModules.length > 0) lines.push(`Foreign modules before codes visible: ${foreignModules.join(', ')}.`);
  if (outsideRequests.length > 0) lines.push(`Requests outside the extension (not counted): ${outsideRequests.join(', ')}.`);
  return lines.length > 0 ? ['', ...lines] : [];
}

/** The whole report as Markdown. */
/** Popup time to codes in Firefox beside Chromium's (bench/firefox.mjs), when measured. */
function firefoxTable({ firefox }) {
  if (!firefox) return 'Firefox: not measured in this run.';
  const { opens, ...result } = firefox;
  return [
    'Firefox beside Chromium: each browser with its own profile per account count, opens interleaved across the four (bench/firefox.mjs).',
    '',
    firefoxMedians(result, opens),
  ].join('\n');
}

export function render(results) {
  const { machine, browser, date, node, mode, parameters: p, loadAverage } = results;
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
  return [
    ...(mode === 'quick' ? [QUICK_NOTE, ''] : []),
    `Machine: ${machine.cpu}, ${machine.cores} cores, load average ${load(loadAverage.start)} at start, ${load(loadAverage.end)} at end; ${browser}; Node ${node}; ${date}.`,
    `Every figure is the median of ${p.codeRounds} (codes) or ${p.popupRounds} (popup) interleaved rounds, order rotated each round (popup: the fastest of ${p.popupPasses ?? 1} open(s) per page and round); ratios are the median of the per-round ratios, spread their min-max. Codes: CPU time (wall-clock for reference), each contender's block about ${p.blockMs} ms of it (codes/round); all ${int(p.keys)} keys x ${int(p.times)} times = ${int(p.keys * p.times)} codes are checked identical.`,
    '',
    codesTable(results),
    '',
    popupTable(results),
    '',
    loadTable(results),
    '',
    otherTable(results),
    '',
    importTable(results),
    '',
    firefoxTable(results),
    '',
    budgetTable(results.budgets),
    ...warnings(results),
  ].join('\n');
}
