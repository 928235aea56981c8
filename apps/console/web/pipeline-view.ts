import { byId, replaceChildren, svg } from './dom';
import { AnySnapshot, consumerNames, delay, LABELS } from './labels';
import type { SeriesPoint } from '../src/snapshot/snapshot.types';

type Tone = '' | 'ok' | 'warn' | 'bad';

function box(x: number, y: number, w: number, h: number, title: string, value: string | number, sub: string, tone: Tone): SVGElement {
  return svg(
    'g',
    { class: `box ${tone}` },
    svg('rect', { x, y, width: w, height: h, rx: 6 }),
    svg('text', { x: x + 8, y: y + 16, class: 'title' }, title),
    svg('text', { x: x + 8, y: y + 36, class: 'value' }, String(value)),
    sub ? svg('text', { x: x + 8, y: y + h - 7, class: 'sub' }, sub) : null,
  );
}

const arrow = (x1: number, y1: number, x2: number, y2: number) => svg('line', { x1, y1, x2, y2, class: 'arrow', 'marker-end': 'url(#a)' });
const depthOf = (n: number | null | undefined) => (n === null || n === undefined ? '?' : n);

/** The pipeline as SVG: orders → outbox → exchange → each consumer's queue, retry levels, grants and dead letters. */
export function renderPipeline(s: AnySnapshot): void {
  const lane = 190;
  const root = svg('svg', { viewBox: `0 0 860 ${90 + 2 * lane}`, width: '100%', role: 'img', 'aria-label': 'pipeline' });
  root.appendChild(
    svg(
      'defs',
      {},
      svg(
        'marker',
        { id: 'a', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' },
        svg('path', { d: 'M0,0L10,5L0,10z', class: 'arrow-head' }),
      ),
    ),
  );
  const o = s.order;
  const orderProblem = s.signedIn ? s.order.problem : null;
  root.append(
    box(10, 10, 150, 60, 'Orders paid', o.paid, o.up ? `${o.created} created, unpaid` : `order service: ${orderProblem ?? 'down'}`, o.up ? '' : 'bad'),
    arrow(160, 40, 200, 40),
    box(200, 10, 150, 60, 'Outbox pending', o.outboxPending, 'relay → confirms', o.outboxPending > 0 ? 'warn' : ''),
    arrow(350, 40, 390, 40),
    box(390, 10, 170, 60, 'Exchange', 'payments.events', 'payment.succeeded', ''),
  );
  consumerNames(s).forEach((name, i) => {
    const c = s.consumers[name];
    const y = 90 + i * lane;
    const q = c.queues;
    root.appendChild(svg('path', { d: `M475,70 V80 H4 V${y + 30} H10`, class: 'arrow', 'marker-end': 'url(#a)' }));
    const chaos = s.signedIn ? s.consumers[name].chaos : null;
    const problem = s.signedIn ? s.consumers[name].problem : null;
    const db = chaos && chaos.mode !== 'up' ? `db ${chaos.mode} (chaos)` : `db ${c.database}`;
    root.append(
      box(12, y, 168, 60, `${LABELS[name]} queue`, depthOf(q.main.depth), `${depthOf(q.main.consumers)} consumer(s)`, (q.main.depth ?? 0) > 0 ? 'warn' : ''),
      arrow(180, y + 30, 210, y + 30),
      box(
        210,
        y,
        200,
        60,
        c.service,
        c.state,
        `${c.unacked ? `${c.unacked} held · ` : ''}${db}${problem && problem !== 'database down' ? ` · ${problem}` : ''}`,
        !c.up ? 'bad' : c.state === 'consuming' ? 'ok' : 'warn',
      ),
      arrow(410, y + 30, 440, y + 30),
      box(440, y, 150, 60, 'Grants issued', c.granted, '', 'ok'),
      arrow(590, y + 30, 620, y + 30),
      box(620, y, 110, 60, 'DLQ', depthOf(q.deadLetter.depth), 'to be stored', (q.deadLetter.depth ?? 0) > 0 ? 'warn' : ''),
      box(740, y, 110, 60, 'Dead letters', c.deadLetters.pending, `${c.deadLetters.owed} owe a grant`, c.deadLetters.pending > 0 ? 'bad' : ''),
      svg('text', { x: 10, y: y + 84, class: 'title' }, 'retry levels (failed deliveries wait here, then return to the queue)'),
    );
    const width = Math.min(120, Math.floor(840 / Math.max(q.retry.length, 1)) - 6);
    q.retry.forEach((r, j) => {
      const moved = c.retriedByLevel[String(j + 1)] ?? 0;
      root.appendChild(
        box(
          10 + j * (width + 6),
          y + 92,
          width,
          56,
          `L${j + 1} ${delay(r.delayMs)}`,
          depthOf(r.depth),
          moved ? `${moved} moved here` : '',
          (r.depth ?? 0) > 0 ? 'warn' : '',
        ),
      );
    });
  });
  replaceChildren(byId('pipeline'), root);
}

/** A small line chart of one series. */
export function chart(points: SeriesPoint[], key: 'grantsPerSecond' | 'lagSeconds', tone: string): SVGElement {
  const W = 380;
  const H = 90;
  const values = points.map((p) => p[key] ?? 0);
  const max = Math.max(...values, 1);
  const step = W / Math.max(values.length - 1, 1);
  const line = values.map((v, i) => `${(i * step).toFixed(1)},${(H - 4 - (v / max) * (H - 14)).toFixed(1)}`).join(' ');
  return svg(
    'svg',
    { width: W, height: H, role: 'img', class: 'chart' },
    svg('rect', { width: W, height: H, class: 'chart-bg' }),
    svg('polyline', { points: line, class: `chart-line ${tone}` }),
    svg('text', { x: 4, y: 12, class: 'title' }, `max ${max}`),
    svg('text', { x: W - 4, y: 12, 'text-anchor': 'end' }, `now ${values.at(-1) ?? 0}`),
  );
}
