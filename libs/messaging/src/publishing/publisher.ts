import { Options } from 'amqplib';

/** DI token of the process's Publisher (MessagingModule provides it). */
export const PUBLISHER = Symbol('PUBLISHER');

/**
 * What other libraries may do with the broker: publish with confirms and see whether publishing
 * can succeed now. The outbox relay and the dead-letter re-drive depend on this, not on the
 * messaging internals.
 */
export interface Publisher {
  /**
   * Resolves once the broker confirmed the message and did not return it; rejects on a nack, a
   * return (unroutable with `mandatory`), a time-out or a closed channel. `exchange` is a declared
   * exchange's name before the name prefix, or `''` for the default exchange (whose routing key
   * is a full queue name).
   */
  publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void>;
  /** False while no confirm channel is open: a publish would fail at once. */
  readonly ready: boolean;
  /** True while the broker blocks publishing (a memory or disk alarm). */
  readonly blocked: boolean;
  /** Called when the broker blocks or unblocks publishing. */
  onBlockedChange(listener: (blocked: boolean) => void): void;
}
