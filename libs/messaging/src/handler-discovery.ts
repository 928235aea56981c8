import { Injectable } from '@nestjs/common';
import { DiscoveryService, ExternalContextCreator, MetadataScanner } from '@nestjs/core';
import { CONSUME_METADATA, ConsumeMetadata } from './consume.decorator';
import { DeliveryContext, HandleOutcome } from './consumer/message-consumer';

export type BoundHandler = (value: unknown, context: DeliveryContext) => Promise<HandleOutcome>;

export interface DiscoveredHandler {
  meta: ConsumeMetadata;
  handler: BoundHandler;
}

/**
 * Finds the `@ConsumeEvent` methods of the app's providers and binds each
 * the way Nest binds its own handlers: guards and interceptors declared on the method or its
 * class (and global ones) run around every message, with context type `'amqp'` and the arguments
 * (event, DeliveryContext). Exception filters do not: a throw must reach the consumer, which
 * decides between retry, dead letter and hold.
 */
@Injectable()
export class HandlerDiscovery {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly contextCreator: ExternalContextCreator,
  ) {}

  discover(): DiscoveredHandler[] {
    const found: DiscoveredHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const meta = Reflect.getMetadata(CONSUME_METADATA, fn) as ConsumeMetadata | undefined;
        if (meta) found.push({ meta, handler: this.bind(instance, fn as BoundHandler, method) });
      }
    }
    return found;
  }

  private bind(instance: Record<string, unknown>, fn: BoundHandler, method: string): BoundHandler {
    const options = { guards: true, interceptors: true, filters: false };
    return this.contextCreator.create(
      instance,
      fn as (...args: unknown[]) => unknown,
      method,
      undefined,
      undefined,
      undefined,
      undefined,
      options,
      'amqp',
    ) as BoundHandler;
  }
}
