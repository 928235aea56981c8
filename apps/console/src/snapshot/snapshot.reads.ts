import type { HealthReport } from '@reliable-payments/http';
import { Ledger } from '../ledger/ledger';
import { QueueDepths } from './queue-depths';
import { ServiceClient } from '../services/service-client';
import { ConsumerView, DeadLetterRowView, QueueView, SeriesPoint } from './snapshot.types';

interface GrantSummary {
  service: string;
  granted: number;
  deadLettered: number;
  /** Absent from a service older than the discard route: 0. */
  discarded?: number;
  deadLetterGroups: Array<{ errorCode: string; count: number }>;
  queues: { main: string; retry: Array<{ queue: string; delayMs: number }>; deadLetter: string };
}

const unknownQueue = (name: string): QueueView => ({ name, depth: null });

/**
 * One consumer's view, its sources read in pipeline order: main queue, unacknowledged deliveries
 * (/health), retry levels and dead-letter queue, then grants and dead letters. A source that does
 * not answer keeps its last value and marks the view not fresh (the ledger then never settles).
 */
export async function readConsumer(client: ServiceClient, depths: QueueDepths, last?: ConsumerView): Promise<ConsumerView & { fresh: boolean }> {
  let fresh = true;
  let names = last?.queues;
  if (!names || names.main.name === '') {
    const first = await client.get<GrantSummary>('/ledger/summary').catch(() => undefined);
    if (first) names = queueViews(first);
  }
  const view: ConsumerView = last
    ? structuredClone(last)
    : {
        service: client.name,
        up: false,
        problem: 'not read yet',
        state: 'unknown',
        database: 'unknown',
        unacked: 0,
        retriedByLevel: {},
        chaos: null,
        queues: names ?? { main: unknownQueue(''), retry: [], deadLetter: unknownQueue('') },
        deadLetters: { owed: 0, discarded: 0, pending: 0, groups: [] },
        granted: 0,
      };
  if (!names) return { ...view, up: false, problem: `${client.name} unreachable`, fresh: false };
  view.queues = names;

  const main = await depths.read([names.main.name]);
  view.queues.main = { ...names.main, depth: main[names.main.name].messages, consumers: main[names.main.name].consumers };

  const health = await client.request<HealthReport>('GET', '/health', { allowStatus: [503] }).catch((error: Error) => error);
  if (health instanceof Error) {
    fresh = false;
    Object.assign(view, { up: false, problem: health.message, state: 'unreachable', database: 'unknown' });
  } else {
    const consumers = health.body.checks?.consumers ?? [];
    const own = consumers.find((c) => c.queue === names.main.name);
    if (consumers.some((c) => typeof c.inFlight !== 'number')) fresh = false; // a service without the counter cannot settle the ledger
    Object.assign(view, {
      up: health.status === 200,
      problem: health.status === 200 ? null : (health.body.message ?? `HTTP ${health.status}`),
      state: own?.state ?? 'unknown',
      database: health.body.checks?.database?.status ?? 'unknown',
      unacked: consumers.reduce((sum, c) => sum + (c.inFlight ?? 0), 0),
      retriedByLevel: own?.retriedByLevel ?? {},
    });
  }

  const rest = await depths.read([...names.retry.map((q) => q.name), names.deadLetter.name]);
  view.queues.retry = names.retry.map((q) => ({ ...q, depth: rest[q.name].messages }));
  view.queues.deadLetter = { ...names.deadLetter, depth: rest[names.deadLetter.name].messages };

  const summary = await client.get<GrantSummary>('/ledger/summary').catch(() => undefined);
  if (summary) {
    // A consumer restarted with another ladder has other retry queues: read those from the next poll on.
    const latest = queueViews(summary);
    const queueNames = (q: ConsumerView['queues']) => [q.main.name, ...q.retry.map((r) => r.name), q.deadLetter.name].join('|');
    if (queueNames(latest) !== queueNames(names)) {
      view.queues = latest;
      fresh = false;
    }
    view.granted = summary.granted;
    view.deadLetters.owed = summary.deadLettered;
    view.deadLetters.discarded = summary.discarded ?? 0;
    view.deadLetters.groups = summary.deadLetterGroups;
    view.deadLetters.pending = summary.deadLetterGroups.reduce((sum, g) => sum + g.count, 0);
  } else fresh = false;

  view.chaos = await client
    .get<{ database?: { mode: string; latencyMs: number; healsAt: string | null } }>('/chaos', true)
    .then((c) => (c.database ? { mode: c.database.mode, latencyMs: c.database.latencyMs, healsAt: c.database.healsAt } : null))
    .catch(() => null);
  return { ...view, fresh };
}

function queueViews(summary: GrantSummary): ConsumerView['queues'] {
  return {
    main: unknownQueue(summary.queues.main),
    retry: summary.queues.retry.map((q) => ({ name: q.queue, delayMs: q.delayMs, depth: null })),
    deadLetter: unknownQueue(summary.queues.deadLetter),
  };
}

/** The first page of pending dead letters, without payloads or error messages (reading needs no sign-in). */
export async function readDeadLetterRows(client: ServiceClient): Promise<DeadLetterRowView[]> {
  const list = await client.get<{ items?: Array<Record<string, unknown>> }>('/dead-letters?status=PENDING&limit=100', true).catch(() => undefined);
  return (list?.items ?? []).map((item) => ({
    id: String(item.id),
    messageId: (item.messageId as string | null) ?? null,
    reason: String(item.reason ?? ''),
    errorCode: String(item.errorCode ?? ''),
    attempts: Number(item.attempts ?? 0),
    firstFailedAt: (item.firstFailedAt as string | null) ?? null,
    lastFailedAt: (item.lastFailedAt as string | null) ?? null,
    deadLetteredAt: String(item.deadLetteredAt ?? ''),
  }));
}

/** Grants per second since the previous point, and the lag estimated from it (Little's law over ~5 points). */
export function seriesPoint(series: SeriesPoint[], ledger: Ledger, at: string): SeriesPoint & { granted: number } {
  const granted = ledger.granted.coupons + ledger.granted.redPackets;
  const previous = series.at(-1) as (SeriesPoint & { granted?: number }) | undefined;
  const seconds = previous ? (Date.parse(at) - Date.parse(previous.at)) / 1000 : 0;
  const grantsPerSecond = previous?.granted !== undefined && seconds > 0 ? Math.max(0, (granted - previous.granted) / seconds) : 0;
  const recent = [...series.slice(-4), { grantsPerSecond }];
  const rate = recent.reduce((sum, p) => sum + p.grantsPerSecond, 0) / recent.length;
  const inFlight = ledger.inFlight;
  return { at, granted, grantsPerSecond: round(grantsPerSecond), inFlight, lagSeconds: inFlight === 0 ? 0 : rate > 0 ? round(inFlight / rate) : null };
}

const round = (n: number) => Math.round(n * 10) / 10;
