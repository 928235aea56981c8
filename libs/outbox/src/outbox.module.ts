import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { OUTBOX_OPTIONS, OutboxOptions } from './outbox.options';
import { OutboxRelay } from './outbox.relay';
import { OutboxScheduler } from './outbox.scheduler';
import { OutboxWriter } from './outbox.writer';

/** `forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, global unless `isGlobal: false`. */
export const {
  ConfigurableModuleClass: OutboxModuleBase,
  OPTIONS_TYPE: OUTBOX_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: OUTBOX_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<OutboxOptions>({ optionsInjectionToken: OUTBOX_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * Transactional outbox: `OutboxWriter` inside business transactions, `OutboxRelay` to the broker.
 * The relay's timers come from `@nestjs/schedule`: the application imports `ScheduleModule.forRoot()`
 * once (a library importing it would start a second scheduler registry).
 */
@Module({
  providers: [OutboxWriter, OutboxRelay, OutboxScheduler],
  exports: [OutboxWriter, OutboxRelay],
})
export class OutboxModule extends OutboxModuleBase {}
