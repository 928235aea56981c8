import { DeadLetterConfig } from '@app/config';

export const DEAD_LETTERS_OPTIONS = Symbol('DEAD_LETTERS_OPTIONS');

export interface DeadLettersOptions extends DeadLetterConfig {
  /** Consumer key (MessagingModule options) whose dead-letter queue this module handles. */
  consumer: string;
}
