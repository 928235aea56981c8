import { Logger } from '@nestjs/common';
import { context, SpanStatusCode } from '@opentelemetry/api';
import { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { NO_FAULTS } from '@reliable-payments/faults';
import { ConsumerMetrics } from './consumer-metrics';
import { classifyError } from '@reliable-payments/errors';
import { FailureHeaders } from '../retry/failure-headers';
import { recordedAttempts } from '../retry/recorded-attempts';
import { messageLogFields } from './message-log-fields';
import { ConsumerChannel } from './consumer-channel';
import { startDeliverySpan } from './delivery-span';
import { FailureHandler } from './failure-handler';
import { withHandlerTimeout } from './handler-timeout';
import { PauseController } from './pause-controller';
import { DeliveryContext, HandleOutcome, MessageConsumerOptions, Outcome } from './message-consumer.options';

export { Outcome };
export type { DeliveryContext, HandleOutcome, MessageConsumerOptions };

/**
 * Consumes one queue with manual acks and owns every ack decision: a handler returns (ack) or
 * throws (classified, then routed by the failure policy: retry level n, dead-letter, or hold). A
 * message is acked only after its handler's work committed, or after the publish that moved it
 * elsewhere was confirmed: a crash at any point re-delivers, and handlers are idempotent.
 * The parts: ConsumerChannel (channel and acks), PauseController (pause and probe),
 * FailureHandler (the router's decision carried out), this class (one delivery, start to end).
 */
export class MessageConsumer<T> {
  readonly metrics: ConsumerMetrics;
  private readonly logger: Logger;
  private readonly channel: ConsumerChannel;
  private readonly pauses: PauseController;
  private readonly failures: FailureHandler;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: MessageConsumerOptions<T>) {
    this.logger = new Logger(`Consumer:${options.name}`);
    this.metrics = options.metrics ?? new ConsumerMetrics();
    this.channel = new ConsumerChannel({
      queue: options.routes.queue,
      prefetch: options.prefetch,
      logger: this.logger,
      onDelivery: (channel, message) => this.onDelivery(channel, message),
      shouldConsume: () => !this.pauses.isPaused,
    });
    this.pauses = new PauseController({
      probe: options.probe,
      logger: this.logger,
      onPause: () => {
        this.metrics.pauses++;
        this.channel.cancel();
      },
      onResume: () => this.channel.resume(),
    });
    this.failures = new FailureHandler({
      ...options,
      queue: options.routes.queue,
      channel: this.channel,
      pauses: this.pauses,
      metrics: this.metrics,
      logger: this.logger,
      now: () => this.now(),
    });
  }

  get queue(): string {
    return this.options.routes.queue;
  }

  /** Deliveries taken from the broker and not yet settled: held unacknowledged, in no queue's depth. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  get state(): 'consuming' | 'paused' | 'stopped' | 'disconnected' {
    if (this.stopped) return 'stopped';
    if (this.pauses.isPaused) return 'paused';
    return this.channel.consuming ? 'consuming' : 'disconnected';
  }

  /** Connect hook: opens this consumer's channel on the new connection and starts consuming. */
  readonly attach = (model: ChannelModel): Promise<void> => this.channel.attach(model);

  private onDelivery(channel: Channel, message: ConsumeMessage): void {
    this.channel.delivered(channel, message);
    const work = this.process(channel, message).catch((error: unknown) => {
      this.logger.error(
        `unexpected failure handling ${message.properties.messageId}: ${(error as Error).stack ?? error}`,
        this.logFields(message, this.recordedAttempts(message) + 1),
      );
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async process(channel: Channel, message: ConsumeMessage): Promise<void> {
    const previousFailures = this.recordedAttempts(message);
    const attempt = previousFailures + 1;
    if (previousFailures > 0) this.observeRetryDelay(message, previousFailures);
    const started = performance.now();
    const { span, context: spanContext } = startDeliverySpan(this.options.tracer, this.queue, message, attempt);
    let outcome: HandleOutcome;
    let value: T | undefined;
    try {
      const decoded = (value = this.options.decode(message));
      const delivery: DeliveryContext = {
        messageId: String(message.properties.messageId ?? ''),
        attempt,
        redelivered: message.fields.redelivered,
        raw: message,
      };
      outcome = await withHandlerTimeout(
        context.with(spanContext, () => this.options.handle(decoded, delivery)),
        this.options.handlerTimeoutMs,
      );
    } catch (error) {
      this.metrics.observer?.handled(this.queue, 'failed', (performance.now() - started) / 1000, value);
      const failure = classifyError(error, this.options.classify);
      span.setStatus({ code: SpanStatusCode.ERROR, message: `${failure.code}: ${failure.message}` });
      span.setAttribute('messaging.failure.kind', failure.kind);
      await this.failures.handle(channel, message, failure, attempt, this.logFields(message, attempt, value));
      span.end();
      return;
    }
    const duplicate = outcome === Outcome.Duplicate;
    span.setAttribute('messaging.outcome', duplicate ? 'duplicate' : 'processed');
    span.end();
    (this.options.faults ?? NO_FAULTS).at('consumer-after-commit'); // test-only (TEST_CRASH_AT): committed, not yet acked
    this.metrics.observer?.handled(this.queue, duplicate ? 'duplicate' : 'processed', (performance.now() - started) / 1000, value);
    if (duplicate) this.metrics.duplicates++;
    else this.metrics.processed++;
    this.metrics.consecutiveFailures = 0;
    this.channel.madeProgress();
    this.channel.ack(channel, message);
  }

  /** What this consumer recorded, never a header a publisher set (issue 20: a forged count skipped the ladder). */
  private recordedAttempts(message: ConsumeMessage): number {
    return recordedAttempts(message.fields, message.properties.headers, this.options.routes);
  }

  private logFields(message: ConsumeMessage, attempt: number, value?: T) {
    return messageLogFields(message, this.queue, attempt, value === undefined ? undefined : () => this.options.describe?.(value));
  }

  /** How long a message waited between its last failure and this delivery, per ladder level. */
  private observeRetryDelay(message: ConsumeMessage, level: number): void {
    const lastFailedAt = Date.parse(String(message.properties.headers?.[FailureHeaders.lastFailedAt] ?? ''));
    if (Number.isFinite(lastFailedAt)) this.metrics.observeRetryDelay(level, this.now().getTime() - lastFailedAt);
  }

  /** Graceful stop: no new deliveries, wait for in-flight handlers (bounded), send pending acks, close. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    this.pauses.stop();
    await this.channel.stopConsuming();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    await this.channel.close();
    if (this.inFlight.size > 0) this.logger.warn(`${this.inFlight.size} messages still in flight at shutdown; the broker will redeliver them`);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
