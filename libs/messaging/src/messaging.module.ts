import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';
import { MessagingService } from './messaging.service';
import { HandlerDiscovery } from './handler-discovery';
import { PUBLISHER } from './publishing/publisher';

/** `forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, global unless `isGlobal: false`. */
export const {
  ConfigurableModuleClass: MessagingModuleBase,
  OPTIONS_TYPE: MESSAGING_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MESSAGING_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MessagingModuleOptions>({ optionsInjectionToken: MESSAGING_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * RabbitMQ with publisher confirms, manual acks, a TTL+DLX retry ladder and dead-letter queues:
 * `MessagingService` (the publisher, `PUBLISHER`) and every `@ConsumeEvent` handler it discovers.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [HandlerDiscovery, MessagingService, { provide: PUBLISHER, useExisting: MessagingService }],
  exports: [MessagingService, PUBLISHER],
})
export class MessagingModule extends MessagingModuleBase {}
