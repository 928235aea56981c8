import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ConsoleConfig } from '@app/config';
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
export class ConsoleModule implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

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

  /** The sign-in form posts urlencoded; nothing else accepts it, and it is small. */
  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser('application/x-www-form-urlencoded')) return;
    fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 2048 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }
}
