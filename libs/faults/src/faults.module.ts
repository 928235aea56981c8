import { DynamicModule, Global, Module } from '@nestjs/common';
import { FAULT_HOOKS, FaultSpec, faultHooks } from './fault-hooks';

/** Provides FAULT_HOOKS to the whole app: armed from TEST_CRASH_AT, a no-op otherwise. */
@Global()
@Module({})
export class FaultsModule {
  static register(spec: FaultSpec | undefined): DynamicModule {
    return { module: FaultsModule, providers: [{ provide: FAULT_HOOKS, useValue: faultHooks(spec) }], exports: [FAULT_HOOKS] };
  }
}
