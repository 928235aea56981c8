import { ConsumerName, COUPON_CONSUMER, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import type { PublicSnapshot, Snapshot } from '../src/snapshot/snapshot.types';

/** What the stream and /api/snapshot send: the full snapshot to an operator, the public one to anyone else. */
export type AnySnapshot = Snapshot | PublicSnapshot;

/** How the page labels each consumer (snapshots key consumers by name: `consumers['coupon-service']`). */
export const LABELS: Record<ConsumerName, string> = { [COUPON_CONSUMER.name]: 'Coupons', [RED_PACKET_CONSUMER.name]: 'Red packets' };

export const consumerNames = (s: AnySnapshot) => Object.keys(s.consumers) as ConsumerName[];

export function delay(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms >= 60_000 ? `${ms / 60_000}m` : ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`;
}
