import { DeadLetterConfig } from '@app/config';

export const DEAD_LETTERS_OPTIONS = Symbol('DEAD_LETTERS_OPTIONS');

export interface DeadLettersOptions extends DeadLetterConfig {
  /** Consumer key (MessagingModule options) whose dead-letter queue this module handles. */
  consumer: string;
  /** Alerts let out per window before the rest are summarised (default 10). */
  alertBurst?: number;
  /** The rate limiter's window (default 1 minute). */
  alertWindowMs?: number;
}
