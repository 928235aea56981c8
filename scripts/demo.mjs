// Starts the three built services and the console against the configured RabbitMQ and MySQL,
// prints their URLs, and stops them all cleanly (SIGTERM, then wait) on Ctrl-C or SIGTERM.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

// The demo's settings (each overridable from the environment): the chaos toggle on and a short
// ladder without pausing, so the console's Break and Repair panels have something to show; one
// operator token for the console and the services, made up for this run unless given.
const demoEnv = {
  CHAOS_ENABLED: 'true',
  RETRY_LADDER: '1s,2s,5s,10s,20s',
  PAUSE_ON_DEPENDENCY_DOWN: 'false',
  OPERATOR_TOKEN: randomBytes(16).toString('base64url'),
  ...process.env,
};
const port = (name, fallback) => demoEnv[name] ?? fallback;
demoEnv.ORDER_URL ??= `http://127.0.0.1:${port('ORDER_PORT', '3000')}`;
demoEnv.COUPON_URL ??= `http://127.0.0.1:${port('COUPON_PORT', '3001')}`;
demoEnv.RED_PACKET_URL ??= `http://127.0.0.1:${port('RED_PACKET_PORT', '3002')}`;

const services = [
  { name: 'order-service', entry: 'dist/apps/order-service/src/main.js', port: process.env.ORDER_PORT ?? '3000', path: '/orders' },
  { name: 'coupon-service', entry: 'dist/apps/coupon-service/src/main.js', port: process.env.COUPON_PORT ?? '3001', path: '/coupons' },
  { name: 'red-packet-service', entry: 'dist/apps/red-packet-service/src/main.js', port: process.env.RED_PACKET_PORT ?? '3002', path: '/red-packets' },
  { name: 'console', entry: 'dist/apps/console/src/main.js', port: process.env.CONSOLE_PORT ?? '3003', path: '/' },
];

let stopping = false;
const children = services.map((service) => {
  const child = spawn(process.execPath, ['--enable-source-maps', service.entry], { stdio: ['ignore', 'pipe', 'pipe'], env: demoEnv });
  const prefix = `[${service.name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
    if (!stopping) stop(1);
  });
  return child;
});

console.log('demo starting:');
for (const s of services.slice(0, 3)) console.log(`  ${s.name.padEnd(19)} http://localhost:${s.port}${s.path}   (health: http://localhost:${s.port}/health)`);
// A token made up for this run is shown once, here, so the person at the terminal can sign in; a given one never is.
const token = process.env.OPERATOR_TOKEN ? 'your OPERATOR_TOKEN' : `the operator token ${demoEnv.OPERATOR_TOKEN}`;
console.log(`  ${'console'.padEnd(19)} http://localhost:${services[3].port}/   ← open this; sign in with ${token}`);

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('stopping services...');
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const deadline = setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }, 15_000);
  Promise.all(children.map((child) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r))))).then(() => {
    clearTimeout(deadline);
    process.exit(code);
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
