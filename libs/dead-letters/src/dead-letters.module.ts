import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
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

/** `forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, global unless `isGlobal: false`. */
export const {
  ConfigurableModuleClass: DeadLettersModuleBase,
  OPTIONS_TYPE: DEAD_LETTERS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: DEAD_LETTERS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DeadLettersOptions>({ optionsInjectionToken: DEAD_LETTERS_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * The dead-letter queue's handler (store, alert, ack after commit) and the operator API for one
 * consumer. Each consumer service registers it with its consumer key. Re-drive jobs and retention
 * run on `@nestjs/schedule`: the application imports `ScheduleModule.forRoot()` once.
 */
@Module({
  controllers: [DeadLettersController],
  providers: [
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
})
export class DeadLettersModule extends DeadLettersModuleBase {}
