import { SetMetadata } from '@nestjs/common';
import { EventContract } from '@reliable-payments/contracts';
import { DeliveryContext, HandleOutcome } from './consumer/message-consumer.options';

/** The shape of a handler of events of type T: a mismatch with the contract does not compile. */
export type EventHandler<T> = (event: T, context: DeliveryContext) => Promise<HandleOutcome>;

export const CONSUME_METADATA = Symbol('CONSUME_METADATA');

/** `dead-letters` entries come from `MessagingService.handleDeadLetters` (their consumer key is known only at runtime). */
export type ConsumeMetadata = { kind: 'event'; contract: EventContract<unknown>; consumer: string } | { kind: 'dead-letters'; consumer: string };

/**
 * Marks a provider method as the handler of `contract` for the consumer named `consumer` in
 * `MessagingModule` options. Return to ack; throw a TransientError or PermanentError (or anything
 * else, counted as transient) to let the library retry or dead-letter. Return `Outcome.Duplicate`
 * when the message had already been processed. The method's parameter must be the contract's
 * type (checked at compile time). It runs through Nest's guards and interceptors (context type
 * `'amqp'`), not through exception filters: the library owns the failure decision.
 */
export const ConsumeEvent =
  <T>(contract: EventContract<T>, options: { consumer: string }) =>
  (target: object, key: string | symbol, descriptor: { value?: EventHandler<T> }): void => {
    SetMetadata(CONSUME_METADATA, { kind: 'event', contract: contract as EventContract<unknown>, consumer: options.consumer } satisfies ConsumeMetadata)(
      target,
      key,
      descriptor,
    );
  };
