import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { formatVerdict, runScenario } from './scenario';

/**
 * `npm run demo:scenario` against a running demo (local or compose). Settings from the
 * environment: SCENARIO_ORDERS (50), SCENARIO_RATE (orders/s, 10), SCENARIO_OUTAGE_SECONDS (10),
 * SCENARIO_OUTAGE_AFTER (orders paid before the kill; a quarter), SCENARIO_TIMEOUT_SECONDS (180),
 * ORDER_URL / COUPON_URL / RED_PACKET_URL (localhost:3000/3001/3002), OPERATOR_TOKEN (else the
 * one in ./.env, the file the compose demo reads).
 */
function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number (got "${raw}")`);
  return value;
}

/** The demo's operator token: the environment first, then the `.env` compose reads; no default. */
function operatorToken(): string {
  const fromFile = existsSync('.env') ? parseEnv(readFileSync('.env', 'utf8')).OPERATOR_TOKEN : undefined;
  const token = process.env.OPERATOR_TOKEN || fromFile;
  if (!token) throw new Error("OPERATOR_TOKEN is not set: export the demo's token, or run from the directory holding its .env");
  return token;
}

async function main(): Promise<number> {
  const orders = Math.max(1, int('SCENARIO_ORDERS', 50));
  const verdict = await runScenario({
    orderUrl: process.env.ORDER_URL ?? 'http://localhost:3000',
    couponUrl: process.env.COUPON_URL ?? 'http://localhost:3001',
    redPacketUrl: process.env.RED_PACKET_URL ?? 'http://localhost:3002',
    operatorToken: operatorToken(),
    orders,
    rate: Math.max(1, int('SCENARIO_RATE', 10)),
    outageAfterOrders: int('SCENARIO_OUTAGE_AFTER', Math.floor(orders / 4)),
    outageSeconds: int('SCENARIO_OUTAGE_SECONDS', 10),
    convergeTimeoutSeconds: int('SCENARIO_TIMEOUT_SECONDS', 180),
  });
  process.stdout.write(`\n${formatVerdict(verdict)}\n`);
  return verdict.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`scenario failed: ${error.message}\n`);
    process.exit(2);
  },
);
