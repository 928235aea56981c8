import { Logger } from '@nestjs/common';
import { Channel, ChannelModel, connect } from 'amqplib';

export interface QueueDepth {
  /** Ready messages (not those a consumer holds unacknowledged); null when the queue is missing or the broker unreachable. */
  messages: number | null;
  consumers: number | null;
}

/**
 * Queue depths over AMQP (`checkQueue`: passive declare): works on every broker, with or without
 * the management plugin. One connection for all viewers, reopened on the next read after a loss.
 */
export class QueueDepths {
  private readonly logger = new Logger(QueueDepths.name);
  private model?: ChannelModel;
  private channel?: Channel;
  private opening?: Promise<Channel>;

  constructor(private readonly url: string) {}

  private open(): Promise<Channel> {
    if (this.channel) return Promise.resolve(this.channel);
    this.opening ??= (async () => {
      try {
        if (!this.model) {
          const model = await connect(this.url, { clientProperties: { connection_name: 'console (queue depths)' } });
          model.on('error', (error: Error) => this.logger.warn(`broker connection error: ${error.message}`));
          model.on('close', () => {
            if (this.model === model) this.model = this.channel = undefined;
          });
          this.model = model;
        }
        const channel = await this.model.createChannel();
        // A passive declare of a missing queue closes the channel (404): the next read opens another.
        channel.on('error', () => undefined);
        channel.on('close', () => {
          if (this.channel === channel) this.channel = undefined;
        });
        this.channel = channel;
        return channel;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  /** Depths of the given queues, read one after another in the order given. */
  async read(queues: string[]): Promise<Record<string, QueueDepth>> {
    const depths: Record<string, QueueDepth> = {};
    for (const queue of queues) {
      try {
        const channel = await this.open();
        const ok = await channel.checkQueue(queue);
        depths[queue] = { messages: ok.messageCount, consumers: ok.consumerCount };
      } catch {
        depths[queue] = { messages: null, consumers: null };
      }
    }
    return depths;
  }

  async close(): Promise<void> {
    const model = this.model;
    this.model = this.channel = undefined;
    await model?.close().catch(() => undefined);
  }
}
