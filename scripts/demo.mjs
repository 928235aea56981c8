// Starts the three built services against the configured RabbitMQ and MySQL, prints their URLs,
// and stops them all cleanly (SIGTERM, then wait) on Ctrl-C or SIGTERM.
import { spawn } from 'node:child_process';

const services = [
  { name: 'order-service', entry: 'dist/apps/order-service/src/main.js', port: process.env.ORDER_PORT ?? '3000', path: '/orders' },
  { name: 'coupon-service', entry: 'dist/apps/coupon-service/src/main.js', port: process.env.COUPON_PORT ?? '3001', path: '/coupons' },
  { name: 'red-packet-service', entry: 'dist/apps/red-packet-service/src/main.js', port: process.env.RED_PACKET_PORT ?? '3002', path: '/red-packets' },
];

let stopping = false;
const children = services.map((service) => {
  const child = spawn(process.execPath, ['--enable-source-maps', service.entry], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
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
for (const s of services) console.log(`  ${s.name.padEnd(19)} http://localhost:${s.port}${s.path}   (health: http://localhost:${s.port}/health)`);

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
