import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumeMessage } from 'amqplib';
import { HandleOutcome, MessagingService, Outcome } from '@reliable-payments/messaging';
import { DeadLetterStore } from './dead-letter.store';
import { DEAD_LETTERS_OPTIONS, DeadLettersOptions } from './dead-letters.options';

/**
 * The dead-letter queue's handler for one consumer: store the letter (and alert), then the
 * messaging library acks. A throw (the database is down) holds the letter in the queue and pauses
 * the handler until the database answers; the letter is never dropped.
 */
@Injectable()
export class DeadLetterHandler implements OnModuleInit {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly messaging: MessagingService,
    @Inject(DEAD_LETTERS_OPTIONS) private readonly options: DeadLettersOptions,
  ) {}

  onModuleInit(): void {
    this.messaging.handleDeadLetters(this.options.consumer, (message) => this.onDeadLetter(message));
  }

  async onDeadLetter(message: ConsumeMessage): Promise<HandleOutcome> {
    const queue = this.messaging.routes(this.options.consumer).queue;
    return (await this.store.record(message, queue)) === 'duplicate' ? Outcome.Duplicate : Outcome.Processed;
  }
}
