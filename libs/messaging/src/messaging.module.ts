import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';
import { MessagingService } from './messaging.service';
import { HandlerDiscovery } from './handler-discovery';
import { PUBLISHER } from './publishing/publisher';

/** RabbitMQ with publisher confirms, manual acks, a TTL+DLX retry ladder and dead-letter queues. */
@Module({})
export class MessagingModule {
  static forRootAsync(options: {
    imports?: DynamicModule['imports'];
    inject?: Array<string | symbol | Function>;
    useFactory: (...args: any[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
  }): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        { provide: MESSAGING_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        HandlerDiscovery,
        MessagingService,
        { provide: PUBLISHER, useExisting: MessagingService },
      ],
      exports: [MessagingService, PUBLISHER],
    };
  }
}
