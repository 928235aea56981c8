import { DynamicModule, Module } from '@nestjs/common';
import { ConsoleConfig } from '@reliable-payments/config';
import { CONSOLE_CONFIG, ConsoleServices } from './console.options';
import { PayLoadService } from './load/pay-load.service';
import { SnapshotService } from './snapshot/snapshot.service';
import { OrderTimelineService } from './timeline/order-timeline.service';
import { ActionsController } from './web/actions.controller';
import { ApiController } from './web/api.controller';
import { OperatorGuard } from './web/operator.guard';
import { OperatorSessions } from './web/operator-session';
import { PageController } from './web/page.controller';
import { SessionController } from './web/session.controller';

/** The console: one snapshot per interval for every viewer, the page, the API and the operator actions. */
@Module({})
export class ConsoleModule {
  static register(config: ConsoleConfig): DynamicModule {
    return {
      module: ConsoleModule,
      controllers: [PageController, ApiController, SessionController, ActionsController],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: ConsoleServices, useValue: new ConsoleServices(config) },
        PayLoadService,
        SnapshotService,
        OrderTimelineService,
        OperatorSessions,
        OperatorGuard,
      ],
    };
  }
}
