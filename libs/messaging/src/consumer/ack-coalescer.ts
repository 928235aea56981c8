import type { Channel, ConsumeMessage } from 'amqplib';

/**
 * Coalesces the acks of one channel: the acks asked for within one turn of the event loop (a
 * group commit settles a whole group at once) go out as one `basic.ack` with `multiple` when no
 * earlier delivery is still being handled, and one by one otherwise. A multiple ack settles every
 * unsettled delivery up to its tag; the lowest delivery still outstanding bounds it, so it never
 * settles a message whose work has not committed.
 *
 * Messages nacked directly (released to their queue) must be reported with `settled`, so they stop
 * holding the bound down. A channel that closes before the flush loses the pending acks: the
 * broker redelivers those messages, and the handlers' idempotency absorbs them.
 */
export class AckCoalescer {
  /** Delivered and not yet settled, by delivery tag. */
  private readonly outstanding = new Map<number, ConsumeMessage>();
  private toAck: ConsumeMessage[] = [];
  private flushScheduled = false;

  constructor(
    private readonly channel: Pick<Channel, 'ack'>,
    /** A failed flush (the channel closed meanwhile): the broker redelivers those messages. */
    private readonly onError: (error: Error) => void,
  ) {}

  delivered(message: ConsumeMessage): void {
    this.outstanding.set(message.fields.deliveryTag, message);
  }

  /** Settled some other way (nack, reject): no longer outstanding. */
  settled(message: ConsumeMessage): void {
    this.outstanding.delete(message.fields.deliveryTag);
  }

  /** Acks on the next turn of the event loop, together with the acks asked for meanwhile. */
  ack(message: ConsumeMessage): void {
    this.outstanding.delete(message.fields.deliveryTag);
    this.toAck.push(message);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      try {
        this.flush();
      } catch (error) {
        this.onError(error as Error);
      }
    });
  }

  /** Sends the pending acks now. Throws what the channel throws (a closed channel). */
  flush(): void {
    this.flushScheduled = false;
    const pending = this.toAck;
    this.toAck = [];
    if (pending.length === 0) return;
    let lowestOutstanding = Number.POSITIVE_INFINITY;
    for (const tag of this.outstanding.keys()) lowestOutstanding = Math.min(lowestOutstanding, tag);
    let highestCovered: ConsumeMessage | undefined;
    let covered = 0;
    for (const message of pending) {
      const tag = message.fields.deliveryTag;
      if (tag < lowestOutstanding) {
        covered++;
        if (!highestCovered || tag > highestCovered.fields.deliveryTag) highestCovered = message;
      } else {
        this.channel.ack(message);
      }
    }
    if (highestCovered) this.channel.ack(highestCovered, covered > 1);
  }
}
