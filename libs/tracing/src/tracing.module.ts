import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { installHttpServerSpans } from './http-server-spans';
import { Tracing } from './tracing';

/** The service's tracer, for libraries that start spans (`@Inject(TRACER)` or `Tracing`). */
export const TRACER = Symbol('TRACER');

@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  constructor(@Inject(Tracing) private readonly tracing: Tracing) {}

  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}

/** Adds the request-span hooks before the server starts listening (when tracing is on). */
@Injectable()
class HttpServerSpans implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    @Inject(Tracing) private readonly tracing: Tracing,
  ) {}

  onModuleInit(): void {
    const instance = this.adapter.httpAdapter?.getInstance<FastifyInstance>();
    if (instance) installHttpServerSpans(instance, this.tracing.tracer);
  }
}

/** Global: the service's `Tracing` and `TRACER`, and a SERVER span per request when tracing is on. */
@Module({})
export class TracingModule {
  static register(tracing: Tracing): DynamicModule {
    return {
      module: TracingModule,
      global: true,
      providers: [
        { provide: Tracing, useValue: tracing },
        { provide: TRACER, useValue: tracing.tracer },
        TracingShutdown,
        ...(tracing.enabled ? [HttpServerSpans] : []),
      ],
      exports: [Tracing, TRACER],
    };
  }
}
