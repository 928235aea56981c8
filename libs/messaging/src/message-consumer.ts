import { Logger } from '@nestjs/common';
import { context, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { contextFromTraceparent } from '@app/tracing';
import { crashPoint } from '@app/config';
import { AckCoalescer } from './ack-coalescer';
import { ConfirmedPublisher } from './confirmed-publisher';
import { ConsumerMetrics } from './consumer-metrics';
import { Classification, classifyError, MessagingError, TransientError } from './errors';
import { randomUUID } from 'node:crypto';
import { attemptsOf, DeadLetterReason, FailureHeaders, failureHeaders } from './failure-headers';
import { messageLogFields } from './message-log-fields';
import { ConsumerRoutes, nextStep } from './topology';

/** What a handler learns about the delivery besides the decoded body. */
export interface DeliveryContext {
  messageId: string;
  /** 1 for the first delivery; n+1 after n recorded failures. */
  attempt: number;
  redelivered: boolean;
  raw: ConsumeMessage;
}

/** `'duplicate'` tells the consumer the message was already processed (counted, then acked). */
export type HandleOutcome = void | 'duplicate';

export interface MessageConsumerOptions<T> {
  name: string;
  routes: ConsumerRoutes;
  prefetch: number;
  /** A handler still running after this is treated as a transient, dependency-down failure. */
  handlerTimeoutMs?: number;
  decode: (message: ConsumeMessage) => T;
  /** Business keys for log lines about a decoded message (e.g. its orderId). */
  describe?: (value: T) => Record<string, string>;
  handle: (value: T, context: DeliveryContext) => Promise<HandleOutcome>;
  /**
   * `ladder`: failures climb the retry ladder and end in the dead-letter queue.
   * `hold`: failures are never moved on; the consumer pauses and the message is released back to
   * its queue once (used by the dead-letter handler, whose queue is the end of the line).
   */
  onFailure: 'ladder' | 'hold';
  /** Pause consuming while failures say the dependency is down (see README, "Dependency down"). */
  pauseOnDependencyDown: boolean;
  /** Resolves when the dependency answers again; polled while paused. */
  probe?: () => Promise<void>;
  classify?: (error: unknown) => MessagingError | undefined;
  publisher: ConfirmedPublisher;
  metrics?: ConsumerMetrics;
  /** Spans per delivery, continuing the trace of the message's `traceparent` header (no-op when tracing is off). */
  tracer?: Tracer;
  /** The clock for failure headers and observed retry delays (tests). */
  now?: () => Date;
}

const PROBE_INITIAL_MS = 500;
const PROBE_MAX_MS = 15_000;

/**
 * Consumes one queue with manual acks and owns every ack decision: a handler returns (ack) or
 * throws (classified: retry level n, dead-letter, or hold). A message is acked only after its
 * handler's work committed, or after the publish that moved it elsewhere was confirmed: a crash
 * at any point re-delivers, and handlers are idempotent.
 */
export class MessageConsumer<T> {
  private readonly logger: Logger;
  private channel?: Channel;
  /** Acks of the current channel; a new channel gets a new one. */
  private acks?: AckCoalescer;
  private consumerTag?: string;
  private model?: ChannelModel;
  private readonly inFlight = new Set<Promise<void>>();
  private paused = false;
  private stopped = false;
  private probeTimer?: NodeJS.Timeout;
  private recycleTimer?: NodeJS.Timeout;
  private recycleDelayMs = PROBE_INITIAL_MS;
  readonly metrics: ConsumerMetrics;

  constructor(private readonly options: MessageConsumerOptions<T>) {
    this.logger = new Logger(`Consumer:${options.name}`);
    this.metrics = options.metrics ?? new ConsumerMetrics();
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
    if (this.paused) return 'paused';
    return this.consumerTag ? 'consuming' : 'disconnected';
  }

  /** Connect hook: opens this consumer's channel on the new connection and starts consuming. */
  readonly attach = async (model: ChannelModel): Promise<void> => {
    this.model = model;
    if (this.stopped) return;
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.logger.warn(`channel error: ${error.message}`));
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.consumerTag = undefined;
      // Closed by the broker while the connection lives (a channel error): open a new one later.
      // After a connection loss the reopen fails quietly and the reconnect hook attaches instead.
      this.scheduleRecycle(channel);
    });
    await channel.prefetch(this.options.prefetch);
    this.channel = channel;
    this.acks = new AckCoalescer(channel, (error) => this.logger.warn(`ack failed (${error.message}); the broker will redeliver`));
    if (!this.paused) await this.consume(channel);
  };

  private async consume(channel: Channel): Promise<void> {
    const reply = await channel.consume(this.queue, (message) => this.onDelivery(channel, message), { noAck: false });
    this.consumerTag = reply.consumerTag;
  }

  private onDelivery(channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled us (queue deleted). Reconnect logic re-declares and re-consumes.
      this.logger.warn('consumer cancelled by the broker');
      this.consumerTag = undefined;
      this.scheduleRecycle(channel);
      return;
    }
    if (channel === this.channel) this.acks?.delivered(message);
    const work = this.process(channel, message).catch((error: unknown) => {
      this.logger.error(`unexpected failure handling ${message.properties.messageId}: ${(error as Error).stack ?? error}`, this.logFields(message, attemptsOf(message.properties.headers) + 1));
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async process(channel: Channel, message: ConsumeMessage): Promise<void> {
    const previousFailures = attemptsOf(message.properties.headers);
    const messageId = String(message.properties.messageId ?? '');
    if (previousFailures > 0) this.observeRetryDelay(message, previousFailures);
    const started = performance.now();
    // Every delivery (first, retried, re-driven, or the dead-letter store) is a CONSUMER span in the
    // trace of the message's traceparent, which retries and re-drives keep unchanged.
    const parent = contextFromTraceparent(message.properties.headers?.traceparent);
    const span = (this.options.tracer ?? trace.getTracer('noop')).startSpan(
      `${this.queue} process`,
      { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': this.queue, 'messaging.message.id': messageId, 'messaging.attempt': previousFailures + 1 } },
      parent,
    );
    let outcome: HandleOutcome;
    let value: T | undefined;
    try {
      value = this.options.decode(message);
      const decoded = value;
      outcome = await this.withTimeout(
        context.with(trace.setSpan(parent, span), () =>
          this.options.handle(decoded, {
            messageId,
            attempt: previousFailures + 1,
            redelivered: message.fields.redelivered,
            raw: message,
          }),
        ),
      );
    } catch (error) {
      this.metrics.observer?.handled(this.queue, 'failed', (performance.now() - started) / 1000, value);
      const failure = classifyError(error, this.options.classify);
      span.setStatus({ code: SpanStatusCode.ERROR, message: `${failure.code}: ${failure.message}` });
      span.setAttribute('messaging.failure.kind', failure.kind);
      await this.onFailure(channel, message, failure, previousFailures + 1, value);
      span.end();
      return;
    }
    span.setAttribute('messaging.outcome', outcome === 'duplicate' ? 'duplicate' : 'processed');
    span.end();
    crashPoint('consumer-after-commit'); // test-only: committed, not yet acked
    this.metrics.observer?.handled(this.queue, outcome === 'duplicate' ? 'duplicate' : 'processed', (performance.now() - started) / 1000, value);
    if (outcome === 'duplicate') this.metrics.duplicates++;
    else this.metrics.processed++;
    this.metrics.consecutiveFailures = 0;
    this.recycleDelayMs = PROBE_INITIAL_MS;
    this.ack(channel, message);
  }

  private async onFailure(channel: Channel, message: ConsumeMessage, failure: Classification, attempts: number, value?: T) {
    const id = message.properties.messageId;
    this.metrics.consecutiveFailures++;
    const fields = this.logFields(message, attempts, value);
    if (this.options.onFailure === 'hold') {
      this.logger.warn(`message ${id} failed (${failure.code}: ${failure.message}); pausing, it stays in ${this.queue}`, fields);
      // Back off across failures too: a probe that succeeds while the work keeps failing must not
      // become a loop every PROBE_INITIAL_MS.
      this.pause(failure, Math.min(PROBE_MAX_MS, PROBE_INITIAL_MS * 2 ** Math.min(10, this.metrics.consecutiveFailures - 1)));
      this.release(channel, message);
      return;
    }
    let reason: DeadLetterReason | undefined;
    let target: string;
    let level: number | undefined;
    if (failure.kind === 'permanent') {
      reason = 'permanent';
      target = this.options.routes.deadLetterQueue;
    } else {
      const step = nextStep(this.options.routes, attempts);
      if (step.action === 'retry') {
        target = step.queue;
        level = step.level;
      } else {
        reason = 'retries-exhausted';
        target = step.queue;
      }
    }
    const headers = failureHeaders(message.properties.headers, failure, attempts, this.queue, this.now(), reason);
    if (reason) headers[FailureHeaders.deadLetterId] = randomUUID();
    try {
      // Confirmed before the original is acked: a crash in between leaves both copies, never none.
      await this.options.publisher.publish('', target, message.content, {
        ...message.properties,
        headers,
        persistent: true,
      });
    } catch (error) {
      this.logger.error(`could not move ${id} to ${target}: ${(error as Error).message}; leaving it unacked`, fields);
      this.scheduleRecycle(channel);
      return;
    }
    this.ack(channel, message);
    if (level !== undefined) {
      this.metrics.countRetry(level);
      this.logger.warn(`message ${id} failed (attempt ${attempts}, ${failure.code}: ${failure.message}); retry level ${level} → ${target}`, fields);
    } else {
      this.metrics.deadLettered++;
      this.logger.error(`message ${id} dead-lettered (${reason}, attempt ${attempts}, ${failure.code}: ${failure.message})`, fields);
    }
    if (failure.kind === 'transient' && failure.dependencyDown && this.options.pauseOnDependencyDown) this.pause(failure);
  }

  /**
   * Bounds a handler. If it still commits after the timeout, the copy moved to the retry ladder
   * is later absorbed as a duplicate by the handler's idempotency.
   */
  private async withTimeout(work: Promise<HandleOutcome>): Promise<HandleOutcome> {
    const limit = this.options.handlerTimeoutMs;
    if (!limit) return work;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new TransientError('HANDLER_TIMEOUT', `handler still running after ${limit}ms`, { dependencyDown: true })),
            limit,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      work.catch(() => undefined); // a late failure of an abandoned handler is not unhandled
    }
  }

  private logFields(message: ConsumeMessage, attempt: number, value?: T) {
    return messageLogFields(message, this.queue, attempt, value === undefined ? undefined : () => this.options.describe?.(value));
  }

  /** How long a message waited between its last failure and this delivery, per ladder level. */
  private observeRetryDelay(message: ConsumeMessage, level: number): void {
    const lastFailedAt = Date.parse(String(message.properties.headers?.[FailureHeaders.lastFailedAt] ?? ''));
    if (Number.isFinite(lastFailedAt)) this.metrics.observeRetryDelay(level, this.now().getTime() - lastFailedAt);
  }

  /**
   * Acks on the channel that delivered the message, unless that channel is gone (then the broker
   * redelivers). Acks settled together (a group commit) go out as one (see AckCoalescer).
   */
  private ack(channel: Channel, message: ConsumeMessage): void {
    if (channel !== this.channel) return;
    this.acks?.ack(message);
  }

  /** Gives a held message back to its queue, once, while the consumer is paused (no hot loop). */
  private release(channel: Channel, message: ConsumeMessage): void {
    if (channel !== this.channel) return;
    try {
      channel.nack(message, false, true);
      this.acks?.settled(message);
    } catch (error) {
      this.logger.warn(`release failed (${(error as Error).message})`);
    }
  }

  /** Stops taking new deliveries until the probe succeeds. Messages in retry levels keep their schedule. */
  pause(failure?: Classification, firstProbeMs = PROBE_INITIAL_MS): void {
    if (this.paused || this.stopped) return;
    this.paused = true;
    this.metrics.pauses++;
    this.logger.warn(`pausing ${this.queue}${failure ? ` (${failure.code})` : ''}; probing the dependency until it answers`);
    const channel = this.channel;
    const tag = this.consumerTag;
    this.consumerTag = undefined;
    if (channel && tag) channel.cancel(tag).catch((error: Error) => this.logger.warn(`cancel failed: ${error.message}`));
    this.scheduleProbe(firstProbeMs);
  }

  private scheduleProbe(delayMs: number): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => {
      void (async () => {
        try {
          await (this.options.probe?.() ?? Promise.resolve());
        } catch (error) {
          this.logger.debug(`probe failed: ${(error as Error).message}`);
          this.scheduleProbe(Math.min(PROBE_MAX_MS, delayMs * 2));
          return;
        }
        await this.resume();
      })();
    }, delayMs);
  }

  async resume(): Promise<void> {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.logger.log(`dependency is back; resuming ${this.queue}`);
    const channel = this.channel;
    if (channel && !this.consumerTag) {
      await this.consume(channel).catch((error: Error) => {
        this.logger.warn(`resume failed: ${error.message}`);
        this.scheduleRecycle(channel);
      });
    }
  }

  /** Closes a channel that cannot make progress (its unacked messages return to the queue) and reopens it later. */
  private scheduleRecycle(channel: Channel): void {
    if (this.recycleTimer || this.stopped) return;
    const delay = this.recycleDelayMs;
    this.recycleDelayMs = Math.min(PROBE_MAX_MS, this.recycleDelayMs * 2);
    if (this.channel === channel) {
      this.channel = undefined;
      this.consumerTag = undefined;
    }
    channel.close().catch(() => undefined);
    this.recycleTimer = setTimeout(() => {
      this.recycleTimer = undefined;
      const model = this.model;
      if (model && !this.stopped && !this.channel) {
        this.attach(model).catch((error: Error) => this.logger.warn(`reopen failed: ${error.message}; waiting for reconnect`));
      }
    }, delay);
  }

  /** Graceful stop: no new deliveries, wait for in-flight handlers (bounded), close the channel. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.probeTimer);
    clearTimeout(this.recycleTimer);
    const channel = this.channel;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    this.consumerTag = undefined;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    try {
      this.acks?.flush();
    } catch (error) {
      this.logger.warn(`ack failed at shutdown (${(error as Error).message}); the broker will redeliver`);
    }
    if (this.inFlight.size > 0) this.logger.warn(`${this.inFlight.size} messages still in flight at shutdown; the broker will redeliver them`);
    this.channel = undefined;
    if (channel) await channel.close().catch(() => undefined);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
