import { ConsoleLogger, INestApplication, LoggerService } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConsoleConfig } from '@reliable-payments/config';
import { startConsole } from '../../apps/console/src/console.app';
import { TEST_OPERATOR_TOKEN, TestSystem } from '../support/test-system';
import { testAmqpUrl } from '../../tools/harness/test-servers';

/** The console signs in with the token the test system gives the services (the operator contract). */
export const OPERATOR_TOKEN = TEST_OPERATOR_TOKEN;

/** A free TCP port (so a consumer service restarted with another ladder keeps its URL). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let assetsDir: string | undefined;

/** The page's bundle, built once per test file the way `npm run build` builds it (esbuild, scripts/build-console-assets.mjs). */
export function consoleAssetsDir(): string {
  if (!assetsDir) {
    const dir = mkdtempSync(join(tmpdir(), 'console-assets-'));
    execFileSync(process.execPath, [join(__dirname, '../../scripts/build-console-assets.mjs'), dir], { stdio: 'pipe' });
    assetsDir = dir;
  }
  return assetsDir;
}

/** The console, in-process, pointed at a TestSystem's services and broker prefix; `env` adds or replaces variables (OPERATOR_TOKENS, CONSOLE_TRUST_PROXY). */
export async function startTestConsole(
  system: TestSystem,
  urls: { order: string; coupon: string; redPacket: string },
  pollInterval = '200ms',
  env: Record<string, string | undefined> = {},
  logger: LoggerService = new ConsoleLogger({ logLevels: ['fatal'], colors: false }),
): Promise<{ app: INestApplication; url: string }> {
  const config = loadConsoleConfig({
    CONSOLE_PORT: '0',
    ORDER_URL: urls.order,
    COUPON_URL: urls.coupon,
    RED_PACKET_URL: urls.redPacket,
    RABBITMQ_URL: testAmqpUrl(),
    AMQP_NAME_PREFIX: system.prefix,
    OPERATOR_TOKEN,
    CONSOLE_POLL_INTERVAL: pollInterval,
    ...env,
  });
  const app = await startConsole(config, logger, { assetsDir: consoleAssetsDir() });
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** JSON to the console; `operator` adds the Bearer token a script would send (OPERATOR_TOKEN, or the token given). */
export async function consoleApi(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  operator: boolean | string = false,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (operator) headers.authorization = `Bearer ${operator === true ? OPERATOR_TOKEN : operator}`;
  Object.assign(headers, extraHeaders);
  const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (the page, an asset): the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
