export class DeadLetterNotFoundError extends Error {
  readonly code = 'DEAD_LETTER_NOT_FOUND';
  constructor(id: string) {
    super(`dead letter ${id} not found`);
  }
}

export class DeadLetterAlreadyRedrivenError extends Error {
  readonly code = 'DEAD_LETTER_ALREADY_REDRIVEN';
  constructor(id: string, at: Date | null) {
    super(`dead letter ${id} was already re-driven${at ? ` at ${at.toISOString()}` : ''}`);
  }
}

/** A letter kept without its whole payload (a stub, or a body stored truncated) cannot be sent again. */
export class DeadLetterNotRedrivableError extends Error {
  readonly code = 'DEAD_LETTER_NOT_REDRIVABLE';
  constructor(id: string, why: string) {
    super(`dead letter ${id} cannot be re-driven: ${why}`);
  }
}

/** A discarded letter is closed: it is never sent again. */
export class DeadLetterDiscardedError extends Error {
  readonly code = 'DEAD_LETTER_DISCARDED';
  constructor(id: string, at: Date | null) {
    super(`dead letter ${id} was discarded${at ? ` at ${at.toISOString()}` : ''}`);
  }
}

/** Only a pending letter can be discarded. */
export class DeadLetterNotPendingError extends Error {
  readonly code = 'DEAD_LETTER_NOT_PENDING';
  constructor(id: string, status: string) {
    super(`dead letter ${id} is ${status.toLowerCase()}, not pending`);
  }
}

/**
 * Signed events are required here and this service holds no key of its own (EVENT_SIGNING_KEY_ID):
 * an edited payload would go out with a signature over the old bytes and be dead-lettered again.
 */
export class DeadLetterEditUnsignableError extends Error {
  readonly code = 'DEAD_LETTER_EDIT_UNSIGNABLE';
  constructor(id: string) {
    super(`dead letter ${id} cannot be edited and re-driven: events must be signed and this service has no EVENT_SIGNING_KEY_ID to sign the edit with`);
  }
}
