import { byId, el, time } from './dom';
import { AnySnapshot, consumerNames, LABELS } from './labels';

function stateText(s: AnySnapshot, name: keyof typeof LABELS): { text: string; tone: string } {
  if (!s.signedIn) return { text: 'sign in to see', tone: 'muted' };
  const chaos = s.consumers[name].chaos;
  if (!chaos) return { text: 'chaos off', tone: 'muted' };
  if (chaos.mode === 'up') return { text: 'healthy', tone: 'ok' };
  return { text: `${chaos.mode}${chaos.healsAt ? ` until ${time(chaos.healsAt)}` : ' until healed'}`, tone: 'bad' };
}

/** One row per consumer database: its chaos state, and the controls to break and heal it (built once, then updated). */
export function renderChaos(s: AnySnapshot): void {
  const rows = byId('chaos-rows');
  if (rows.dataset.built !== 'yes') {
    for (const name of consumerNames(s)) {
      rows.appendChild(
        el(
          'div',
          { class: 'row', 'data-consumer': name },
          el('b', {}, `${LABELS[name]} database`),
          ' ',
          el('span', { 'data-role': 'state' }),
          el('br'),
          el('select', { 'data-role': 'mode' }, el('option', {}, 'down'), el('option', {}, 'hang'), el('option', {}, 'slow')),
          el('label', {}, ' slow by ', el('input', { 'data-role': 'latency', type: 'number', min: 0, max: 60000, value: 500 }), 'ms'),
          el('label', {}, ' for ', el('input', { 'data-role': 'duration', type: 'number', min: 0, max: 86400, value: 0 }), 's (0 = until healed) '),
          el('button', { 'data-action': 'chaos', 'data-testid': `chaos-${name}` }, 'Break'),
          el('button', { 'data-action': 'heal', 'data-testid': `heal-${name}` }, 'Heal'),
        ),
      );
    }
    rows.dataset.built = 'yes';
  }
  for (const name of consumerNames(s)) {
    const span = rows.querySelector(`[data-consumer="${name}"] [data-role=state]`);
    if (!span) continue;
    const { text, tone } = stateText(s, name);
    span.textContent = text;
    span.className = tone;
  }
}
