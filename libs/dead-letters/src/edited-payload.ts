import { EventContract } from '@reliable-payments/contracts';

/** Why an operator's edited payload cannot be sent; nothing was changed. */
export class DeadLetterEditInvalidError extends Error {
  readonly code = 'DEAD_LETTER_EDIT_INVALID';
}

/**
 * Checks an edited payload against the consumer's own event contract, as the consumer will, so a
 * bad edit is a 400 naming the field now rather than a new poison letter later. The event id must
 * stay the message id: the consumer treats a mismatch as poison, and the inbox dedupes by it (the
 * order is granted once whichever copy arrives).
 */
export function validateEditedPayload(contract: EventContract<unknown>, payload: unknown, messageId: string | null): Buffer {
  const result = contract.schema.safeParse(payload);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `payload${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`);
    throw new DeadLetterEditInvalidError(problems.join('; '));
  }
  const eventId = (payload as { eventId?: unknown }).eventId;
  if (messageId === null || eventId !== messageId)
    throw new DeadLetterEditInvalidError(`payload.eventId: must stay the letter's message id (${messageId ?? 'none'})`);
  return Buffer.from(JSON.stringify(payload), 'utf8');
}
