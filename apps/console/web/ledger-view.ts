import { byId, time } from './dom';
import { AnySnapshot, LABELS } from './labels';

function setCell(id: string, value: number): void {
  const cell = document.querySelector(`[data-testid="${id}"]`);
  if (cell) cell.textContent = String(value);
}

/** The ledger strip: paid = granted + in flight + dead-lettered + discarded; lost and duplicated must stay 0. */
export function renderLedger(s: AnySnapshot): void {
  const l = s.ledger;
  setCell('ledger-paid', l.paid);
  setCell('ledger-granted-coupons', l.granted.coupons);
  setCell('ledger-granted-red-packets', l.granted.redPackets);
  setCell('ledger-in-flight', l.inFlight);
  setCell('ledger-dead-lettered', l.deadLettered);
  setCell('ledger-discarded', l.discarded);
  setCell('ledger-lost', l.lost);
  setCell('ledger-duplicated', l.duplicated);
  for (const [id, value] of [
    ['ledger-lost', l.lost],
    ['ledger-duplicated', l.duplicated],
  ] as const) {
    document.querySelector(`[data-testid="${id}"]`)?.parentElement?.classList.toggle('alarm', value > 0);
  }
  byId('ledger-status').textContent = !l.fresh ? 'waiting on a source (gap in flight)' : l.settled ? 'exact (quiet)' : 'moving';
  byId('ledger-at').textContent = time(l.at);
  const named = byId('named');
  const parts: string[] = [];
  if (s.signedIn && s.named) {
    for (const [name, n] of Object.entries(s.named) as Array<[keyof typeof LABELS, { lost: string[]; duplicated: string[] }]>) {
      if (n.lost.length) parts.push(`${LABELS[name]} lost: ${n.lost.join(', ')}`);
      if (n.duplicated.length) parts.push(`${LABELS[name]} duplicated: ${n.duplicated.join(', ')}`);
    }
  }
  named.textContent = parts.join(' · ');
  named.hidden = parts.length === 0;
}
