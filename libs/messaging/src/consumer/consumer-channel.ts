import { Logger } from '@nestjs/common';
import { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { AckCoalescer } from './ack-coalescer';
import { PROBE_INITIAL_MS, PROBE_MAX_MS } from './pause-controller';

export interface ConsumerChannelOptions {
  queue: string;
  prefetch: number;
  logger: Logger;
  /** Called for each delivery, with the channel that delivered it (acks go back on that channel only). */
  onDelivery: (channel: Channel, message: ConsumeMessage) => void;
  /** Whether a newly opened channel should start consuming (false while paused). */
  shouldConsume: () => boolean;
}

/**
 * One consumer's channel and its ack life cycle: open on every (re)connect with its prefetch,
 * consume, ack (coalesced: see AckCoalescer) or release on the channel that delivered, and recycle
 * a channel that cannot make progress (closed by the broker, a move that could not be published):
 * its unacked messages return to the queue and a new channel opens after a growing delay.
 * Acking a delivery on another channel would close that channel, so a message whose channel is
 * gone is left to the broker's redelivery.
 */
export class ConsumerChannel {
  private channel?: Channel;
  private acks?: AckCoalescer;
  private consumerTag?: string;
  private model?: ChannelModel;
  private recycleTimer?: NodeJS.Timeout;
  private recycleDelayMs = PROBE_INITIAL_MS;
  private stopped = false;

  constructor(private readonly options: ConsumerChannelOptions) {}

  get consuming(): boolean {
    return this.consumerTag !== undefined;
  }

  /** Connect hook: opens the channel on the new connection and starts consuming unless paused. */
  readonly attach = async (model: ChannelModel): Promise<void> => {
    this.model = model;
    if (this.stopped) return;
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.options.logger.warn(`channel error: ${error.message}`));
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.consumerTag = undefined;
      // Closed by the broker while the connection lives (a channel error): open a new one later.
      // After a connection loss the reopen fails quietly and the reconnect hook attaches instead.
      this.recycle(channel);
    });
    await channel.prefetch(this.options.prefetch);
    this.channel = channel;
    this.acks = new AckCoalescer(channel, (error) => this.options.logger.warn(`ack failed (${error.message}); the broker will redeliver`));
    if (this.options.shouldConsume()) await this.consume(channel);
  };

  /** Starts consuming on the current channel (after a pause); a failure recycles the channel. */
  async resume(): Promise<void> {
    const channel = this.channel;
    if (!channel || this.consumerTag) return;
    await this.consume(channel).catch((error: Error) => {
      this.options.logger.warn(`resume failed: ${error.message}`);
      this.recycle(channel);
    });
  }

  /** Stops deliveries (a pause); messages already delivered are still acked on this channel. */
  cancel(): void {
    const channel = this.channel;
    const tag = this.consumerTag;
    this.consumerTag = undefined;
    if (channel && tag) channel.cancel(tag).catch((error: Error) => this.options.logger.warn(`cancel failed: ${error.message}`));
  }

  delivered(channel: Channel, message: ConsumeMessage): void {
    if (channel === this.channel) this.acks?.delivered(message);
  }

  ack(channel: Channel, message: ConsumeMessage): void {
    if (channel !== this.channel) return;
    this.acks?.ack(message);
  }

  /** Gives a held message back to its queue, once (the consumer pauses: no hot loop). */
  release(channel: Channel, message: ConsumeMessage): void {
    if (channel !== this.channel) return;
    try {
      channel.nack(message, false, true);
      this.acks?.settled(message);
    } catch (error) {
      this.options.logger.warn(`release failed (${(error as Error).message})`);
    }
  }

  /** A delivery succeeded: the next recycle starts from the shortest delay again. */
  madeProgress(): void {
    this.recycleDelayMs = PROBE_INITIAL_MS;
  }

  /** Closes a channel that cannot make progress (its unacked messages return to the queue) and reopens it later. */
  recycle(channel: Channel): void {
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
        this.attach(model).catch((error: Error) => this.options.logger.warn(`reopen failed: ${error.message}; waiting for reconnect`));
      }
    }, delay);
  }

  /** Graceful stop, first half: no new deliveries. */
  async stopConsuming(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.recycleTimer);
    const channel = this.channel;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    this.consumerTag = undefined;
  }

  /** Graceful stop, second half: send the acks still coalescing, then close. */
  async close(): Promise<void> {
    try {
      this.acks?.flush();
    } catch (error) {
      this.options.logger.warn(`ack failed at shutdown (${(error as Error).message}); the broker will redeliver`);
    }
    const channel = this.channel;
    this.channel = undefined;
    if (channel) await channel.close().catch(() => undefined);
  }

  private async consume(channel: Channel): Promise<void> {
    const reply = await channel.consume(
      this.options.queue,
      (message) => {
        if (message === null) {
          // The broker cancelled us (queue deleted). Reconnect logic re-declares and re-consumes.
          this.options.logger.warn('consumer cancelled by the broker');
          this.consumerTag = undefined;
          this.recycle(channel);
          return;
        }
        this.options.onDelivery(channel, message);
      },
      { noAck: false },
    );
    this.consumerTag = reply.consumerTag;
  }
}
