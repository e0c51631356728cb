// Draws a QR code the second module encoded ({side, path}: see accountQr in README "JS API") as
// an SVG built with DOM calls: a light square and one dark path, in the colours a phone camera
// expects whatever the page's theme. The link the code holds never reaches the page as text.

const SVG = 'http://www.w3.org/2000/svg';

/**
 * An `<svg>` of `drawing`, `label` as its accessible name, about `target` CSS pixels wide: a
 * whole number of pixels per module (at least 2), so that every module has the same size.
 */
export function drawQr(drawing, label, target) {
  const scale = Math.max(2, Math.floor(target / drawing.side));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${drawing.side} ${drawing.side}`);
  svg.setAttribute('width', String(drawing.side * scale));
  svg.setAttribute('height', String(drawing.side * scale));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.classList.add('qr-code');
  const light = document.createElementNS(SVG, 'rect');
  light.setAttribute('width', String(drawing.side));
  light.setAttribute('height', String(drawing.side));
  light.setAttribute('fill', '#fff');
  const dark = document.createElementNS(SVG, 'path');
  dark.setAttribute('d', drawing.path);
  dark.setAttribute('fill', '#000');
  svg.append(light, dark);
  return svg;
}
