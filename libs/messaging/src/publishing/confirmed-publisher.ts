import { Logger } from '@nestjs/common';
import { ChannelModel, ConfirmChannel, Message, Options } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { PublishError } from '@reliable-payments/errors';

/**
 * Header that ties a `basic.return` to its publish when the message has no messageId; returns
 * arrive before that publish's ack. A message with a messageId is matched by it instead: a
 * headers table costs the broker about 15 % more CPU per message (measured with two bound queues).
 */
export const PUBLISH_ID_HEADER = 'publish-id';

/** A publish waiting for room in the channel's write buffer. */
interface Waiter {
  deadline: number;
  release: (error?: PublishError) => void;
}

interface Pending {
  messageId?: string;
  returned?: string;
  deadline: number;
  settle: (error?: PublishError) => void;
}

/**
 * Publishes on a confirm channel with `mandatory`. `publish` resolves only when the broker acked
 * the message and did not return it as unroutable; it rejects on nack, return, confirm timeout or
 * a lost channel. A caller may therefore treat "resolved" as "the broker has it in a queue".
 */
export class ConfirmedPublisher {
  private readonly logger = new Logger(ConfirmedPublisher.name);
  private readonly idPrefix = randomBytes(6).toString('hex');
  private channel?: ConfirmChannel;
  private readonly pending = new Map<string, Pending>();
  /** Publishes in flight by messageId (those sent without the publish-id header). */
  private readonly pendingByMessageId = new Map<string, Set<string>>();
  private sequence = 0;
  /** The channel whose write buffer is full, and the publishes waiting for its 'drain'. */
  private full?: ConfirmChannel;
  private readonly waiters = new Set<Waiter>();
  private reopenTimer?: NodeJS.Timeout;
  private sweep?: NodeJS.Timeout;
  private stopped = false;

  /**
   * @param reopen re-opens the channel on a live connection after the broker closed only the
   *   channel (e.g. a publish to a deleted exchange); connection loss is handled by reconnect.
   */
  constructor(
    private readonly confirmTimeoutMs: number,
    private readonly reopen?: (model: ChannelModel) => Promise<void>,
  ) {}

  get isReady(): boolean {
    return this.channel !== undefined;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Connect hook: opens the confirm channel for this connection. */
  readonly attach = async (model: ChannelModel): Promise<void> => {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => {
      this.logger.warn(`publisher channel error: ${error.message}`);
      this.releaseWaiters(channel, new PublishError('CHANNEL_CLOSED', `channel failed while waiting for room in its write buffer: ${error.message}`));
    });
    channel.on('return', (message: Message) => this.onReturn(message));
    channel.on('drain', () => this.releaseWaiters(channel));
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
      // A closed channel never emits 'drain': whoever waits for it is told now, or would wait for ever
      // (and the relay's batch, its transaction and its row locks with it).
      this.releaseWaiters(channel, new PublishError('CHANNEL_CLOSED', 'channel closed while waiting for room in its write buffer'));
      this.scheduleReopen(model);
      // amqplib fails outstanding confirm callbacks on close; this is the belt to those braces.
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.settle(new PublishError('CHANNEL_CLOSED', 'channel closed before the broker confirmed'));
      }
    });
    this.channel = channel;
  };

  private scheduleReopen(model: ChannelModel): void {
    if (this.stopped || this.reopenTimer || !this.reopen) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      if (this.channel || this.stopped) return;
      this.reopen!(model).catch((error: Error) => this.logger.debug(`reopen skipped: ${error.message}`));
    }, 1_000);
  }

  /** No more reopening: the process is shutting down. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.reopenTimer);
    clearInterval(this.sweep);
    this.sweep = undefined;
  }

  async publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish = {}): Promise<void> {
    // The deadline starts now: time spent waiting for room in the write buffer counts against it.
    const deadline = Date.now() + this.confirmTimeoutMs;
    if (this.full && this.full === this.channel) {
      while (this.full && this.full === this.channel) await this.waitForRoom(deadline);
      // Room came too late: the caller is told now rather than after a write it would count as failed anyway.
      if (Date.now() >= deadline) throw new PublishError('CONFIRM_TIMEOUT', `no room in the write buffer within ${this.confirmTimeoutMs}ms`);
    }
    const channel = this.channel;
    if (!channel) throw new PublishError('NOT_CONNECTED', 'not connected to the broker');
    const id = `${this.idPrefix}-${++this.sequence}`;
    const messageId = typeof options.messageId === 'string' && options.messageId !== '' ? options.messageId : undefined;
    return new Promise<void>((resolve, reject) => {
      // No timer per message: one sweep rejects whatever outlived the confirm timeout.
      const entry: Pending = {
        messageId,
        deadline,
        settle: (error) => {
          this.unindex(entry, id);
          if (error) reject(error);
          else resolve();
        },
      };
      this.pending.set(id, entry);
      this.ensureSweep();
      // A moved message may carry the publish-id of an earlier publish: never let it match.
      const headers: Record<string, unknown> = { ...options.headers };
      delete headers[PUBLISH_ID_HEADER];
      if (messageId) {
        let ids = this.pendingByMessageId.get(messageId);
        if (!ids) this.pendingByMessageId.set(messageId, (ids = new Set()));
        ids.add(id);
      } else {
        headers[PUBLISH_ID_HEADER] = id;
      }
      try {
        const ok = channel.publish(
          exchange,
          routingKey,
          content,
          { ...options, headers: Object.keys(headers).length > 0 ? headers : undefined, mandatory: true },
          (error) => {
            if (!this.pending.delete(id)) return; // already settled by timeout or close
            if (error) {
              entry.settle(new PublishError('NACKED', `broker nacked: ${String((error as Error)?.message ?? error)}`));
            } else if (entry.returned !== undefined) {
              entry.settle(new PublishError('RETURNED', `unroutable: ${entry.returned}`));
            } else {
              entry.settle();
            }
          },
        );
        if (!ok) this.full = channel; // later publishes wait for its 'drain' (or its close, or their deadline)
      } catch (error) {
        this.pending.delete(id);
        entry.settle(new PublishError('CHANNEL_CLOSED', (error as Error).message));
      }
    });
  }

  private waitForRoom(deadline: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        deadline,
        release: (error) => {
          this.waiters.delete(waiter);
          if (error) reject(error);
          else resolve();
        },
      };
      this.waiters.add(waiter);
      this.ensureSweep();
    });
  }

  /** Lets the publishes waiting for room go on (drain), or fails them (the channel is gone). */
  private releaseWaiters(channel: ConfirmChannel, error?: PublishError): void {
    if (this.full !== channel) return;
    this.full = undefined;
    for (const waiter of [...this.waiters]) waiter.release(error);
  }

  private ensureSweep(): void {
    if (this.sweep) return;
    this.sweep = setInterval(
      () => {
        const now = Date.now();
        for (const [id, pending] of this.pending) {
          if (pending.deadline > now) continue;
          this.pending.delete(id);
          pending.settle(new PublishError('CONFIRM_TIMEOUT', `no confirm within ${this.confirmTimeoutMs}ms`));
        }
        for (const waiter of this.waiters) {
          if (waiter.deadline <= now) waiter.release(new PublishError('CONFIRM_TIMEOUT', `no room in the write buffer within ${this.confirmTimeoutMs}ms`));
        }
        if (this.pending.size === 0 && this.waiters.size === 0) {
          clearInterval(this.sweep);
          this.sweep = undefined;
        }
      },
      Math.max(50, Math.min(1_000, Math.floor(this.confirmTimeoutMs / 4))),
    );
    this.sweep.unref();
  }

  private unindex(entry: Pending, id: string): void {
    if (!entry.messageId) return;
    const ids = this.pendingByMessageId.get(entry.messageId);
    ids?.delete(id);
    if (ids?.size === 0) this.pendingByMessageId.delete(entry.messageId);
  }

  /**
   * Marks the returned publish as not sent. Matched by the publish-id header, else by messageId:
   * then every publish of that messageId in flight is marked, because a return cannot say which
   * one it was. At worst a routed copy is reported unsent and sent again (consumers dedupe);
   * never is a returned one reported sent.
   */
  private onReturn(message: Message): void {
    const header = message.properties.headers?.[PUBLISH_ID_HEADER];
    const messageId = message.properties.messageId;
    const ids = typeof header === 'string' ? [header] : typeof messageId === 'string' ? [...(this.pendingByMessageId.get(messageId) ?? [])] : [];
    // amqplib's types omit the reply fields a basic.return carries.
    const fields = message.fields as typeof message.fields & { replyCode?: number; replyText?: string };
    for (const id of ids) {
      const pending = this.pending.get(id);
      if (pending) pending.returned = `${fields.replyCode ?? ''} ${fields.replyText ?? 'returned'} (exchange "${fields.exchange}", key "${fields.routingKey}")`;
    }
  }
}
