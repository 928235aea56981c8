/**
 * The console page's script (bundled to /assets/console.js at build time): renders each snapshot
 * from the event stream, draws the pipeline and charts as SVG, runs the dead-letters view, and
 * sends actions as same-origin JSON. It never sees an operator token: the session cookie is
 * HttpOnly and sign-in is a plain form post. Markup is built only with `el`/`svg` (dom.ts).
 */
import { send } from './api';
import { renderAudit } from './audit-view';
import { renderChaos } from './chaos-view';
import { DeadLettersView } from './dead-letters-view';
import { byId, el, replaceChildren } from './dom';
import { AnySnapshot, LABELS } from './labels';
import { renderLedger } from './ledger-view';
import { chart, renderPipeline } from './pipeline-view';
import { showTimeline } from './timeline-view';
import type { ConsumerName } from '@reliable-payments/contracts';

const signedIn = document.body.dataset.signedIn === 'true';
let last: AnySnapshot | null = null;

function say(text: string, bad = false): void {
  const status = byId('action-result');
  status.textContent = text;
  status.className = bad ? 'bad' : 'muted';
  const view = document.getElementById('dead-letters-status');
  if (view) {
    view.textContent = text;
    view.className = bad ? 'bad' : 'muted';
  }
}

const deadLetters = new DeadLettersView(signedIn, say, () => void (signedIn ? renderAudit() : undefined));

function render(s: AnySnapshot): void {
  last = s;
  renderLedger(s);
  renderPipeline(s);
  renderChaos(s);
  deadLetters.render(s);
  replaceChildren(byId('chart-rate'), chart(s.series, 'grantsPerSecond', 'rate'));
  replaceChildren(byId('chart-lag'), chart(s.series, 'lagSeconds', 'lag'));
  const st = s.load.steady;
  byId('steady-state').textContent = st.running
    ? `running at ${st.rate}/s · ${st.paid} paid${st.failed ? `, ${st.failed} failed` : ''}`
    : st.paid
      ? `stopped · ${st.paid} paid`
      : '';
  const recent = s.signedIn ? s.load.recentOrders.slice(0, 8) : [];
  replaceChildren(
    byId('recent-orders'),
    ...recent.flatMap((id) => [el('a', { href: '#', 'data-order': id }, id.slice(0, 8)), ' ']),
    s.signedIn ? null : el('span', { class: 'muted' }, 'sign in to see them'),
  );
}

async function act<T>(method: string, url: string, body: unknown, describe: (answer: T) => string): Promise<void> {
  if (!signedIn) return say('Sign in with an operator token first.', true);
  say('…');
  try {
    say(describe(await send<T>(method, url, body)));
    void renderAudit();
  } catch (error) {
    say((error as Error).message, true);
  }
}

interface Redriven {
  redriven: number;
  skipped: number;
  failed: number;
  errors?: string[];
}
const redriven = (r: Redriven) =>
  `re-driven ${r.redriven}${r.skipped ? `, skipped ${r.skipped}` : ''}${r.failed ? `, failed ${r.failed}: ${(r.errors ?? []).join('; ')}` : ''}`;

document.addEventListener('click', (event) => {
  const target = (event.target as Element | null)?.closest<HTMLElement>('[data-action],[data-order]');
  if (!target) return;
  if (target.dataset.order !== undefined) {
    event.preventDefault();
    byId<HTMLInputElement>('order-id').value = target.dataset.order;
    void showTimeline();
    return;
  }
  const action = target.dataset.action ?? '';
  if (!signedIn && action !== 'audit-refresh') return say('Sign in with an operator token first.', true);
  if (deadLetters.handle(action, target)) return;
  const row = target.closest<HTMLElement>('[data-consumer]');
  const consumer = (row?.dataset.consumer ?? '') as ConsumerName;
  const input = (role: string) => Number(row?.querySelector<HTMLInputElement>(`[data-role=${role}]`)?.value ?? 0);
  switch (action) {
    case 'pay-one':
      return void act<{ orderIds: string[] }>('POST', '/api/actions/pay', { count: 1 }, (j) => `paid ${j.orderIds[0]}`);
    case 'burst':
      return void act<{ paid: number; failed: number; error?: string }>(
        'POST',
        '/api/actions/pay',
        { count: Number(byId<HTMLInputElement>('burst-n').value) },
        (j) => `paid ${j.paid}${j.failed ? `, ${j.failed} failed: ${j.error}` : ''}`,
      );
    case 'steady-start':
      return void act<{ rate: number }>(
        'POST',
        '/api/actions/steady',
        { rate: Number(byId<HTMLInputElement>('steady-rate').value) },
        (j) => `steady ${j.rate}/s started`,
      );
    case 'steady-stop':
      return void act<{ paid: number }>('DELETE', '/api/actions/steady', undefined, (j) => `steady stopped after ${j.paid} orders`);
    case 'chaos': {
      const mode = row?.querySelector<HTMLSelectElement>('[data-role=mode]')?.value ?? 'down';
      const body: Record<string, unknown> = { mode };
      if (mode === 'slow') body.latencyMs = input('latency');
      if (input('duration') > 0) body.durationSeconds = input('duration');
      return void act('POST', `/api/actions/chaos/${consumer}`, body, () => `${LABELS[consumer]} database: ${mode}`);
    }
    case 'heal':
      return void act('DELETE', `/api/actions/chaos/${consumer}`, undefined, () => `${LABELS[consumer]} database healed`);
    case 'redrive-one':
      return void act<Redriven>('POST', `/api/actions/redrive/${consumer}`, { ids: [target.dataset.id] }, redriven);
    case 'audit-refresh':
      return void renderAudit();
  }
});

byId('timeline-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void showTimeline();
});

if (!signedIn) document.querySelectorAll<HTMLElement>('[data-action]').forEach((button) => (button.title = 'sign in first'));
else void renderAudit();
const source = new EventSource('/api/stream');
source.addEventListener('snapshot', (event) => render(JSON.parse((event as MessageEvent<string>).data) as AnySnapshot));
void send<AnySnapshot>('GET', '/api/snapshot').then((s) => {
  if (s.ledger && !last) render(s);
});
