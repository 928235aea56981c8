import { DynamicModule, Global, Module } from '@nestjs/common';
import { OPERATOR_AUTH_OPTIONS, OperatorAuthOptions } from './operator-auth.options';
import { OperatorGuard } from './operator.guard';

/** Provides OPERATOR_TOKEN to every `@OperatorRoute()` in the app. */
@Global()
@Module({})
export class OperatorAuthModule {
  static register(options: OperatorAuthOptions): DynamicModule {
    return {
      module: OperatorAuthModule,
      providers: [{ provide: OPERATOR_AUTH_OPTIONS, useValue: options }, OperatorGuard],
      exports: [OPERATOR_AUTH_OPTIONS, OperatorGuard],
    };
  }
}
