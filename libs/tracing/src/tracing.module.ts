import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { HttpTracingInterceptor } from './http-tracing.interceptor';
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
        ...(tracing.enabled ? [{ provide: APP_INTERCEPTOR, useClass: HttpTracingInterceptor }] : []),
      ],
      exports: [Tracing, TRACER],
    };
  }
}
