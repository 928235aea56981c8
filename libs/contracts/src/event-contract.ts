import { z } from 'zod';

/** An event type at one version: what the broker routes on and what consumers validate against. */
export interface EventContract<T> {
  type: string;
  version: number;
  routingKey: string;
  schema: z.ZodType<T>;
  /** Business keys that log lines about this event carry (ids only, never amounts or users). */
  logFields?(event: T): Record<string, string>;
}

/** Fields every event carries, whatever its type. */
export const envelopeSchema = z.object({
  eventId: z.uuid(),
  type: z.string().min(1).max(128),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.unknown(),
});
