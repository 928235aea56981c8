import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { OUTBOX_OPTIONS, OutboxOptions } from './outbox.options';
import { OutboxRelay } from './outbox.relay';
import { OutboxScheduler } from './outbox.scheduler';
import { OutboxWriter } from './outbox.writer';

/** Transactional outbox: `OutboxWriter` inside business transactions, `OutboxRelay` to the broker. */
@Module({})
export class OutboxModule {
  static forRootAsync(options: { inject?: Array<string | symbol | Function>; useFactory: (...args: any[]) => OutboxOptions }): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      imports: [ScheduleModule.forRoot()],
      providers: [
        { provide: OUTBOX_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        OutboxWriter,
        OutboxRelay,
        OutboxScheduler,
      ],
      exports: [OutboxWriter, OutboxRelay],
    };
  }
}
