import { ConsumerName } from '@reliable-payments/contracts';
import { Ledger } from '../ledger/ledger';

export interface QueueView {
  name: string;
  depth: number | null;
  consumers?: number | null;
  delayMs?: number;
}

export interface ConsumerView {
  service: string;
  up: boolean;
  /** /health's message when not up ("database down", "unreachable", ...). */
  problem: string | null;
  state: string;
  database: string;
  unacked: number;
  retriedByLevel: Record<string, number>;
  chaos: { mode: string; latencyMs: number; healsAt: string | null } | null;
  queues: { main: QueueView; retry: QueueView[]; deadLetter: QueueView };
  deadLetters: { owed: number; discarded: number; pending: number; groups: Array<{ errorCode: string; count: number }> };
  granted: number;
}

export interface DeadLetterRowView {
  id: string;
  messageId: string | null;
  reason: string;
  errorCode: string;
  attempts: number;
  firstFailedAt: string | null;
  lastFailedAt: string | null;
  deadLetteredAt: string;
}

export interface SeriesPoint {
  at: string;
  grantsPerSecond: number;
  /** Little's law: deliveries in flight ÷ recent grant rate; null when nothing is granted meanwhile. */
  lagSeconds: number | null;
  inFlight: number;
}

/** A paced re-drive job started from the console, as the service last reported it. */
export interface RedriveJobView {
  consumer: ConsumerName;
  jobId: string;
  fingerprint: string | null;
  operator: string;
  status: 'running' | 'done' | 'cancelled' | 'failed' | 'unknown';
  ratePerSecond: number;
  total: number;
  redriven: number;
  skipped: number;
  failed: number;
}

/** The full snapshot: for signed-in operators only (`publicSnapshot` is what anyone sees). */
export interface Snapshot {
  at: string;
  signedIn: true;
  ledger: Ledger;
  /** Orders named once a settled ledger shows a loss or a duplicate. */
  named: Record<ConsumerName, { lost: string[]; duplicated: string[] }> | null;
  order: { up: boolean; problem: string | null; paid: number; created: number; outboxPending: number };
  consumers: Record<ConsumerName, ConsumerView>;
  deadLetterRows: Record<ConsumerName, DeadLetterRowView[]>;
  series: SeriesPoint[];
  load: { steady: { rate: number; running: boolean; paid: number; failed: number }; recentOrders: string[]; lastError: string | null };
  jobs: RedriveJobView[];
}

export type PublicConsumerView = Omit<ConsumerView, 'problem' | 'chaos' | 'deadLetters'> & { deadLetters: Omit<ConsumerView['deadLetters'], 'groups'> };

/** What an anonymous viewer gets: counts and states, nothing identifying (see `publicSnapshot`). */
export interface PublicSnapshot {
  at: string;
  signedIn: false;
  ledger: Ledger;
  order: Omit<Snapshot['order'], 'problem'>;
  consumers: Record<ConsumerName, PublicConsumerView>;
  series: SeriesPoint[];
  load: { steady: Snapshot['load']['steady'] };
}
