import { Logger } from '@nestjs/common';
import { Channel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { ConfirmedPublisher } from '../publishing/confirmed-publisher';
import { ConsumerMetrics } from './consumer-metrics';
import { Classification } from '@reliable-payments/errors';
import { FailureHeaders, failureHeaders } from '../retry/failure-headers';
import { ConsumerRoutes } from '../topology/topology';
import { routeFailure } from '../retry/failure-router';
import { boundedBody } from '../retry/bounded-body';
import { FailurePolicy } from '../retry/retry-policy';
import { ConsumerChannel } from './consumer-channel';
import { PauseController, PROBE_INITIAL_MS, PROBE_MAX_MS } from './pause-controller';

export interface FailureHandlerOptions {
  queue: string;
  routes: ConsumerRoutes;
  policy: FailurePolicy;
  /** Bodies over this are moved truncated, with their original size (`boundedBody`). */
  maxBodyBytes?: number;
  pauseOnDependencyDown: boolean;
  publisher: ConfirmedPublisher;
  channel: ConsumerChannel;
  pauses: PauseController;
  metrics: ConsumerMetrics;
  logger: Logger;
  now: () => Date;
}

/**
 * Carries out the failure router's decision for one delivery. A move (to a retry level or the
 * dead-letter queue) is a confirmed publish of the message with its failure headers, and only then
 * the ack of the original: a crash in between leaves two copies, never none, and the handler's
 * idempotency absorbs the copy. A move that cannot be published leaves the message unacked and
 * recycles the channel, so the broker redelivers it.
 */
export class FailureHandler {
  constructor(private readonly options: FailureHandlerOptions) {}

  async handle(channel: Channel, message: ConsumeMessage, failure: Classification, attempts: number, fields: Record<string, unknown>): Promise<void> {
    const { logger, metrics } = this.options;
    const id = message.properties.messageId;
    metrics.consecutiveFailures++;
    const route = routeFailure({
      failure,
      attempts,
      policy: this.options.policy,
      routes: this.options.routes,
      pauseOnDependencyDown: this.options.pauseOnDependencyDown,
    });
    if (route.action === 'hold') {
      logger.warn(`message ${id} failed (${failure.code}: ${failure.message}); pausing, it stays in ${this.options.queue}`, fields);
      // Back off across failures too: a probe that succeeds while the work keeps failing must not
      // become a loop every PROBE_INITIAL_MS.
      this.options.pauses.pause(failure.code, Math.min(PROBE_MAX_MS, PROBE_INITIAL_MS * 2 ** Math.min(10, metrics.consecutiveFailures - 1)));
      this.options.channel.release(channel, message);
      return;
    }
    const reason = route.action === 'dead-letter' ? route.reason : undefined;
    const headers = failureHeaders(message.properties.headers, failure, attempts, this.options.queue, this.options.now(), reason);
    if (reason) headers[FailureHeaders.deadLetterId] = randomUUID();
    const body = boundedBody(message.content, this.options.maxBodyBytes, headers);
    try {
      // Confirmed before the original is acked: a crash in between leaves both copies, never none.
      // Through the consumer's own exchange, never the default one (see moveExchangeName).
      await this.options.publisher.publish(this.options.routes.moveExchange, route.queue, body, { ...message.properties, headers, persistent: true });
    } catch (error) {
      logger.error(`could not move ${id} to ${route.queue}: ${(error as Error).message}; leaving it unacked`, fields);
      this.options.channel.recycle(channel);
      return;
    }
    this.options.channel.ack(channel, message);
    if (route.action === 'retry') {
      metrics.countRetry(route.level);
      logger.warn(`message ${id} failed (attempt ${attempts}, ${failure.code}: ${failure.message}); retry level ${route.level} → ${route.queue}`, fields);
    } else {
      metrics.deadLettered++;
      logger.error(`message ${id} dead-lettered (${route.reason}, attempt ${attempts}, ${failure.code}: ${failure.message})`, fields);
    }
    if (route.pause) this.options.pauses.pause(failure.code);
  }
}
