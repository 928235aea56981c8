/** One line of the concurrency curve: a label and (clients, value) points. */
export interface Curve {
  label: string;
  color: string;
  points: Array<{ clients: number; ordersPerSecond: number; p99: number }>;
}

/**
 * An SVG of throughput (left panel) and p99 create+pay latency (right panel, log scale) against
 * concurrent clients (log scale), one line per curve. Plain SVG, no charting dependency, as chart.ts.
 */
export function renderCurves(title: string, curves: Curve[]): string {
  const width = 900;
  const panelW = 380;
  const panelH = 260;
  const top = 50;
  const clients = [...new Set(curves.flatMap((c) => c.points.map((p) => p.clients)))].sort((a, b) => a - b);
  const lx = (c: number, left: number) =>
    left + (panelW * (Math.log2(c) - Math.log2(clients[0]))) / Math.max(1, Math.log2(clients[clients.length - 1]) - Math.log2(clients[0]));
  const rateMax = Math.max(1, ...curves.flatMap((c) => c.points.map((p) => p.ordersPerSecond)));
  const latMax = Math.max(2, ...curves.flatMap((c) => c.points.map((p) => p.p99)));
  const yRate = (v: number) => top + panelH - (panelH * v) / rateMax;
  const yLat = (v: number) => top + panelH - (panelH * Math.log10(Math.max(1, v))) / Math.log10(latMax);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top + panelH + 80}" font-family="sans-serif" font-size="11">`,
    '<rect width="100%" height="100%" fill="white"/>',
  ];
  parts.push(`<text x="60" y="18" font-size="13">${escape(title)}</text>`);
  const panels = [
    { left: 60, label: `end-to-end orders/s (max ${Math.round(rateMax)})`, y: yRate, value: (p: Curve['points'][number]) => p.ordersPerSecond },
    { left: 500, label: `p99 create + pay ms, log scale (max ${Math.round(latMax)})`, y: yLat, value: (p: Curve['points'][number]) => p.p99 },
  ];
  for (const panel of panels) {
    parts.push(`<text x="${panel.left}" y="${top - 8}">${escape(panel.label)}</text>`);
    parts.push(
      `<line x1="${panel.left}" y1="${top + panelH}" x2="${panel.left + panelW}" y2="${top + panelH}" stroke="#999"/><line x1="${panel.left}" y1="${top}" x2="${panel.left}" y2="${top + panelH}" stroke="#999"/>`,
    );
    for (const c of clients) parts.push(`<text x="${lx(c, panel.left) - 6}" y="${top + panelH + 16}">${c}</text>`);
    parts.push(`<text x="${panel.left + panelW / 2 - 40}" y="${top + panelH + 32}">concurrent clients</text>`);
    for (const curve of curves) {
      const pts = curve.points.map((p) => `${lx(p.clients, panel.left).toFixed(1)},${panel.y(panel.value(p)).toFixed(1)}`);
      parts.push(`<polyline fill="none" stroke="${curve.color}" stroke-width="2" points="${pts.join(' ')}"/>`);
      for (const p of curve.points)
        parts.push(
          `<circle cx="${lx(p.clients, panel.left).toFixed(1)}" cy="${panel.y(panel.value(p)).toFixed(1)}" r="3" fill="${curve.color}"><title>${Math.round(panel.value(p))}</title></circle>`,
        );
    }
  }
  curves.forEach((curve, i) =>
    parts.push(
      `<rect x="${60 + i * 260}" y="${top + panelH + 48}" width="12" height="12" fill="${curve.color}"/><text x="${78 + i * 260}" y="${top + panelH + 58}">${escape(curve.label)}</text>`,
    ),
  );
  parts.push('</svg>');
  return parts.join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
