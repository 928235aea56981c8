// What a cluster or nemesis run leaves behind when Jest dies before its afterAll: the nodes of
// this run (found by their own node names, <tag>-N or <tag>p-N for the namespaced cluster, in
// /proc/<pid>/environ, each killed by pid), the namespaced cluster's network namespaces
// (<tag>p-ns1…, whatever still runs in them killed by pid), its bridge and hosts files
// (tools/cluster/netns-network.ts), the services' processes of the run (CLUSTER_TAG in their
// environment), and the nodes' directories in /tmp. Returns how many processes it killed.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const kill = (pid) => {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

const ip = (...args) => {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
};

export function removeLeftovers(tag) {
  const prefixes = [`${tag}-`, `${tag}p-`];
  const leftovers = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      // Erlang VMs by node name (epmd may have been started by a node of ours and serve the system
      // broker too: never by name); service processes Jest started for this run, by its tag.
      if (cmdline.includes('beam') && env.some((v) => prefixes.some((p) => v.startsWith(`RABBITMQ_NODENAME=${p}`)))) leftovers.push(Number(entry));
      else if (cmdline.includes('dist/apps/') && env.includes(`CLUSTER_TAG=${tag}`)) leftovers.push(Number(entry));
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  leftovers.forEach(kill);
  for (const line of ip('netns', 'list').split('\n')) {
    const ns = line.split(' ')[0];
    if (!ns.startsWith(`${tag}p-ns`)) continue;
    ip('netns', 'pids', ns).split('\n').filter(Boolean).map(Number).forEach(kill);
    ip('netns', 'delete', ns);
    rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
  }
  ip('link', 'delete', `rpb${`${tag}p`.replace(/[^a-z0-9]/gi, '').slice(-8)}`);
  for (const entry of readdirSync(tmpdir())) if (prefixes.some((p) => entry.startsWith(p))) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  return leftovers.length;
}
