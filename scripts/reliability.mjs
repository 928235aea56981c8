// Runs the reliability suite (real processes, injected faults), then prints one line per scenario
// and writes results/reliability/report.json. Exits with Jest's status. Extra arguments go to Jest
// (e.g. `npm run test:reliability -- -t "rabbitmq"` for one scenario).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'results', 'reliability');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const started = Date.now();
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--runInBand', ...process.argv.slice(2), '--selectProjects', 'reliability'], {
  stdio: 'inherit',
});

const results = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'report.json')
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
  : [];
console.log('\nreliability scenarios');
console.log(
  `  ${'scenario'.padEnd(44)} ${'orders'.padStart(6)} ${'lost'.padStart(5)} ${'dup'.padStart(5)} ${'dead (c/r)'.padStart(11)} ${'recover s'.padStart(9)}  verdict`,
);
for (const r of results) {
  console.log(
    `  ${r.scenario.padEnd(44)} ${String(r.orders).padStart(6)} ${String(r.lost).padStart(5)} ${String(r.duplicated).padStart(5)} ${`${r.deadLettered.coupon}/${r.deadLettered.redPacket}`.padStart(11)} ${String(r.recoverySeconds).padStart(9)}  ${r.ok ? 'ok' : `FAIL: ${r.violations.join('; ')}`}`,
  );
}
writeFileSync(
  join(dir, 'report.json'),
  JSON.stringify({ startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000), scenarios: results }, null, 2),
);
console.log(`report: ${join('results', 'reliability', 'report.json')}`);
process.exit(jest.status ?? 1);
