import { send } from './api';
import { byId, dateTime, el, replaceChildren } from './dom';

interface AuditItem {
  at: string;
  source: string;
  operator: string;
  action: string;
  target: string;
  comment: string | null;
  outcome: string;
}

/** The audit trail: the services' operator actions and the console's sign-ins, newest first. */
export async function renderAudit(): Promise<void> {
  const box = byId('audit');
  try {
    const { items, errors } = await send<{ items: AuditItem[]; errors: string[] }>('GET', '/api/operator-actions?limit=50');
    const rows = items.map((i) =>
      el(
        'tr',
        { 'data-action-name': i.action, 'data-operator': i.operator },
        el('td', {}, dateTime(i.at)),
        el('td', {}, i.source),
        el('td', {}, i.operator),
        el('td', {}, i.action),
        el('td', {}, i.target),
        el('td', {}, i.comment ?? ''),
        el('td', {}, i.outcome),
      ),
    );
    replaceChildren(
      box,
      el(
        'table',
        { 'data-testid': 'audit-trail' },
        el('thead', {}, el('tr', {}, ...['when', 'where', 'operator', 'action', 'target', 'comment', 'outcome'].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...rows),
      ),
      errors.length ? el('div', { class: 'bad' }, errors.join('; ')) : null,
    );
  } catch (error) {
    replaceChildren(box, el('div', { class: 'bad' }, (error as Error).message));
  }
}
