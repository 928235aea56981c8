// Runs the cluster suite: a fresh three-node RabbitMQ cluster of its own (ports and directories
// under /tmp/<tag>-…), the services against it with quorum queues, one line per scenario,
// results/cluster/report.json. Exits non-zero when Jest fails or a scenario broke an invariant.
// Extra arguments go to Jest (e.g. `npm run test:cluster -- -t "memory alarm"`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const dir = join(process.cwd(), 'results', 'cluster');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const tag = `rc${process.pid}`;
const started = Date.now();
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--runInBand', ...process.argv.slice(2), '--selectProjects', 'cluster'], {
  stdio: 'inherit',
  env: { ...process.env, CLUSTER_TAG: tag },
});

// The suite removes its cluster itself; if Jest died first, stop this run's nodes (found by their
// own node names in /proc/<pid>/environ, each killed by pid) and remove their directories.
const leftovers = [];
for (const entry of readdirSync('/proc')) {
  if (!/^\d+$/.test(entry)) continue;
  try {
    // Only Erlang VMs: epmd may have been started by a node of ours and serves the system broker too.
    if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('beam')) continue;
    if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').some((v) => v.startsWith(`RABBITMQ_NODENAME=${tag}-`))) leftovers.push(Number(entry));
  } catch {
    // exited meanwhile, or not ours to read
  }
}
for (const pid of leftovers) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
// The partition scenarios' network namespaces (<tag>p-ns1…), their bridge (rpb<tag>p) and hosts
// files (NetnsNetwork): a dead run's are removed here, after the nodes in them were killed above.
const ip = (...args) => {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
};
for (const line of ip('netns', 'list').split('\n')) {
  const ns = line.split(' ')[0];
  if (!ns.startsWith(`${tag}p-ns`)) continue;
  for (const pid of ip('netns', 'pids', ns).split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
  ip('netns', 'delete', ns);
  rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
}
ip('link', 'delete', `rpb${`${tag}p`.replace(/[^a-z0-9]/gi, '').slice(-8)}`);
// The nodes' directories live in /tmp/<tag>-… (RabbitCluster); remove what a dead run left there.
for (const entry of readdirSync(tmpdir())) if (entry.startsWith(`${tag}-`)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });

const results = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'report.json')
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
  : [];
const seconds = Math.round((Date.now() - started) / 1000);
console.log('\ncluster scenarios (three RabbitMQ nodes, quorum queues)');
console.log(`  ${'scenario'.padEnd(36)} ${'orders'.padStart(6)} ${'lost'.padStart(5)} ${'dup'.padStart(5)} ${'dead (c/r)'.padStart(11)} ${'recover s'.padStart(9)}  verdict`);
for (const r of results) {
  console.log(
    `  ${r.scenario.padEnd(36)} ${String(r.orders).padStart(6)} ${String(r.lost).padStart(5)} ${String(r.duplicated).padStart(5)} ${`${r.deadLettered.coupon}/${r.deadLettered.redPacket}`.padStart(11)} ${String(r.recoverySeconds).padStart(9)}  ${r.ok ? 'ok' : `FAIL: ${r.violations.join('; ')}`}`,
  );
}
const failed = results.filter((r) => !r.ok).length;
console.log(`Scenarios: ${failed ? `${failed} failed, ` : ''}${results.length - failed} passed, ${results.length} total`);
console.log(`Time:      ${seconds} s${leftovers.length ? ` (${leftovers.length} leftover node processes killed)` : ''}`);
writeFileSync(join(dir, 'report.json'), JSON.stringify({ startedAt: new Date(started).toISOString(), seconds, scenarios: results }, null, 2));
console.log(`report: ${join('results', 'cluster', 'report.json')}`);
process.exit(jest.status === 0 && failed === 0 ? 0 : jest.status || 1);
