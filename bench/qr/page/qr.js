// Draws the corpus specs of bench/qr/corpus.mjs on canvases and decodes each picture with ours
// (the transfer module, as the popup's Scan QR code loads it) and with jsQR, interleaved (which
// goes first alternates), in this one page. bench/qr/run.mjs drives it with page.evaluate.

import init, { decodeQr } from './pkg/toolbar_authenticator_transfer.js';

/* global jsQR */

/** Same generator as corpus.mjs. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUIET = 4;
const WORDS = ['Sign', 'in', 'with', 'your', 'authenticator', 'app', 'Scan', 'this', 'code', 'Account',
  'security', 'Two-factor', 'authentication', 'Enter', 'the', '6-digit', 'key', 'Can\'t', 'scan', 'it?',
  'Settings', 'Privacy', 'Recovery', 'codes', 'Continue', 'Cancel', 'Help', 'Dashboard'];

/** The code at 1 pixel per module with its white quiet zone. */
function moduleCanvas(spec) {
  const side = spec.size + 2 * QUIET;
  const canvas = new OffscreenCanvas(side, side);
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(side, side);
  img.data.fill(255);
  for (let y = 0; y < spec.size; y += 1) {
    for (let x = 0; x < spec.size; x += 1) {
      if (spec.modules[y * spec.size + x] === '1') {
        const o = ((y + QUIET) * side + x + QUIET) * 4;
        img.data[o] = 0; img.data[o + 1] = 0; img.data[o + 2] = 0;
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

const colour = (r, lo, hi) => `rgb(${[0, 1, 2].map(() => Math.floor(lo + r() * (hi - lo))).join(',')})`;

/** A web page's clutter: panels, buttons, text, rules, a photo-like block, a gradient. */
function drawBusy(ctx, r, w, h) {
  const g = ctx.createLinearGradient(0, 0, w, h);
  g.addColorStop(0, colour(r, 220, 256));
  g.addColorStop(1, colour(r, 200, 256));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  for (let i = 0; i < 40; i += 1) {
    ctx.fillStyle = colour(r, r() < 0.3 ? 0 : 120, 256);
    ctx.fillRect(r() * w, r() * h, 20 + r() * 300, 10 + r() * 120);
  }
  const photo = ctx.createImageData(160 + Math.floor(r() * 200), 120 + Math.floor(r() * 150));
  for (let i = 0; i < photo.data.length; i += 4) {
    photo.data[i] = r() * 255; photo.data[i + 1] = r() * 255; photo.data[i + 2] = r() * 255;
    photo.data[i + 3] = 255;
  }
  ctx.putImageData(photo, r() * w, r() * h);
  for (let i = 0; i < 30; i += 1) {
    ctx.fillStyle = colour(r, 0, 90);
    ctx.font = `${r() < 0.3 ? 'bold ' : ''}${11 + Math.floor(r() * 16)}px sans-serif`;
    let line = '';
    for (let k = 0; k < 4 + r() * 10; k += 1) line += `${WORDS[Math.floor(r() * WORDS.length)]} `;
    ctx.fillText(line, r() * w * 0.8, r() * h);
  }
  ctx.strokeStyle = colour(r, 0, 200);
  for (let i = 0; i < 15; i += 1) {
    ctx.lineWidth = 1 + r() * 3;
    ctx.beginPath();
    ctx.moveTo(r() * w, r() * h);
    ctx.lineTo(r() * w, r() * h);
    ctx.stroke();
  }
}

/** Light modules on a dark page: every channel mapped from [0, 255] to [230, 18]. */
function invert(data) {
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c += 1) data[i + c] = 230 - (data[i + c] * 212) / 255;
  }
}

/** Gaussian noise of standard deviation `sigma`, the same on the three channels. */
function addNoise(data, sigma, r) {
  for (let i = 0; i < data.length; i += 4) {
    const n = sigma * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    for (let c = 0; c < 3; c += 1) data[i + c] += n;
  }
}

/**
 * The code centred at (cx, cy), `px` pixels wide, turned by `rad`, as browsers draw one:
 * `nearest` scales a 1-pixel-per-module bitmap without smoothing (crisp, modules of uneven
 * width); `vector` fills each module as a rectangle (an SVG or canvas code: anti-aliased edges
 * at any scale and angle); `bitmap` scales a code image made at a whole number of pixels per
 * module by the page's zoom, smoothed (an <img> on a zoomed page).
 */
function drawCode(ctx, spec, cx, cy, px, rad) {
  const side = spec.size + 2 * QUIET;
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate(rad);
  if (spec.draw === 'vector') {
    const m = px / side;
    ctx.fillStyle = '#fff';
    ctx.fillRect(-px / 2, -px / 2, px, px);
    ctx.fillStyle = '#000';
    ctx.beginPath();
    for (let y = 0; y < spec.size; y += 1) {
      for (let x = 0; x < spec.size; x += 1) {
        if (spec.modules[y * spec.size + x] === '1') {
          ctx.rect(-px / 2 + (x + QUIET) * m, -px / 2 + (y + QUIET) * m, m, m);
        }
      }
    }
    ctx.fill();
  } else if (spec.draw === 'bitmap') {
    // The site's image at a whole number of pixels per module, then the zoom factor.
    const source = Math.max(1, Math.floor(spec.ppm / 1.3));
    const image = new OffscreenCanvas(side * source, side * source);
    const ictx = image.getContext('2d');
    ictx.imageSmoothingEnabled = false;
    ictx.drawImage(moduleCanvas(spec), 0, 0, side * source, side * source);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(image, -px / 2, -px / 2, px, px);
  } else {
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(moduleCanvas(spec), -px / 2, -px / 2, px, px);
  }
  ctx.restore();
}

/** Draws one spec: {width, height, data} (RGBA, as a capture gives it). */
async function render(spec) {
  const r = rng(spec.seed);
  const px = (spec.size + 2 * QUIET) * spec.ppm;
  const rad = (spec.angle * Math.PI) / 180;
  const extent = Math.ceil(px * (Math.abs(Math.cos(rad)) + Math.abs(Math.sin(rad))));
  let width; let height; let cx; let cy;
  if (spec.busy) {
    width = Math.max(spec.pageWidth ?? 1280, extent + 40);
    height = Math.max(spec.pageHeight ?? 800, extent + 40);
    cx = extent / 2 + 20 + r() * (width - extent - 40);
    cy = extent / 2 + 20 + r() * (height - extent - 40);
  } else {
    width = extent + 24;
    height = extent + 24;
    cx = width / 2;
    cy = height / 2;
  }
  let canvas = new OffscreenCanvas(width, height);
  let ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (spec.busy) drawBusy(ctx, r, width, height);
  else { ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, width, height); }
  if (spec.size) drawCode(ctx, spec, cx, cy, px, rad);
  const image = ctx.getImageData(0, 0, width, height);
  if (spec.invert) invert(image.data);
  if (spec.noise) addNoise(image.data, spec.noise, r);
  ctx.putImageData(image, 0, 0);
  if (spec.jpeg) {
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: spec.jpeg });
    const bitmap = await createImageBitmap(blob);
    canvas = new OffscreenCanvas(width, height);
    ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0);
  }
  return ctx.getImageData(0, 0, width, height);
}

const DECODERS = {
  ours(image, text) {
    const found = decodeQr(image.width, image.height, image.data);
    return found.some((code) => code.text === text);
  },
  jsqr(image, text) {
    return jsQR(image.data, image.width, image.height)?.data === text;
  },
};

/** Decodes with one decoder: {ok, ms, error?}. */
function run(name, image, text) {
  const start = performance.now();
  try {
    const ok = DECODERS[name](image, text);
    return { ok, ms: performance.now() - start };
  } catch (error) {
    return { ok: false, ms: performance.now() - start, error: String(error) };
  }
}

/** Renders and decodes `specs`; `first` is the corpus index of specs[0] (sets the order). */
globalThis.qrDecode = async (specs, first) => {
  const out = [];
  for (const [i, spec] of specs.entries()) {
    const image = await render(spec);
    const order = (first + i) % 2 ? ['ours', 'jsqr'] : ['jsqr', 'ours'];
    const result = { width: image.width, height: image.height };
    for (const name of order) result[name] = run(name, image, spec.text);
    out.push(result);
  }
  return out;
};

/** ms per decode of a picture without any code, ours and jsQR, median of `runs`. */
globalThis.qrNoCode = async (spec, runs) => {
  const image = await render(spec);
  const times = { ours: [], jsqr: [] };
  for (let i = 0; i < runs; i += 1) {
    for (const name of i % 2 ? ['ours', 'jsqr'] : ['jsqr', 'ours']) times[name].push(run(name, image, '\u0000').ms);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { width: image.width, height: image.height, ours: median(times.ours), jsqr: median(times.jsqr) };
};

/** Renders `specs` to greyscale (BT.601 as ours), base64, for the native comparison. */
globalThis.qrLuma = async (specs) => {
  const out = [];
  for (const spec of specs) {
    const image = await render(spec);
    const luma = new Uint8Array(image.width * image.height);
    for (let i = 0; i < luma.length; i += 1) {
      const d = image.data;
      luma[i] = (77 * d[4 * i] + 150 * d[4 * i + 1] + 29 * d[4 * i + 2]) >> 8;
    }
    let binary = '';
    for (let i = 0; i < luma.length; i += 0x8000) binary += String.fromCharCode(...luma.subarray(i, i + 0x8000));
    out.push({ width: image.width, height: image.height, luma: btoa(binary) });
  }
  return out;
};

await init();
globalThis.qrReady = true;
