import { DynamicModule, Module } from '@nestjs/common';
import { ConsoleConfig } from '@reliable-payments/config';
import { CONSOLE_CONFIG, ConsoleServices } from './console.options';
import { ConsoleDeadLettersController } from './dead-letters/console-dead-letters.controller';
import { PayLoadService } from './load/pay-load.service';
import { ConsoleAudit } from './operators/console-audit';
import { ConsoleOperatorGuard } from './operators/console-operator.guard';
import { OperatorSessions } from './operators/operator-sessions';
import { SessionController } from './operators/session.controller';
import { RedriveJobTracker } from './snapshot/redrive-job-tracker';
import { SnapshotService } from './snapshot/snapshot.service';
import { OrderTimelineService } from './timeline/order-timeline.service';
import { ActionsController } from './web/actions.controller';
import { ApiController } from './web/api.controller';
import { ConsoleAssets } from './web/console-assets';
import { PageController } from './web/page.controller';

/** The console: one snapshot per interval for every viewer, the page, the API, the dead-letters view and the operator actions. */
@Module({})
export class ConsoleModule {
  static register(config: ConsoleConfig, assets: ConsoleAssets): DynamicModule {
    return {
      module: ConsoleModule,
      controllers: [PageController, ApiController, SessionController, ActionsController, ConsoleDeadLettersController],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: ConsoleServices, useValue: new ConsoleServices(config) },
        { provide: ConsoleAssets, useValue: assets },
        PayLoadService,
        RedriveJobTracker,
        SnapshotService,
        OrderTimelineService,
        OperatorSessions,
        ConsoleOperatorGuard,
        ConsoleAudit,
      ],
    };
  }
}
