import type { ConsumerStatus } from '@reliable-payments/messaging';

/** The database as `/health` probes it. */
export type DatabaseCheck = { status: 'up' } | { status: 'down'; error: string };

/** The broker connection and the publisher: `blocked` while the broker refuses publishes (memory or disk alarm). */
export type BrokerCheck =
  | { status: 'up'; node?: string; inFlight: number }
  | { status: 'blocked'; node?: string; reason: string; inFlight: number }
  | { status: 'down'; error: string };

export interface HealthChecks {
  database: DatabaseCheck;
  broker: BrokerCheck;
  consumers: ConsumerStatus[];
}

/**
 * What `GET /health` answers: `status` with 200 ('degraded', with a `message`, while the broker
 * blocks publishing); `statusCode` 503 and a `message` naming what is down otherwise. `Details`
 * is what the service's `HealthContributor` adds to `checks` (the outbox backlog, dead-letter counts).
 */
export interface HealthReport<Details extends object = Record<string, unknown>> {
  status?: 'ok' | 'degraded';
  statusCode?: 503;
  error?: string;
  message?: string;
  checks: HealthChecks & Details;
}
