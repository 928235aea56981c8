import { INestApplication, LoggerService } from '@nestjs/common';
import { ConsoleConfig } from '@reliable-payments/config';
import { startHttpApp } from '@reliable-payments/http';
import { ConsoleModule } from './console.module';
import { ConsoleAssets } from './web/console-assets';

/**
 * The page's policy, on every response (issue 21): scripts, styles, images and connections from
 * this origin only, with no 'unsafe-inline' or 'unsafe-eval' anywhere (the browser code is a
 * bundled file, its styles a stylesheet); no <base> to re-point relative URLs; forms post only
 * here; no framing (clickjacking of the action buttons).
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Starts the console; used by main.ts and by tests that run it in-process (`assetsDir`: where the bundle was built). */
export function startConsole(config: ConsoleConfig, logger?: LoggerService | false, options: { assetsDir?: string } = {}): Promise<INestApplication> {
  const assets = new ConsoleAssets(options.assetsDir);
  return startHttpApp(ConsoleModule.register(config, assets), {
    port: config.port,
    http: config.http,
    logger,
    logLevels: config.logLevels,
    logFormat: config.logFormat,
    service: 'console',
    forms: true,
    responseHeaders: {
      'content-security-policy': CONSOLE_CONTENT_SECURITY_POLICY,
      // same-origin, not no-referrer: under no-referrer a form post says `Origin: null`, which the cross-site check refuses.
      'referrer-policy': 'same-origin',
    },
  });
}
