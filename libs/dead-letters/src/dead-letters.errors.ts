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
