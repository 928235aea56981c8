// Runs the cluster suite: a fresh three-node RabbitMQ cluster of its own (ports and directories
// under /tmp/<tag>-…), the services against it with quorum queues, one line per scenario,
// results/cluster/report.json. Exits non-zero when Jest fails or a scenario broke an invariant.
// Extra arguments go to Jest (e.g. `npm run test:cluster -- -t "memory alarm"`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeLeftovers } from './cluster-leftovers.mjs';

const dir = join(process.cwd(), 'results', 'cluster');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const tag = `rc${process.pid}`;
const started = Date.now();
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--runInBand', ...process.argv.slice(2), '--selectProjects', 'cluster'], {
  stdio: 'inherit',
  env: { ...process.env, CLUSTER_TAG: tag },
});

// The suite removes its clusters itself; if Jest died first, this run's leftovers go here.
const leftovers = removeLeftovers(tag);

const results = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'report.json')
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
  : [];
const seconds = Math.round((Date.now() - started) / 1000);
console.log('\ncluster scenarios (three RabbitMQ nodes, quorum queues)');
console.log(
  `  ${'scenario'.padEnd(36)} ${'orders'.padStart(6)} ${'lost'.padStart(5)} ${'dup'.padStart(5)} ${'dead (c/r)'.padStart(11)} ${'recover s'.padStart(9)}  verdict`,
);
for (const r of results) {
  console.log(
    `  ${r.scenario.padEnd(36)} ${String(r.orders).padStart(6)} ${String(r.lost).padStart(5)} ${String(r.duplicated).padStart(5)} ${`${r.deadLettered.coupon}/${r.deadLettered.redPacket}`.padStart(11)} ${String(r.recoverySeconds).padStart(9)}  ${r.ok ? 'ok' : `FAIL: ${r.violations.join('; ')}`}`,
  );
}
const failed = results.filter((r) => !r.ok).length;
console.log(`Scenarios: ${failed ? `${failed} failed, ` : ''}${results.length - failed} passed, ${results.length} total`);
console.log(`Time:      ${seconds} s${leftovers ? ` (${leftovers} leftover processes killed)` : ''}`);
writeFileSync(join(dir, 'report.json'), JSON.stringify({ startedAt: new Date(started).toISOString(), seconds, scenarios: results }, null, 2));
console.log(`report: ${join('results', 'cluster', 'report.json')}`);
process.exit(jest.status === 0 && failed === 0 ? 0 : jest.status || 1);
