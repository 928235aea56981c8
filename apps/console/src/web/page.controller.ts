import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SnapshotService } from '../snapshot/snapshot.service';
import { CLIENT_SCRIPT } from './console-client';
import { cookieValue, OperatorSessions, SESSION_COOKIE } from './operator-session';
import { renderPage } from './page.view';

/** The page and its script. */
@Controller()
export class PageController {
  constructor(
    private readonly snapshots: SnapshotService,
    private readonly sessions: OperatorSessions,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  // Inline styles only; scripts from this origin only; no framing (clickjacking of the action buttons).
  @Header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
  @Header('cache-control', 'no-store')
  page(@Req() request: FastifyRequest, @Query('signin') signin?: string) {
    const signedIn = this.sessions.isValid(cookieValue(request.headers.cookie, SESSION_COOKIE));
    return renderPage(this.snapshots.latest, { operatorEnabled: this.sessions.enabled, signedIn, failed: signin === 'failed' });
  }

  @Get('assets/console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script() {
    return CLIENT_SCRIPT;
  }
}
