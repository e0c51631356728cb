// Figures → flat metrics → budget verdicts and the printed table.

export const CONTENDERS = {
  wasm_codeAt: 'ours: WASM codeAt(uri, t) (public JS API)',
  wasm_bulk: 'ours: WASM Authenticator.codes() (popup bulk path)',
  otpauth: 'otpauth (npm)',
  jssha: 'jsSHA HMAC-SHA1',
  crypto_js: 'crypto-js HMAC-SHA1',
};

/** Every figure under a flat name, as budgets refer to them. */
export function flatMetrics(results) {
  const m = {};
  for (const [name, c] of Object.entries(results.codes)) m[`codes.${name}.ns`] = c.nsPerCode;
  for (const [name, ns] of Object.entries(results.native)) m[`codes.native_${name}.ns`] = ns;
  for (const [count, p] of Object.entries(results.popup)) m[`popup.${count}.ms`] = p.medianMs;
  for (const [group, s] of Object.entries(results.sizes)) {
    m[`size.${group}.raw`] = s.raw;
    if (s.gzip !== null) m[`size.${group}.gzip`] = s.gzip;
  }
  m['unlock.ms'] = results.unlock.medianMs;
  m['memory.total'] = results.memory.totalBytes;
  return m;
}

/** Value of a budget's `metric`: a metric name, or `a / b` of two. */
function evaluate(expression, metrics) {
  const parts = expression.split('/').map((p) => p.trim());
  const values = parts.map((p) => {
    if (!(p in metrics)) throw new Error(`budget metric ${JSON.stringify(p)} is not measured`);
    return metrics[p];
  });
  return values.length === 1 ? values[0] : values[0] / values[1];
}

/** `[{name, metric, value, max, pass}]` for every budget. */
export function checkBudgets(budgets, metrics) {
  return budgets.map((b) => {
    const value = evaluate(b.metric, metrics);
    return { name: b.name, metric: b.metric, value, max: b.max, pass: value <= b.max };
  });
}

const pad = (text, width) => String(text).padEnd(width);
const lpad = (text, width) => String(text).padStart(width);
const int = (n) => Math.round(n).toLocaleString('en-US');
const fixed = (n, digits) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A Markdown table (readable as plain text too). */
function table(header, rows, rightAligned) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (rightAligned[i] ? lpad(c, widths[i]) : pad(c, widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function codesTable(results) {
  const otpauth = results.codes.otpauth.nsPerCode;
  const rows = Object.entries(results.codes).map(([name, c]) => [
    CONTENDERS[name] ?? name, fixed(c.nsPerCode, 1), fixed(c.nsPerCode / otpauth, 3), c.mismatch ? 'DIFFERENT' : 'identical',
  ]);
  for (const [name, ns] of Object.entries(results.native)) {
    rows.push([`ours: native Rust, ${name} (cargo bench)`, fixed(ns, 1), fixed(ns / otpauth, 3), 'n/a']);
  }
  return table(['Code generation (SHA1, 6 digits)', 'ns/code', 'vs otpauth', 'codes'], rows, [false, true, true, false]);
}

function popupTable(results) {
  const zero = results.popup[0]?.medianMs;
  const rows = Object.entries(results.popup).map(([count, p]) => [
    `${int(Number(count))} accounts`, fixed(p.medianMs, 1), zero ? `${fixed(p.medianMs / zero, 2)}x` : '',
  ]);
  return table(['Popup: navigation start to codes visible', 'median ms', 'vs 0'], rows, [false, true, true]);
}

function sizeTable(results) {
  const rows = Object.entries(results.sizes).map(([group, s]) => [
    group, int(s.raw), s.gzip === null ? '(zip)' : int(s.gzip),
  ]);
  return table(['Size', 'raw B', 'gzip -9 B'], rows, [false, true, true]);
}

function otherTable(results) {
  const m = results.memory;
  const rows = [
    [`Unlock: Argon2id + decrypt, ${results.unlock.accounts} accounts (median ms)`, fixed(results.unlock.medianMs, 1)],
    [`Memory, ${int(m.accounts)} accounts shown: JS heap (B)`, int(m.jsHeapBytes)],
    [`Memory, ${int(m.accounts)} accounts shown: WASM memory (B)`, int(m.wasmBytes)],
    [`Memory, ${int(m.accounts)} accounts shown: total (B)`, int(m.totalBytes)],
  ];
  return table(['Unlock and memory', 'value'], rows, [false, true]);
}

function budgetTable(verdicts) {
  const show = (v) => (Math.abs(v) >= 100 ? int(v) : fixed(v, 3));
  const rows = verdicts.map((v) => [v.name, show(v.value), show(v.max), v.pass ? 'pass' : 'MISS']);
  return table(['Budget (bench/budgets.json)', 'value', 'limit', 'result'], rows, [false, true, true, false]);
}

/** The whole report as Markdown. */
export function render(results, verdicts) {
  const { machine, browser, date, node, mode, parameters } = results;
  return [
    `Machine: ${machine.cpu}, ${machine.cores} cores; ${browser}; Node ${node}; ${date}${mode === 'quick' ? ' (QUICK mode: rough figures)' : ''}.`,
    `Code generation: ${int(parameters.keys)} keys x ${int(parameters.times)} times = ${int(parameters.keys * parameters.times)} codes per contender, median of ${parameters.codeRuns}; popup: median of ${parameters.popupOpens} fresh opens.`,
    '',
    codesTable(results),
    '',
    popupTable(results),
    '',
    sizeTable(results),
    '',
    otherTable(results),
    '',
    budgetTable(verdicts),
  ].join('\n');
}
