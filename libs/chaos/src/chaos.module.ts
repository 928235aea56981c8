import { DynamicModule, Module } from '@nestjs/common';
import { ChaosController, ChaosEnabledGuard } from './chaos.controller';
import { CHAOS_OPTIONS, ChaosOptions } from './chaos.options';
import { ChaosService } from './chaos.service';

/** `GET /chaos`, `POST /chaos/db`, `DELETE /chaos/db`: database faults for the demo and tests. */
@Module({})
export class ChaosModule {
  static register(options: ChaosOptions): DynamicModule {
    return {
      module: ChaosModule,
      controllers: [ChaosController],
      providers: [{ provide: CHAOS_OPTIONS, useValue: options }, ChaosService, ChaosEnabledGuard],
    };
  }
}
