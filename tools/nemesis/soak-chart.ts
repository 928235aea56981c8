import type { SoakSample } from './soak-sampler';

const FIGURES = [
  ['rssMb', 'RSS (MiB)'],
  ['handles', 'active handles'],
  ['sockets', 'sockets'],
  ['dbConnections', 'database connections'],
] as const;
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The soak's chart as a standalone SVG: one panel per figure (RSS, handles, sockets, database
 * connections), one line per service instance, fault times as grey ticks along each panel's foot.
 * Pure: the same samples give the same text.
 */
export function soakChart(samples: readonly SoakSample[], faultTimes: readonly number[] = [], title = 'soak'): string {
  const width = 900;
  const panelHeight = 180;
  const left = 60;
  const right = 160;
  const top = 30;
  const services = [...new Set(samples.map((s) => s.service))].sort();
  const tMax = Math.max(1, ...samples.map((s) => s.t));
  const x = (t: number) => left + ((width - left - right) * t) / tMax;
  const parts: string[] = [];
  FIGURES.forEach(([key, label], panel) => {
    const y0 = top + panel * (panelHeight + 30);
    const values = samples.map((s) => s[key]).filter((v): v is number => typeof v === 'number');
    const vMax = Math.max(1, ...values) * 1.1;
    const y = (v: number) => y0 + panelHeight - (panelHeight * v) / vMax;
    parts.push(`<text x="${left}" y="${y0 - 6}" font-size="12">${escape(label)} (max ${Math.round(vMax / 1.1)})</text>`);
    parts.push(`<rect x="${left}" y="${y0}" width="${width - left - right}" height="${panelHeight}" fill="none" stroke="#ccc"/>`);
    for (const t of faultTimes)
      parts.push(`<line x1="${x(t).toFixed(1)}" y1="${y0 + panelHeight - 6}" x2="${x(t).toFixed(1)}" y2="${y0 + panelHeight}" stroke="#999"/>`);
    services.forEach((service, i) => {
      const points = samples
        .filter((s) => s.service === service && typeof s[key] === 'number')
        .map((s) => `${x(s.t).toFixed(1)},${y(s[key] as number).toFixed(1)}`)
        .join(' ');
      if (points) parts.push(`<polyline fill="none" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="1.2" points="${points}"/>`);
      if (panel === 0)
        parts.push(`<text x="${width - right + 10}" y="${top + 14 + i * 16}" font-size="12" fill="${COLOURS[i % COLOURS.length]}">${escape(service)}</text>`);
    });
  });
  const height = top + FIGURES.length * (panelHeight + 30) + 20;
  parts.push(`<text x="${left}" y="${height - 6}" font-size="12">seconds 0–${Math.round(tMax)}; grey ticks: faults</text>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">` +
    `<title>${escape(title)}</title>${parts.join('')}</svg>\n`
  );
}
