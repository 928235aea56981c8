import { SetMetadata } from '@nestjs/common';
import { EventContract } from '@app/contracts';

export const CONSUME_METADATA = Symbol('CONSUME_METADATA');

export type ConsumeMetadata =
  | { kind: 'event'; contract: EventContract<unknown>; consumer: string }
  | { kind: 'dead-letters'; consumer: string };

/**
 * Marks a provider method as the handler of `contract` for the consumer named `consumer` in
 * `MessagingModule` options. Return to ack; throw a TransientError or PermanentError (or anything
 * else, counted as transient) to let the library retry or dead-letter. Return `'duplicate'` when
 * the message had already been processed.
 */
export const ConsumeEvent = <T>(contract: EventContract<T>, options: { consumer: string }) =>
  SetMetadata(CONSUME_METADATA, { kind: 'event', contract, consumer: options.consumer } satisfies ConsumeMetadata);

/**
 * Marks a provider method as the handler of the dead-letter queue of consumer `consumer`. It
 * receives the raw message; a throw pauses that handler and keeps the message in the DLQ.
 */
export const ConsumeDeadLetters = (options: { consumer: string }) =>
  SetMetadata(CONSUME_METADATA, { kind: 'dead-letters', consumer: options.consumer } satisfies ConsumeMetadata);
