import { MessageFields, MessagePropertyHeaders } from 'amqplib';
import { ConsumerRoutes } from '../topology/topology';
import { ATTEMPT_HISTORY_HEADER, formatAttemptHistory, parseAttemptHistory } from './attempt-history';
import { attemptsOf } from './failure-headers';

/**
 * Failures this consumer itself recorded for a delivery, never a count any publisher sets. The
 * `retry-attempts` header is read only on a delivery that arrived through the consumer's own
 * exchange (`moveExchangeName`): only its retry levels dead-letter into it and only its own broker
 * user may publish to it. Anything else (the payments exchange, the default exchange) is a message
 * from outside and starts at attempt 1, whatever its headers say. Clamped to the ladder: a message
 * back from level n has failed n times at most.
 */
export function recordedAttempts(
  fields: Pick<MessageFields, 'exchange'>,
  headers: MessagePropertyHeaders | undefined,
  routes: Pick<ConsumerRoutes, 'moveExchange' | 'retryQueues'>,
): number {
  if (fields.exchange !== routes.moveExchange) return 0;
  return Math.min(attemptsOf(headers), routes.retryQueues.length);
}

/**
 * The failure history a handler may store with its grant: the `attempt-history` header only when
 * this consumer recorded failures of its own (`attempt > 1`); a first attempt has none, whatever a
 * publisher put in the header.
 */
export function recordedHistory(delivery: { attempt: number; raw: { properties: { headers?: MessagePropertyHeaders } } }): string | null {
  if (delivery.attempt <= 1) return null;
  return formatAttemptHistory(parseAttemptHistory(delivery.raw.properties.headers?.[ATTEMPT_HISTORY_HEADER])) || null;
}
