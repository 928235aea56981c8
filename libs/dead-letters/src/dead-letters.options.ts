import { DeadLetterConfig } from '@reliable-payments/config';
import { EventContract } from '@reliable-payments/contracts';

export const DEAD_LETTERS_OPTIONS = Symbol('DEAD_LETTERS_OPTIONS');

export interface DeadLettersOptions extends DeadLetterConfig {
  /** Consumer key (MessagingModule options) whose dead-letter queue this module handles. */
  consumer: string;
  /** The event the consumer's queue receives: an edited payload must pass its schema before it is sent. */
  event: EventContract<unknown>;
}
