import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { DeadLetterAlerts } from './dead-letter.alerts';
import { DeadLetterDiscarder } from './dead-letter-discarder';
import { DeadLetterHandler } from './dead-letter.handler';
import { DeadLetterStore } from './dead-letter.store';
import { DeadLettersController } from './dead-letters.controller';
import { DEAD_LETTERS_OPTIONS, DeadLettersOptions } from './dead-letters.options';
import { DeadLettersRetention } from './dead-letters.retention';
import { DeadLettersScheduler } from './dead-letters.scheduler';
import { DeadLettersService } from './dead-letters.service';
import { DeadLetterRedriver } from './dead-letter-redriver';
import { RedriveJobRunner } from './redrive-job.runner';
import { RedriveJobs } from './redrive-jobs.service';

/**
 * The dead-letter queue's handler (store, alert, ack after commit) and the operator API for one
 * consumer. Each consumer service registers it with its consumer key.
 */
@Module({})
export class DeadLettersModule {
  static register(options: DeadLettersOptions): DynamicModule {
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
        DeadLetterDiscarder,
        RedriveJobs,
        RedriveJobRunner,
        DeadLettersScheduler,
        DeadLettersRetention,
        DeadLetterHandler,
      ],
      exports: [DeadLettersService, DeadLetterRedriver, DeadLetterDiscarder, DeadLetterAlerts],
    };
  }
}
