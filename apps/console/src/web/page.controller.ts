import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { cookieValue, OperatorSessions, SESSION_COOKIE } from '../operators/operator-sessions';
import { SnapshotService } from '../snapshot/snapshot.service';
import { ConsoleAssets } from './console-assets';
import { renderPage } from './page.view';

/** The page, its script and its stylesheet (the page policy itself is on every response: console.app.ts). */
@Controller()
export class PageController {
  constructor(
    private readonly snapshots: SnapshotService,
    private readonly sessions: OperatorSessions,
    private readonly assets: ConsoleAssets,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  page(@Req() request: FastifyRequest, @Query('signin') signin?: string) {
    const operator = this.sessions.operatorOf(cookieValue(request.headers.cookie, SESSION_COOKIE));
    const signIn = signin === 'failed' || signin === 'limited' ? signin : null;
    return renderPage(this.snapshots.latestPublic, { operatorEnabled: this.sessions.enabled, operator: operator?.name ?? null, signIn });
  }

  @Get('assets/console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script() {
    return this.assets.script;
  }

  @Get('assets/console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'no-cache')
  stylesheet() {
    return this.assets.stylesheet;
  }
}
