import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ConsumeMessage } from 'amqplib';
import { ConsumeDeadLetters, DeliveryContext, HandleOutcome, MessagingService } from '@app/messaging';
import { DeadLetterAlerts } from './dead-letter.alerts';
import { DeadLetterStore } from './dead-letter.store';
import { DeadLettersController } from './dead-letters.controller';
import { DEAD_LETTERS_OPTIONS, DeadLettersOptions } from './dead-letters.options';
import { DeadLettersRetention } from './dead-letters.retention';
import { DeadLettersScheduler } from './dead-letters.scheduler';
import { DeadLettersService } from './dead-letters.service';
import { DeadLetterRedriver } from './dead-letter-redriver';

/**
 * The dead-letter queue's handler (store, alert, ack after commit) and the operator API for one
 * consumer. Each consumer service registers it with its consumer key.
 */
@Module({})
export class DeadLettersModule {
  static register(options: DeadLettersOptions): DynamicModule {
    @Injectable()
    class DeadLetterHandler {
      constructor(
        private readonly store: DeadLetterStore,
        private readonly messaging: MessagingService,
      ) {}

      @ConsumeDeadLetters({ consumer: options.consumer })
      async onDeadLetter(message: ConsumeMessage, _context: DeliveryContext): Promise<HandleOutcome> {
        const queue = this.messaging.routes(options.consumer).queue;
        return (await this.store.record(message, queue)) === 'duplicate' ? 'duplicate' : undefined;
      }
    }

    return {
      module: DeadLettersModule,
      global: true,
      imports: [ScheduleModule.forRoot()],
      controllers: [DeadLettersController],
      providers: [
        { provide: DEAD_LETTERS_OPTIONS, useValue: options },
        DeadLetterAlerts,
        DeadLetterStore,
        DeadLettersService,
        DeadLetterRedriver,
        DeadLettersScheduler,
        DeadLettersRetention,
        DeadLetterHandler,
      ],
      exports: [DeadLettersService, DeadLetterRedriver, DeadLetterAlerts],
    };
  }
}
