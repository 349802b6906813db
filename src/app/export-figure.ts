/**
 * Saving a figure: its data as CSV, its panels as one SVG (self-contained: fonts and colours inline)
 * and as a PNG drawn from that SVG at twice the screen's scale for slides.
 */

export function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The panels' SVGs stacked into one standalone SVG document. */
export function combineSvgs(svgs: readonly SVGSVGElement[], title: string): { text: string; width: number; height: number } {
  const gap = 12;
  let y = 28;
  let width = 0;
  const parts: string[] = [];
  for (const svg of svgs) {
    const vb = svg.viewBox.baseVal;
    const clone = svg.cloneNode(true) as SVGSVGElement;
    clone.removeAttribute('role');
    clone.setAttribute('x', '0');
    clone.setAttribute('y', String(y));
    clone.setAttribute('width', String(vb.width));
    clone.setAttribute('height', String(vb.height));
    parts.push(new XMLSerializer().serializeToString(clone));
    y += vb.height + gap;
    width = Math.max(width, vb.width);
  }
  const esc = title.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const text = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="system-ui, sans-serif" font-size="13"><rect width="100%" height="100%" fill="#fff"/><text x="8" y="18" font-weight="700">${esc}</text>${parts.join('')}</svg>`;
  return { text, width, height: y };
}

export async function svgToPng(svg: { text: string; width: number; height: number }, scale = 2): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.text)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(svg.width * scale);
  canvas.height = Math.ceil(svg.height * scale);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no 2D canvas in this browser');
  g.scale(scale, scale);
  g.drawImage(img, 0, 0);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'));
}
