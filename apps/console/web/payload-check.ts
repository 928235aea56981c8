import { z } from 'zod';
import { ConsumerName, CONSUMERS } from '@reliable-payments/contracts';

// zod compiles validators with `new Function` unless told not to; the page's policy has no
// 'unsafe-eval', so it would only log a violation and fall back. Say so up front.
z.config({ jitless: true });

/**
 * Checks an edited payload in the browser with the consumer's own contract (@reliable-payments/contracts, the
 * schema the service validates with), so the operator sees the contract's error before sending.
 * The service checks again and answers 400 naming the field; this only saves a round trip.
 * Returns the problems (empty: the edit may be sent) and the parsed value.
 */
export function checkEditedPayload(consumer: ConsumerName, text: string, eventId: string | null): { problems: string[]; value?: Record<string, unknown> } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [`payload: not JSON (${(error as Error).message})`] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problems: ['payload: must be a JSON object'] };
  const contract = CONSUMERS.find((c) => c.name === consumer)?.event;
  const problems: string[] = [];
  if (contract) {
    const result = contract.schema.safeParse(value);
    if (!result.success) for (const issue of result.error.issues) problems.push(`payload${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`);
  }
  const edited = value as Record<string, unknown>;
  if (eventId !== null && edited.eventId !== eventId) problems.push("payload.eventId: must stay the letter's event id (the consumers dedupe by it)");
  return { problems, value: edited };
}
