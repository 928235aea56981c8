import { Latency, Sample } from './grant-timeline';

/**
 * An SVG of the run: grants per second (top) and pay → both-grants latency (bottom) over time,
 * with the coupon-database outage shaded. Plain SVG, no charting dependency.
 */
export function renderChart(samples: Sample[], latencies: Latency[], outage: { from: number; to: number }): string {
  const width = 900;
  const panel = 220;
  const left = 60;
  const right = 20;
  const tMax = Math.max(1, ...samples.map((s) => s.t), ...latencies.map((l) => l.t));
  const x = (t: number) => left + ((width - left - right) * t) / tMax;

  const rates: Array<{ t: number; rate: number }> = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = samples[i].t - samples[i - 1].t;
    if (dt > 0) rates.push({ t: samples[i].t, rate: Math.max(0, (samples[i].grants - samples[i - 1].grants) / dt) });
  }
  const rateMax = Math.max(1, ...rates.map((r) => r.rate));
  const latMax = Math.max(1, ...latencies.map((l) => l.ms));
  const y1 = (v: number) => 30 + panel - (panel * v) / rateMax;
  const y2 = (v: number) => 30 + panel + 60 + panel - (panel * Math.log10(1 + v)) / Math.log10(1 + latMax);

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${2 * panel + 120}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  parts.push(`<rect x="${x(outage.from)}" y="20" width="${Math.max(1, x(outage.to) - x(outage.from))}" height="${2 * panel + 80}" fill="#fbe3e3"/>`);
  parts.push(`<text x="${x(outage.from) + 4}" y="16" fill="#b00">coupon database down</text>`);
  parts.push(`<text x="${left}" y="26">grants committed per second (coupons + red packets), max ${Math.round(rateMax)}</text>`);
  parts.push(
    `<polyline fill="none" stroke="#2060c0" stroke-width="1.5" points="${rates.map((r) => `${x(r.t).toFixed(1)},${y1(r.rate).toFixed(1)}`).join(' ')}"/>`,
  );
  parts.push(`<line x1="${left}" y1="${30 + panel}" x2="${width - right}" y2="${30 + panel}" stroke="#999"/>`);
  const top2 = 30 + panel + 60;
  parts.push(`<text x="${left}" y="${top2 - 4}">pay response → both grants committed, ms (log scale, max ${Math.round(latMax)})</text>`);
  for (const l of latencies) parts.push(`<circle cx="${x(l.t).toFixed(1)}" cy="${y2(l.ms).toFixed(1)}" r="1.2" fill="#c06020"/>`);
  parts.push(`<line x1="${left}" y1="${top2 + panel}" x2="${width - right}" y2="${top2 + panel}" stroke="#999"/>`);
  for (const ms of [10, 100, 1000, 10000].filter((v) => v <= latMax)) {
    parts.push(`<text x="4" y="${y2(ms) + 4}">${ms} ms</text><line x1="${left}" y1="${y2(ms)}" x2="${width - right}" y2="${y2(ms)}" stroke="#eee"/>`);
  }
  for (let t = 0; t <= tMax; t += Math.max(1, Math.round(tMax / 10))) {
    parts.push(`<text x="${x(t) - 6}" y="${2 * panel + 110}">${t}s</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
