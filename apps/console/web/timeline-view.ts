import { send } from './api';
import { byId, el, replaceChildren, time } from './dom';

/** A row of `GET /api/orders/:id/timeline` (OrderTimelineService). */
interface TimelineEntry {
  at: string;
  service: string;
  event: string;
  detail: Record<string, unknown>;
}

/** One order's story across the three services. */
export async function showTimeline(): Promise<void> {
  const id = byId<HTMLInputElement>('order-id').value.trim();
  const list = byId('timeline');
  replaceChildren(list);
  try {
    const rows = await send<TimelineEntry[]>('GET', `/api/orders/${encodeURIComponent(id)}/timeline`);
    for (const row of rows) {
      const detail = Object.entries(row.detail ?? {})
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      list.appendChild(
        el(
          'li',
          { 'data-event': row.event },
          el('span', { class: 'muted' }, time(row.at)),
          ' ',
          el('span', { class: 'ev' }, row.event),
          ` · ${row.service} `,
          el('span', { class: 'muted' }, detail),
        ),
      );
    }
  } catch (error) {
    list.appendChild(el('li', { class: 'bad' }, (error as Error).message));
  }
}
