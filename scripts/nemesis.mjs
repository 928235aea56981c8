// Runs the nemesis (test/nemesis): a three-node RabbitMQ cluster in network namespaces, the
// services with two instances each, paid orders and re-pays for --duration seconds while faults
// drawn from --seed hit brokers, links, databases and services; then the ledger. Prints the seed,
// the schedule as it happened, the ledger, and on failure the orders concerned and the replay.
//   npm run test:nemesis -- --seed=12345 --duration=180 [--rate=15] [extra Jest arguments]
//   npm run soak -- --duration=1800 --rate=200 [--seed=S]   (faults every few minutes; each service's
//     RSS, descriptors, sockets, handles and database connections sampled: results/nemesis/soak-<seed>.json + .svg)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeLeftovers } from './cluster-leftovers.mjs';

const args = process.argv.slice(2);
const option = (name) => args.findLast((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const seed = option('seed') ?? String(Math.floor(Math.random() * 2 ** 31));
const duration = option('duration') ?? '180';
const soak = args.includes('--soak');
const rate = option('rate') ?? '15';
if (!/^\d+$/.test(seed) || !/^\d+$/.test(duration) || !/^\d+$/.test(rate)) {
  console.error('usage: npm run test:nemesis -- --seed=<integer> --duration=<seconds> [--rate=<orders/s>]');
  process.exit(2);
}
const jestArgs = args.filter((a) => !/^--(seed|duration|rate)=/.test(a) && a !== '--soak');
// A soak replays with its own mean gap between faults (180 s), so its replay is a soak again.
const replay = soak ? `npm run soak -- --seed=${seed} --duration=${duration} --rate=${rate}` : `npm run test:nemesis -- --seed=${seed} --duration=${duration}`;
console.log(`nemesis: seed ${seed}, ${duration} s, ${rate} orders/s (replay: ${replay})`);

const dir = join(process.cwd(), 'results', 'nemesis');
mkdirSync(dir, { recursive: true });
const tag = `nm${process.pid}`;
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--runInBand', ...jestArgs, '--selectProjects', 'nemesis'], {
  stdio: 'inherit',
  env: { ...process.env, CLUSTER_TAG: tag, NEMESIS_SEED: seed, NEMESIS_DURATION: duration, NEMESIS_RATE: rate, ...(soak ? { NEMESIS_SOAK: '1' } : {}) },
});
const leftovers = removeLeftovers(tag);

const file = join(dir, `nemesis-${seed}.json`);
const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
console.log(`\nnemesis: seed ${seed}, ${duration} s`);
if (report) {
  console.log('fault schedule as it happened (seconds since start):');
  for (const h of report.happened)
    console.log(`  ${h.t.toFixed(1).padStart(6)}  ${h.action.padEnd(6)} ${h.kind.padEnd(18)} ${h.target}${h.detail ? `  ${h.detail}` : ''}`);
  const l = report.ledger ?? report.ledgerBeforeRedrive;
  if (l) {
    const dead = (g) => g.deadLettered.length;
    console.log(
      `ledger: ${l.paid} paid; coupons ${l.coupon.granted}, red packets ${l.redPacket.granted}; lost ${l.lost}, duplicated ${l.duplicated}; dead-lettered ${dead(l.coupon)}/${dead(l.redPacket)}; outbox pending ${l.outboxPending}; queued ${JSON.stringify(l.queued)}`,
    );
    if (report.ledgerBeforeRedrive && report.redriven) {
      const b = report.ledgerBeforeRedrive;
      console.log(
        `  before re-drive: dead-lettered ${dead(b.coupon)}/${dead(b.redPacket)} (${[...b.coupon.deadLettered, ...b.redPacket.deadLettered]
          .slice(0, 3)
          .map((d) => `${d.reason}: ${d.error}`)
          .join('; ')})`,
      );
    }
    for (const [name, g] of [
      ['coupon', l.coupon],
      ['red packet', l.redPacket],
    ]) {
      if (g.lost.length) console.log(`  ${name} lost: ${g.lost.join(' ')}`);
      if (g.duplicated.length) console.log(`  ${name} duplicated: ${g.duplicated.join(' ')}`);
      if (g.deadLettered.length) console.log(`  ${name} still dead-lettered: ${g.deadLettered.map((d) => d.orderId).join(' ')}`);
    }
  }
  if (report.violations?.length) console.log(`violations: ${report.violations.join('; ')}`);
  console.log(
    `re-pays: ${JSON.stringify(report.repays ?? {})}; converged after ${report.converged?.seconds ?? '?'} s${report.converged?.revived?.length ? ` (restarted: ${report.converged.revived.join(', ')})` : ''}, settled after ${report.settledAfterSeconds ?? '?'} s; run ${Math.round(report.seconds)} s`,
  );
  if (report.soakGrowth) {
    console.log('soak: growth, median of the last tenth over the median at 20-30 % (1 = flat):');
    for (const [service, g] of Object.entries(report.soakGrowth))
      console.log(
        `  ${service.padEnd(14)} ${Object.entries(g)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    console.log(`  chart: results/nemesis/soak-${seed}.svg`);
  }
  console.log(report.ok ? 'verdict: ok' : `verdict: FAIL — replay with: ${replay}`);
} else {
  console.log(`no report (${file}); replay with: ${replay}`);
}
if (leftovers) console.log(`(${leftovers} leftover processes killed)`);
process.exit(jest.status === 0 && report?.ok ? 0 : jest.status || 1);
