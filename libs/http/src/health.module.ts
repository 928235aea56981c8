import { DynamicModule, Module, Type } from '@nestjs/common';
import { HEALTH_CONTRIBUTOR, HealthContributor, HealthController } from './health.controller';

/** `GET /health`, optionally enriched by a service-specific contributor. */
@Module({})
export class HealthModule {
  static register(options: { contributor?: Type<HealthContributor> } = {}): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: options.contributor ? [{ provide: HEALTH_CONTRIBUTOR, useClass: options.contributor }] : [],
    };
  }
}
